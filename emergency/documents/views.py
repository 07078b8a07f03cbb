"""Serve an `OfficialDocument` in the format asked for: `html` (the print page), `pdf`, `docx`.
The record is looked up by the calling view through its app's scoped selector, so a document is
served only to those who may see the record."""
from __future__ import annotations

from urllib.parse import quote

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import translation

from . import OfficialDocument

FORMATS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


class DocumentMissing(Http404):
    """The caller's record exists but has no such document yet (an incident not yet investigated):
    the message says so, where another unit's or a missing record answers a plain 404."""


def document_response(request, document: OfficialDocument, fmt: str) -> HttpResponse:
    if fmt == "html":
        with translation.override("zh-hans"):
            return render(request, "documents/print.html", {"document": document})
    if fmt == "pdf":
        from .pdf import render_pdf

        body = render_pdf(document)
    elif fmt == "docx":
        from .word import render_docx

        body = render_docx(document)
    else:
        raise Http404
    response = HttpResponse(body, content_type=FORMATS[fmt])
    name = f"{document.filename}.{fmt}"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response
