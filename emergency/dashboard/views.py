"""The dashboard page, its state (one snapshot with the last event numbers) and the events after a
number, so a screen can subscribe first, load, and apply what came in between."""
from __future__ import annotations

import json

from django.conf import settings
from django.shortcuts import render
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response

from emergency import live
from emergency.operations.pages import page
from emergency.org.scope import unit_scope
from emergency.ui.actions import int_or_none

from .models import LiveEvent
from .selectors import EVENT_LABELS, dashboard_state


@page
def dashboard(request):
    return render(request, "dashboard/dashboard.html", {
        "map_tile_url": settings.MAP_TILE_URL, "map_center": settings.MAP_CENTER, "time_zone": settings.TIME_ZONE,
        "event_labels": {event: str(label) for event, label in EVENT_LABELS.items()}})


@extend_schema(responses=inline_serializer("DashboardState", {
    "last": serializers.DictField(child=serializers.IntegerField()), "now": serializers.DateTimeField(),
    "incidents": serializers.ListField(child=serializers.DictField()),
    "deadlines": serializers.ListField(child=serializers.DictField()),
    "warnings": serializers.ListField(child=serializers.DictField()),
    "feed": serializers.ListField(child=serializers.DictField()),
    "figures": serializers.DictField()}))
@api_view(["GET"])
def state(request):
    """What the dashboard shows, with the last event number per organisation it reflects."""
    return Response(dashboard_state(unit_scope(request.user).visible))


@extend_schema(parameters=[OpenApiParameter("organisation", int, required=False),
                           OpenApiParameter("after", int, required=False)],
               responses=inline_serializer("LiveEvent", {
                   "seq": serializers.IntegerField(), "organisation": serializers.IntegerField(),
                   "unit": serializers.IntegerField(), "event": serializers.CharField(),
                   "data": serializers.DictField(),
                   "apply": serializers.DictField(allow_null=True)}, many=True))
@api_view(["GET"])
def events(request):
    """Events after `after` (per organisation: `?organisation=<id>&after=<n>`) in the caller's units."""
    visible = unit_scope(request.user).visible
    rows = LiveEvent.objects.filter(unit_id__in=visible)
    organisation = int_or_none(request.query_params.get("organisation"))
    if organisation is not None:
        rows = rows.filter(organisation_id=organisation)
    after = int_or_none(request.query_params.get("after"))
    if after is not None:
        rows = rows.filter(sequence__gt=after)
    rows = list(rows.order_by("organisation_id", "sequence")[:1000])
    # The relay writes a frame's entries when it sends it: one not sent yet is described now.
    pending = {about: json.loads(text) for about, text in
               live.describe(e.about for e in rows if e.apply is None and e.about).items()}
    return Response([{"seq": e.sequence, "organisation": e.organisation_id, "unit": e.unit_id, "event": e.event,
                      "data": e.data, "apply": e.apply if e.apply is not None else pending.get(e.about)}
                     for e in rows])
