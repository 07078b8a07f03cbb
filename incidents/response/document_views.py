"""A response's situation report as print page, PDF and .docx (scoped like the response page)."""
from __future__ import annotations

from django.shortcuts import get_object_or_404

from emergency.documents.api import document_api
from emergency.documents.views import document_response
from emergency.operations.pages import page

from . import documents, selectors


@page
def situation_report(request, pk: int, fmt: str):
    response = get_object_or_404(selectors.response_list(user=request.user).select_related(
        "incident__incident_type", "command_unit"), pk=pk)
    return document_response(request, documents.situation_report(response), fmt)


situation_report_api = document_api(situation_report, operation_id="response_situation_report",
                                    summary="A response's situation report (情况通报)")
