from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

# The largest value of PostgreSQL's `integer` column (Django's IntegerField, PositiveIntegerField).
DB_INT_MAX = 2**31 - 1


@extend_schema_field(OpenApiTypes.INT)
class ScopedPrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """A related id resolved only among what the requesting user may see.

    An id outside the user's units gets the same answer as one that does not exist.
    """

    def __init__(self, selector, **kwargs):
        self.selector = selector
        super().__init__(**kwargs)

    def get_queryset(self):
        return self.selector(user=self.context["request"].user)


@extend_schema_field(OpenApiTypes.STR)
class ScopedSlugField(serializers.SlugRelatedField):
    """A related object named by a slug (a username), resolved only among what the selector gives
    the requesting user: another organisation's object is refused like one that does not exist."""

    def __init__(self, selector, **kwargs):
        self.selector = selector
        super().__init__(**kwargs)

    def get_queryset(self):
        return self.selector(user=self.context["request"].user)
