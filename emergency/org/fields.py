"""Form fields that name a unit, department, person, plan, incident or group: they offer and
accept only what the user's organisations own (or, for `within="linked"`, the organisations
linked to them), whatever queryset a view hands them. A foreign id is refused like a missing one."""
from __future__ import annotations

from django import forms
from django.core.exceptions import ImproperlyConfigured

from .scope import linked_organisations, scoped


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
            queryset = scoped(queryset, self.user, units)
        super()._set_queryset(queryset)

    queryset = property(_get_queryset, _set_queryset)

    def scope_to(self, user) -> None:
        self.user = user
        self.queryset = self._queryset


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
