"""The duty log's pages, files and API: an incident's or a response's timeline, filtered, with the
form to write in it (the operation `incident.log-entry`), as CSV, PDF, .docx and print page. Every
lookup goes through the scoped selectors: another unit's log answers 404."""
from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view

from emergency.api.pagination import Pagination
from emergency.documents.api import document_api
from emergency.documents.views import document_response
from emergency.errors import ValidationFailed
from emergency.operations.pages import page
from incidents.selectors import incident_list

from . import selectors
from .dutylog_export import timeline_csv, timeline_document
from .timeline import KINDS, parse_filters, timeline

PAGE_SIZE = 100


def _incident(user, pk: int):
    return get_object_or_404(incident_list(user=user).select_related("unit"), pk=pk)


def _response(user, pk: int):
    return get_object_or_404(selectors.response_list(user=user), pk=pk)


def _items(request, incident, response=None):
    filters, errors = parse_filters(request.GET)
    return timeline(incident=incident, response=response, filters=filters), filters, errors


def _page(request, incident, response=None):
    items, filters, errors = _items(request, incident, response)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "response/duty_log.html", {
        "incident": incident, "response": response, "page": Paginator(items, PAGE_SIZE).get_page(
            request.GET.get("page")), "kinds": [(k, str(v)) for k, v in KINDS.items()], "filters": filters,
        "filter_errors": errors, "query": query.urlencode(), "total": len(items),
    })


@page
def incident_duty_log(request, pk: int):
    return _page(request, _incident(request.user, pk))


@page
def response_duty_log(request, pk: int):
    response = _response(request.user, pk)
    return _page(request, response.incident, response)


def _file(request, incident, response, fmt: str):
    items, _filters, _errors = _items(request, incident, response)
    if fmt == "csv":
        answer = HttpResponse(timeline_csv(items), content_type="text/csv; charset=utf-8")
        name = f"{incident.number}-duty-log" + (f"-{response.pk}" if response else "")
        answer["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        answer["X-Content-Type-Options"] = "nosniff"
        return answer
    return document_response(request, timeline_document(items, incident=incident, response=response), fmt)


@page
def incident_duty_log_document(request, pk: int, fmt: str):
    return _file(request, _incident(request.user, pk), None, fmt)


@page
def response_duty_log_document(request, pk: int, fmt: str):
    response = _response(request.user, pk)
    return _file(request, response.incident, response, fmt)


class TimelineItemSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    kind = serializers.ChoiceField(choices=list(KINDS))
    label = serializers.CharField()
    text = serializers.CharField()
    actor = serializers.CharField()
    unit = serializers.CharField()
    entry_id = serializers.IntegerField(allow_null=True)
    corrects = serializers.IntegerField(allow_null=True)
    corrected_by = serializers.IntegerField(allow_null=True)
    recorded_at = serializers.DateTimeField(allow_null=True)


class TimelinePageSerializer(serializers.Serializer):
    """One page of a duty log, as the API's paginator answers it."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = TimelineItemSerializer(many=True)


FILTERS = [OpenApiParameter("kind", str, many=True, required=False, enum=list(KINDS)),
           OpenApiParameter("since", str, required=False, description="ISO date-time"),
           OpenApiParameter("until", str, required=False, description="ISO date-time"),
           OpenApiParameter("page", int, required=False), OpenApiParameter("page_size", int, required=False)]


def _api_list(request, incident, response=None):
    items, _filters, errors = _items(request, incident, response)
    if errors:
        raise ValidationFailed(_("Some fields are missing or invalid."), fields=errors)
    paginator = Pagination()
    rows = paginator.paginate_queryset(items, request)
    return paginator.get_paginated_response(TimelineItemSerializer(rows, many=True).data)


@extend_schema(operation_id="incident_duty_log", parameters=FILTERS,
               responses=TimelinePageSerializer)
@api_view(["GET"])
def incident_duty_log_api(request, pk: int):
    """An incident's duty log: what the audit trail recorded about it and its responses, with the
    free-text entries, oldest first; paged."""
    return _api_list(request, _incident(request.user, pk))


@extend_schema(operation_id="response_duty_log", parameters=FILTERS,
               responses=TimelinePageSerializer)
@api_view(["GET"])
def response_duty_log_api(request, pk: int):
    """One response's duty log: its incident's records and its own, with its free-text entries; paged."""
    response = _response(request.user, pk)
    return _api_list(request, response.incident, response)


FILE_FILTERS = FILTERS[:3]  # kind, since, until: a file holds every page
incident_duty_log_document_api = document_api(incident_duty_log_document, operation_id="incident_duty_log_document",
                                              summary="An incident's duty log (值班记录) as a document",
                                              parameters=FILE_FILTERS)
response_duty_log_document_api = document_api(response_duty_log_document, operation_id="response_duty_log_document",
                                              summary="A response's duty log (值班记录) as a document",
                                              parameters=FILE_FILTERS)
