"""A plan's published edition as print page, PDF and .docx (scoped like the plan page)."""
from __future__ import annotations

from django.shortcuts import get_object_or_404

from emergency.documents.api import document_api
from emergency.documents.views import document_response
from emergency.operations.pages import page

from . import documents, selectors
from .models import PlanEdition


@page
def edition_document(request, pk: int, number: int, fmt: str):
    plan = get_object_or_404(selectors.plans_visible(user=request.user), pk=pk)
    edition = get_object_or_404(PlanEdition.objects.select_related("plan__unit"), plan=plan, number=number)
    return document_response(request, documents.edition_document(edition), fmt)


edition_document_api = document_api(edition_document, operation_id="plan_edition_document",
                                    summary="A published edition of a plan as the official document")
