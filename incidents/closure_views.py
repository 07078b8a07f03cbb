"""The page form and the API of closing a report as no incident (incidents/closure.py)."""
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from emergency.api.fields import ScopedPrimaryKeyField
from emergency.errors import NotFound
from emergency.ui.actions import perform

from . import closure, selectors
from .models import Incident, IncidentClosure


def _incident(user, pk: int) -> Incident:
    incident = selectors.incident_list(user=user).filter(pk=pk).first()
    if incident is None:
        raise NotFound(_("Not found."))
    return incident


@login_required
@require_POST
def close(request, pk: int):
    incident = selectors.incident_list(user=request.user).filter(pk=pk).first()
    if incident is None:
        raise Http404
    duplicate_id = request.POST.get("duplicate_of", "")
    duplicate = (selectors.incident_list(user=request.user).filter(pk=int(duplicate_id)).first()
                 if duplicate_id.isdigit() else None)
    perform(request, lambda: closure.incident_close(
        actor=request.user, incident=incident, reason=request.POST.get("reason", ""),
        explanation=request.POST.get("explanation", ""), duplicate_of=duplicate),
        _("Closed as no incident; its reporting clocks are stopped."))
    return redirect("incident-detail", pk=pk)


class ClosureSerializer(serializers.ModelSerializer):
    class Meta:
        model = IncidentClosure
        fields = ["incident", "reason", "duplicate_of", "explanation", "closed_by", "closed_at"]
        read_only_fields = fields


class CloseInput(serializers.Serializer):
    reason = serializers.ChoiceField(choices=IncidentClosure.Reason.choices)
    explanation = serializers.CharField(max_length=4000)
    duplicate_of = ScopedPrimaryKeyField(selectors.incident_list, required=False, allow_null=True)


class IncidentCloseView(APIView):
    """Close a logged report as no incident (false, or a duplicate of another incident)."""

    @extend_schema(request=CloseInput, responses={201: ClosureSerializer}, operation_id="incident_close")
    def post(self, request, pk: int):
        incident = _incident(request.user, pk)
        parsed = CloseInput(data=request.data, context={"request": request})
        parsed.is_valid(raise_exception=True)
        data = parsed.validated_data
        made = closure.incident_close(actor=request.user, incident=incident, reason=data["reason"],
                                      explanation=data["explanation"], duplicate_of=data.get("duplicate_of"))
        return Response(ClosureSerializer(made).data, status=201)
