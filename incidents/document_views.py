"""The incidents' documents as print page, PDF and .docx; looked up through the scoped selectors, so
only those who may see the incident get its documents."""
from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils import timezone

from drf_spectacular.utils import OpenApiParameter

from emergency.documents.api import document_api
from emergency.documents.views import DocumentMissing, document_response
from emergency.operations.pages import page
from emergency.org.models import OrgUnit
from emergency.org.scope import unit_scope
from emergency.ui.actions import year_or_none

from . import documents, selectors
from .models import IncidentReport, Investigation
from .review import annual_review


@page
def report_document(request, pk: int, report_pk: int, fmt: str):
    incident = get_object_or_404(selectors.incident_list(user=request.user), pk=pk)
    report = get_object_or_404(IncidentReport.objects.select_related("incident__unit__parent", "incident__incident_type",
                                                                     "corrects"), incident=incident, pk=report_pk)
    return document_response(request, documents.report_document(report), fmt)


@page
def investigation_document(request, pk: int, fmt: str):
    incident = get_object_or_404(selectors.incident_list(user=request.user), pk=pk)
    investigation = Investigation.objects.filter(incident=incident).order_by("-submitted_at").first()
    if investigation is None:
        raise DocumentMissing(_("This incident has no investigation report yet."))
    return document_response(request, documents.investigation_document(investigation), fmt)


@page
def annual_review_document(request, fmt: str):
    year = year_or_none(request.GET.get("year")) or timezone.localtime().year - 1
    review = annual_review(user=request.user, year=year)
    visible = unit_scope(request.user).visible
    top = OrgUnit.objects.filter(pk__in=visible).exclude(parent_id__in=visible).order_by("pk").first()
    return document_response(request, documents.annual_review_document(review, issuer=top.name if top else ""), fmt)


report_document_api = document_api(report_document, operation_id="incident_report_document",
                                   summary="An incident report as the official document (初报、续报、终报)")
investigation_document_api = document_api(investigation_document, operation_id="incident_investigation_document",
                                          summary="The investigation and assessment report of an incident")
annual_review_document_api = document_api(
    annual_review_document, operation_id="annual_review_document",
    summary="The annual review of the caller's units",
    parameters=[OpenApiParameter("year", int, required=False, description="The year reviewed; last year by default")])
