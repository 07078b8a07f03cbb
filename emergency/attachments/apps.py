from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttachmentsConfig(AppConfig):
    """Photos, scans and documents on records: checked by content, stored outside the web root, served
    only to who may see the record, immutable like the records they belong to."""

    name = "emergency.attachments"
    label = "attachments"
    verbose_name = _("Attachments")
