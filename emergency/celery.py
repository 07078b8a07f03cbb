"""The Celery application: every deadline and reminder of the platform runs here."""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "emergency.settings")

app = Celery("emergency")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
