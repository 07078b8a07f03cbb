"""Serving an attachment: only to who may see its record, as a download (never rendered or run by
the browser: nosniff, a sandboxing CSP), images and their thumbnails inline."""
from __future__ import annotations

from urllib.parse import quote

from django.http import FileResponse, Http404

from emergency.operations.pages import page

from .selectors import attachment_visible
from .storage import attachment_storage


def serve(attachment, *, thumbnail: bool = False) -> FileResponse:
    key = attachment.thumbnail_key if thumbnail else attachment.key
    if not key:
        raise Http404
    response = FileResponse(attachment_storage().open(key, "rb"),
                            content_type="image/jpeg" if thumbnail else attachment.content_type)
    disposition = "inline" if attachment.is_image else "attachment"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(attachment.name)}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@page
def content(request, pk: int):
    attachment = attachment_visible(user=request.user, pk=pk)
    if attachment is None:
        raise Http404
    return serve(attachment)


@page
def thumbnail(request, pk: int):
    attachment = attachment_visible(user=request.user, pk=pk)
    if attachment is None:
        raise Http404
    return serve(attachment, thumbnail=True)
