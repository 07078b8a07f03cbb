"""`GET /api/v1/search/?q=`: hits per kind among what the caller may see."""
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from . import selectors
from .sources import KINDS

CHOICES = [*KINDS, selectors.UNIT]


class SearchInput(serializers.Serializer):
    q = serializers.CharField(max_length=200, help_text="A number, a name, an address or a few words (Chinese or not)")
    kind = serializers.MultipleChoiceField(choices=CHOICES, required=False,
                                           help_text="Only these kinds (repeat the parameter); all by default")
    limit = serializers.IntegerField(min_value=1, max_value=50, default=10)
    offset = serializers.IntegerField(min_value=0, max_value=10_000, default=0)


class HitSerializer(serializers.Serializer):
    kind = serializers.CharField()
    id = serializers.IntegerField()
    title = serializers.CharField()
    subtitle = serializers.CharField()
    link = serializers.CharField(help_text="The page of the hit ('' for a person)")
    at = serializers.DateTimeField(allow_null=True)


class GroupSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=CHOICES)
    label = serializers.CharField()
    hits = HitSerializer(many=True)
    more = serializers.BooleanField(help_text="More hits of this kind after these (next: offset + limit)")


class SearchOutput(serializers.Serializer):
    q = serializers.CharField()
    groups = GroupSerializer(many=True)


class SearchView(APIView):
    """Search incidents, reports, warnings, plans, people and units of the caller's units."""

    @extend_schema(parameters=[SearchInput], responses=SearchOutput, operation_id="search")
    def get(self, request):
        parsed = SearchInput(data=request.query_params)
        parsed.is_valid(raise_exception=True)
        data = parsed.validated_data
        groups = selectors.search(user=request.user, query=data["q"], kinds=sorted(data.get("kind") or []) or None,
                                  limit=data["limit"], offset=data["offset"])
        return Response(SearchOutput({"q": data["q"], "groups": groups}).data)
