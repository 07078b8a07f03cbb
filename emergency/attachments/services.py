"""Adding an attachment: the file is checked by its content (never its name), kept under a name
the platform chooses, and recorded append-only with who added it and its SHA-256."""
from __future__ import annotations

import hashlib
import io
import uuid
from typing import Any

import filetype
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from emergency.audit.services import audit_record
from emergency.errors import NotFound, ValidationFailed
from emergency.org.models import User

from .models import Attachment
from .owners import owner as owner_of
from .storage import attachment_storage

# What may be attached, by what the content is: photos, scans and office documents.
ALLOWED = {
    "image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp", "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
}
THUMBNAIL = (320, 320)


def _refuse(**fields: Any) -> ValidationFailed:
    return ValidationFailed(_("The file cannot be attached."), fields={k: [v] for k, v in fields.items()})


def _thumbnail(data: bytes) -> bytes:
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > 80_000_000:
                raise _refuse(file=_("The image is too large to open."))
            image = image.convert("RGB")
            image.thumbnail(THUMBNAIL)
            out = io.BytesIO()
            image.save(out, "JPEG", quality=80)
            return out.getvalue()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise _refuse(file=_("The image is damaged or not an image.")) from None


def attachment_record(*, kind: str, record_id: int, user: User):
    """The record an attachment goes on, among those the user may see (else NotFound, as if absent)."""
    owner = owner_of(kind)
    if owner is None:
        raise _refuse(owner_kind=_("Not found."))
    record = owner.visible(user=user).filter(pk=record_id).first()
    if record is None:
        raise NotFound(_("Not found."))
    return owner, record


@transaction.atomic
def attachment_add(*, actor: User, owner_kind: str, owner_id: int, file, description: str = "") -> Attachment:
    owner, record = attachment_record(kind=owner_kind, record_id=owner_id, user=actor)
    if owner.may_attach is not None:
        owner.may_attach(actor, record)
    limit = settings.ATTACHMENT_MAX_BYTES
    if file.size > limit:
        raise _refuse(file=_("A file may be at most %(mb)s MB.") % {"mb": limit // (1024 * 1024)})
    data = file.read()
    if not data:
        raise _refuse(file=_("The file is empty."))
    kind = filetype.guess(data[:8192])
    mime = kind.mime if kind else ""
    if mime not in ALLOWED:
        raise _refuse(file=_("Only photos (JPEG, PNG, WebP), PDF and Word or Excel documents can be attached."))
    thumbnail = _thumbnail(data) if mime.startswith("image/") else b""
    storage = attachment_storage()
    stem = f"{owner.unit(record)}/{uuid.uuid4().hex}"
    key = storage.save(stem + ALLOWED[mime], ContentFile(data))
    thumbnail_key = storage.save(stem + "-thumb.jpg", ContentFile(thumbnail)) if thumbnail else ""
    base = (file.name or "file").replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0][:150] or "file"
    attachment = Attachment.objects.create(
        unit_id=owner.unit(record), owner_kind=owner_kind, owner_id=record.pk, name=base + ALLOWED[mime],
        content_type=mime, size=len(data), sha256=hashlib.sha256(data).hexdigest(), key=key,
        thumbnail_key=thumbnail_key, description=description.strip()[:300], uploaded_by=actor,
        uploaded_at=timezone.now())
    audit_record(actor=actor, unit_id=attachment.unit_id, action="attachment.add", target=attachment,
                 after={"on": f"{owner_kind}:{record.pk}", "name": attachment.name, "sha256": attachment.sha256,
                        "size": attachment.size})
    return attachment
