"""The public's revision suggestion (city plan 5.4 4): "各级政府及其部门、企事业单位、社会团体、公民等,
可以向有关预案编制单位提出修订建议"): a form that needs no account, limited per address, routed to the
plan's owner."""
from __future__ import annotations

from django.core.cache import cache
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from rest_framework import serializers

from emergency.errors import DomainError

from . import revisions
from .models import Plan, RevisionRequest
from .serializers import PublicSuggestionInput

LIMIT = 5              # suggestions per address ...
WINDOW = 60 * 60       # ... per hour


def _address(request) -> str:
    return request.META.get("REMOTE_ADDR", "unknown")


def _spent(request) -> bool:
    """Count this post against its address; True once the address has used its allowance."""
    key = f"plans:public-suggestion:{_address(request)}"
    cache.add(key, 0, timeout=WINDOW)
    return cache.incr(key) > LIMIT


@require_http_methods(["GET", "POST"])
def public_suggest(request):
    plans = Plan.objects.filter(state=Plan.State.PUBLISHED).select_related("unit").order_by("unit_id", "id")
    values, errors, done, status = {}, {}, None, 200
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in ("plan", "trigger", "description", "name", "contact")}
        if _spent(request):
            errors, status = {"non_field_errors": [_("Too many suggestions from this address; try again in an "
                                                     "hour.")]}, 429
        else:
            bound = PublicSuggestionInput(data=values)
            try:
                bound.is_valid(raise_exception=True)
                done = revisions.revision_request_suggest_public(**bound.validated_data)
            except serializers.ValidationError as error:
                errors, status = {k: [str(m) for m in v] for k, v in error.detail.items()}, 400
            except DomainError as error:
                errors = {"non_field_errors": [str(error.message)],
                          **{k: [str(m) for m in v] for k, v in error.fields.items()}}
                status = 400
    return render(request, "plans/public_suggest.html", {
        "plans": plans, "triggers": RevisionRequest.Trigger.choices, "values": values, "errors": errors,
        "done": done, "selected": values.get("plan") or request.GET.get("plan", ""),
    }, status=status)
