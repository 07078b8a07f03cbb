"""`/api/v1/notifications/`: the caller's own notifications (filter, count, mark read)."""
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from emergency.api.serializers import OutputSerializer

from . import hooks, selectors, services
from .models import Notification


class NotificationSerializer(OutputSerializer):
    to_act_on = serializers.BooleanField(read_only=True,
                                         help_text="What it is about still waits for someone to act on it")
    kind_label = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "kind_label", "title", "body", "link", "unit", "created_at", "read_at", "to_act_on"]

    def get_kind_label(self, item) -> str:
        return hooks.label_of(item.kind)


class FilterSerializer(serializers.Serializer):
    unread = serializers.BooleanField(required=False, default=False)
    to_act_on = serializers.BooleanField(required=False, default=False)
    kind = serializers.CharField(required=False, default="", allow_blank=True, max_length=80)
    incident = serializers.IntegerField(required=False, min_value=1)


class MarkReadSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False, max_length=500)
    all = serializers.BooleanField(required=False, default=False)

    def validate(self, data):
        if not data.get("ids") and not data["all"]:
            raise serializers.ValidationError({"ids": [serializers.ListField.default_error_messages["empty"]]})
        return data


class CountsSerializer(serializers.Serializer):
    unread = serializers.IntegerField()
    to_act_on = serializers.IntegerField()


def filters_from(data) -> selectors.InboxFilters:
    incident = data.get("incident")
    return selectors.InboxFilters(unread=data["unread"], to_act_on=data["to_act_on"], kind=data["kind"],
                                  subject="incident" if incident else "", subject_id=incident)


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The caller's notifications, newest first; `to_act_on` ones wait for an action on their record."""

    serializer_class = NotificationSerializer
    filter_backends: list = []

    def get_queryset(self):
        parsed = FilterSerializer(data=self.request.query_params)
        parsed.is_valid(raise_exception=True)
        return selectors.notification_list(user=self.request.user, filters=filters_from(parsed.validated_data))

    @extend_schema(parameters=[FilterSerializer])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(responses=CountsSerializer)
    @action(detail=False, methods=["get"])
    def counts(self, request):
        """The bell: how many are unread, and how many wait to be acted on."""
        return Response({"unread": selectors.notification_unread_count(user=request.user),
                         "to_act_on": selectors.notification_to_act_on(user=request.user).count()})

    @extend_schema(request=MarkReadSerializer,
                   responses=inline_serializer("MarkedRead", {"marked": serializers.IntegerField(),
                                                              "unread": serializers.IntegerField()}))
    @action(detail=False, methods=["post"])
    def read(self, request):
        """Mark the given ids (only the caller's own count) or all of them read."""
        parsed = MarkReadSerializer(data=request.data)
        parsed.is_valid(raise_exception=True)
        if parsed.validated_data["all"]:
            marked = services.notification_mark_all_read(user=request.user)
        else:
            marked = services.notification_mark_read(user=request.user,
                                                     notification_ids=parsed.validated_data["ids"])
        return Response({"marked": marked, "unread": selectors.notification_unread_count(user=request.user)})
