"""The API's answers. Each write parses its own input serializer (whose related fields are
scoped); a model's output serializer takes no input, so none of its related fields can accept
an id of another organisation, however it is reached."""
from rest_framework import serializers


class OutputSerializer(serializers.ModelSerializer):
    """A model serializer whose every field is read-only."""

    def get_extra_kwargs(self):
        extra = super().get_extra_kwargs()
        for name in getattr(self.Meta, "fields", ()):
            extra.setdefault(name, {})["read_only"] = True
        return extra
