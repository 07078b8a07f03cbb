from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Attachment(models.Model):
    """A file on a record. Append-only (the database refuses UPDATE and DELETE): a wrong file is
    superseded by a new attachment, never replaced, as the record it belongs to is corrected."""

    scope_lookup = "unit"

    unit = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    owner_kind = models.CharField(_("attached to"), max_length=32)
    owner_id = models.PositiveBigIntegerField()
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    key = models.CharField(max_length=200, unique=True)  # where the storage keeps it
    thumbnail_key = models.CharField(max_length=200, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        ordering = ["owner_kind", "owner_id", "uploaded_at", "id"]
        indexes = [models.Index(fields=["owner_kind", "owner_id"])]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
