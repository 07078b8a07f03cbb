"""The documents over the API: each document page's twin under `/api/v1/`, behind the API's
authentication (a token or a session), the same scoped view answering, as PDF or .docx. A provincial
platform or a records system fetches the report it was sent as the file a person downloads."""
from __future__ import annotations

from typing import Callable

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.decorators import api_view, renderer_classes
from rest_framework.exceptions import NotFound
from rest_framework.renderers import BaseRenderer, JSONRenderer

from emergency import errors

from .views import FORMATS, DocumentMissing


class _FileRenderer(BaseRenderer):
    """Lets a client ask for the file's own type; the view answers the bytes itself."""

    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class PdfRenderer(_FileRenderer):
    media_type, format = FORMATS["pdf"], "pdf"


class DocxRenderer(_FileRenderer):
    media_type, format = FORMATS["docx"], "docx"


FORMAT = OpenApiParameter("fmt", str, OpenApiParameter.PATH, enum=sorted(FORMATS),
                          description="pdf, or docx for a document the recipient will edit")


def document_api(page_view: Callable, *, operation_id: str, summary: str, parameters=()) -> Callable:
    """An API endpoint answering what `page_view` (a document page taking `fmt`) answers, for the
    API's users; `html` (the print page) stays a page."""

    @extend_schema(operation_id=operation_id, summary=summary, parameters=[FORMAT, *parameters],
                   responses={(200, FORMATS["pdf"]): OpenApiResponse(OpenApiTypes.BINARY, description="PDF"),
                              (200, FORMATS["docx"]): OpenApiResponse(OpenApiTypes.BINARY, description=".docx")})
    @api_view(["GET"])
    @renderer_classes([JSONRenderer, PdfRenderer, DocxRenderer])
    def endpoint(request, fmt: str, **kwargs):
        if fmt not in FORMATS:
            raise NotFound()
        try:
            return page_view(request, fmt=fmt, **kwargs)
        except DocumentMissing as missing:
            raise errors.NotFound(str(missing)) from None

    endpoint.__doc__ = summary
    return endpoint
