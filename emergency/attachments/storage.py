"""Where attachments are kept: the `attachments` storage of settings.STORAGES (a directory outside
the web root by default, S3-compatible object storage by setting `ATTACHMENT_STORAGE_BACKEND`)."""
from django.core.files.storage import storages


def attachment_storage():
    return storages["attachments"]
