"""Form fields that name a unit, department, person, plan, incident or group: they offer and
accept only what the user's organisations own (or, for `within="linked"`, the organisations
linked to them), whatever queryset a view hands them. A foreign id is refused like a missing one."""
from __future__ import annotations

from django import forms
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ImproperlyConfigured
from django.db import models

from .scope import linked_organisations, scoped

INDENT = "\u3000"  # an ideographic space per level of the tree, in a drop-down of units


def in_tree_order(queryset):
    """Units in the order of the tree (each under its parent, siblings by position), with their
    depth, whatever order the view asked; what a unit owns (a department, a pool) in the order of
    its unit, then its own, unless the view ordered it on purpose."""
    from .models import OrgUnit

    model = queryset.model
    if model is OrgUnit:
        return queryset.all().with_tree_fields()  # a copy: with_tree_fields changes the queryset in place
    unit_field = next((f for f in model._meta.concrete_fields
                       if f.name == "unit" and getattr(f, "related_model", None) is OrgUnit), None)
    if unit_field is None or queryset.query.order_by or queryset.query.distinct:
        return queryset  # a view's own order (e.g. the incident's unit first) is kept
    order = list(OrgUnit.objects.with_tree_fields().values_list("pk", flat=True))
    position = models.Func(models.Value(order, output_field=ArrayField(models.BigIntegerField())),
                           models.F("unit_id"), function="array_position", output_field=models.IntegerField())
    own = [name for name in (model._meta.ordering or ["pk"]) if name not in ("unit", "unit_id")]
    return queryset.order_by(position, *own)


def unit_label(unit) -> str:
    """A unit in a drop-down: indented by its depth in the tree."""
    return INDENT * (getattr(unit, "tree_depth", 0) or 0) + str(unit)


class ScopedChoiceMixin:
    """Filters its queryset through `emergency.org.scope.scoped` once the form names its user."""

    def __init__(self, *args, within: str = "organisation", **kwargs):
        if within not in ("organisation", "linked"):
            raise ImproperlyConfigured(f"unknown scope {within!r}")
        self.within, self.user = within, None
        super().__init__(*args, **kwargs)

    def _get_queryset(self):
        return self._queryset

    def _set_queryset(self, queryset):
        if queryset is not None and self.user is not None:
            units = linked_organisations(self.user) if self.within == "linked" else None
            queryset = in_tree_order(scoped(queryset, self.user, units))
        super()._set_queryset(queryset)

    queryset = property(_get_queryset, _set_queryset)

    def scope_to(self, user) -> None:
        self.user = user
        self.queryset = self._queryset


    def label_from_instance(self, obj) -> str:
        return unit_label(obj)


class ScopedModelChoiceField(ScopedChoiceMixin, forms.ModelChoiceField):
    pass


class ScopedModelMultipleChoiceField(ScopedChoiceMixin, forms.ModelMultipleChoiceField):
    pass


class ScopedForm(forms.Form):
    """A form built for one user: every model choice is scoped to that user (and must be a scoped
    field, so that no view can forget it)."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for name, field in self.fields.items():
            if isinstance(field, forms.ModelChoiceField):
                if not isinstance(field, ScopedChoiceMixin):
                    raise ImproperlyConfigured(f"{type(self).__name__}.{name} is a model choice without a scope")
                field.scope_to(user)
