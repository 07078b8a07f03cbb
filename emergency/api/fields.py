from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from emergency.org.fields import in_tree_order, unit_label

# The largest value of PostgreSQL's `integer` column (Django's IntegerField, PositiveIntegerField).
DB_INT_MAX = 2**31 - 1

# One answer, naming no value, for an id that does not exist and one outside the caller's reach:
# the two must not be told apart (an existence oracle otherwise).
NOT_FOUND = _("Not found.")


@extend_schema_field(OpenApiTypes.INT)
class ScopedPrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """A related id resolved only among what the requesting user may see.

    An id outside the user's units gets the same answer as one that does not exist.
    """

    default_error_messages = {"does_not_exist": NOT_FOUND}

    def __init__(self, selector, **kwargs):
        self.selector = selector
        super().__init__(**kwargs)

    def get_queryset(self):
        return in_tree_order(self.selector(user=self.context["request"].user))

    def display_value(self, instance) -> str:
        return unit_label(instance)  # a form's drop-down of units shows the tree


@extend_schema_field(OpenApiTypes.STR)
class ScopedSlugField(serializers.SlugRelatedField):
    """A related object named by a slug (a username), resolved only among what the selector gives
    the requesting user; anything else, existing or not, gets one answer."""

    default_error_messages = {"does_not_exist": NOT_FOUND}

    def __init__(self, selector, **kwargs):
        self.selector = selector
        super().__init__(**kwargs)

    def get_queryset(self):
        return self.selector(user=self.context["request"].user)

