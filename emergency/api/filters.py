"""List filters that name an object (`?unit=`, `?pool=`, `?user=`) resolve it only among what the
user may see: another unit's id answers exactly as an id that does not exist, so a filter is no
way to learn which ids exist elsewhere."""
from django import forms
from django_filters.rest_framework import DjangoFilterBackend

from emergency.org.scope import scoped, unit_scope


class ScopedFilterBackend(DjangoFilterBackend):
    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            scope = unit_scope(request.user)
            units = None if scope.everything else scope.visible
            for field in filterset.form.fields.values():
                if isinstance(field, forms.ModelChoiceField) and hasattr(field.queryset.model, "scope_lookup"):
                    field.queryset = scoped(field.queryset, request.user, units)
        return filterset
