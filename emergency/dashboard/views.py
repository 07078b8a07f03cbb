"""The dashboard page, its state (one snapshot with the last event numbers) and the events after a
number, so a screen can subscribe first, load, and apply what came in between."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Max
from django.shortcuts import render
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response

from emergency.org.scope import unit_scope

from .models import LiveEvent


@login_required
def dashboard(request):
    return render(request, "dashboard/dashboard.html", {})


def _last_numbers(visible) -> dict[str, int]:
    rows = (LiveEvent.objects.filter(unit_id__in=visible).values("organisation_id")
            .annotate(last=Max("sequence")).values_list("organisation_id", "last"))
    return {str(org): last for org, last in rows}


@extend_schema(responses=inline_serializer("DashboardState", {
    "last": serializers.DictField(child=serializers.IntegerField()), "now": serializers.DateTimeField(),
    "incidents": serializers.ListField(child=serializers.DictField()),
    "deadlines": serializers.ListField(child=serializers.DictField()),
    "warnings": serializers.ListField(child=serializers.DictField()),
    "proposals": serializers.ListField(child=serializers.DictField()),
    "feed": serializers.ListField(child=serializers.DictField())}))
@api_view(["GET"])
def state(request):
    """What the dashboard shows, with the last event number per organisation it reflects."""
    from alerts.models import EarlyWarning
    from incidents.models import Incident, ReportingDeadline
    from incidents.response.models import Proposal, Response as ResponseModel

    visible = unit_scope(request.user).visible
    last = _last_numbers(visible)
    incidents = list(Incident.objects.filter(unit_id__in=visible, status__in=["reported", "responding"])
                     .select_related("unit", "incident_type").order_by("-received_at")[:200])
    ids = [i.pk for i in incidents]
    responses = {r.incident_id: r for r in ResponseModel.objects.filter(incident_id__in=ids, state="active")}
    deadlines = ReportingDeadline.objects.filter(incident_id__in=ids, state="open").order_by("due_at")
    warnings = EarlyWarning.objects.filter(unit_id__in=visible, state="issued").select_related("unit")
    pending = Proposal.objects.filter(incident__unit_id__in=visible, state="pending").select_related("incident")
    return Response({
        "last": last, "now": timezone.now(),
        "incidents": [{"id": i.pk, "number": i.number, "title": i.title, "unit": i.unit.display_name,
                       "type": i.incident_type.display_name, "grade": i.grade or None, "status": i.status,
                       "lat": i.latitude, "lon": i.longitude,
                       "response": responses[i.pk].level if i.pk in responses else None} for i in incidents],
        "deadlines": [{"incident": d.incident_id, "kind": d.get_kind_display(), "due_at": d.due_at} for d in deadlines],
        "warnings": [{"id": w.pk, "title": w.title, "level": w.level, "colour": w.colour, "area": w.area_desc,
                      "polygon": w.polygon, "circle": w.circle} for w in warnings],
        "proposals": [{"id": p.pk, "incident": p.incident.title, "level": p.level, "proposed_at": p.proposed_at}
                      for p in pending],
        "feed": list(LiveEvent.objects.filter(unit_id__in=visible).order_by("-created_at", "-id")
                     .values("organisation_id", "sequence", "event", "created_at", "data")[:30]),
    })


@extend_schema(parameters=[OpenApiParameter("organisation", int, required=False),
                           OpenApiParameter("after", int, required=False)],
               responses=inline_serializer("LiveEvent", {
                   "seq": serializers.IntegerField(), "organisation": serializers.IntegerField(),
                   "unit": serializers.IntegerField(), "event": serializers.CharField(),
                   "data": serializers.DictField()}, many=True))
@api_view(["GET"])
def events(request):
    """Events after `after` (per organisation: `?organisation=<id>&after=<n>`) in the caller's units."""
    visible = unit_scope(request.user).visible
    rows = LiveEvent.objects.filter(unit_id__in=visible)
    organisation = request.query_params.get("organisation")
    if organisation and organisation.isdigit():
        rows = rows.filter(organisation_id=int(organisation))
    after = request.query_params.get("after")
    if after and after.lstrip("-").isdigit():
        rows = rows.filter(sequence__gt=int(after))
    return Response([{"seq": e.sequence, "organisation": e.organisation_id, "unit": e.unit_id, "event": e.event,
                      "data": e.data} for e in rows.order_by("organisation_id", "sequence")[:1000]])
