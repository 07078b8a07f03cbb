"""Public outputs of issued warnings: CAP 1.2 documents and an Atom feed per organisation (public
alerting hubs poll these; drafts are never published). The feed lists the warnings in force
(alerts.selectors); each entry names its issuing unit as author, has a `tag:` id that stays the same
across adjustments, and a plain-text summary (feed readers render `type="html"` as markup)."""
from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpResponse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from emergency.org.models import OrgUnit

from . import cap
from .models import EarlyWarning, WarningMessage
from .selectors import warnings_in_force


class PlainTextAtomFeed(Atom1Feed):
    """Atom 1.0 whose entry summaries are `type="text"`: officers type text, not HTML."""

    def add_item_elements(self, handler, item):
        summary = item["description"]
        super().add_item_elements(handler, {**item, "description": None})
        if summary is not None:
            handler.addQuickElement("summary", summary, {"type": "text"})


def warning_tag(warning: EarlyWarning) -> str:
    """RFC 4151 tag IRI of a warning: its every version (Alert, Updates, Cancel) is the same entry."""
    return f"tag:{urlsplit(settings.PUBLIC_BASE_URL).hostname},{warning.created_at:%Y-%m-%d}:warning/{warning.pk}"


def cap_document(request, pk: int, sequence: int | None = None):
    """The CAP message of a warning: its latest, or the one numbered `sequence`."""
    messages = list(WarningMessage.objects.filter(warning_id=pk).order_by("sequence"))
    if not messages:
        raise Http404
    if sequence is not None:
        chosen = [m for m in messages if m.sequence == sequence]
        if not chosen:
            raise Http404
        message = chosen[0]
    else:
        message = messages[-1]
    earlier = [m for m in messages if m.sequence < message.sequence]
    return HttpResponse(cap.build(message, earlier), content_type="application/cap+xml; charset=utf-8")


class ActiveWarningsFeed(Feed):
    feed_type = PlainTextAtomFeed

    def get_object(self, request, code: str):
        unit = OrgUnit.objects.filter(code=code, parent__isnull=True).first()
        if unit is None:
            raise Http404
        return unit

    def title(self, unit):
        return cap.xml_text(f"{unit.display_name} — {_('Active warnings')}")

    def link(self, unit):
        return f"{settings.PUBLIC_BASE_URL}/warnings/feed/{unit.code}.atom"

    def author_name(self, unit):
        return cap.xml_text(unit.display_name)

    def author_link(self, unit):
        return settings.PUBLIC_BASE_URL + "/"

    def subtitle(self, unit):
        return str(_("Warnings in force, each with its CAP 1.2 message."))

    def items(self, unit):
        units = OrgUnit.objects.descendants(unit, include_self=True).values("pk")
        return (warnings_in_force(unit_ids=units).select_related("unit", "incident_type")
                .prefetch_related("messages").order_by("-starts_at")[:200])

    def item_title(self, warning):
        return cap.xml_text(f"[{warning.get_level_display()}] {warning.title}")

    def item_description(self, warning):
        return cap.xml_text(f"{warning.area_desc}：{warning.points}")

    def item_link(self, warning):
        return f"{settings.PUBLIC_BASE_URL}/api/v1/warnings/{warning.pk}.cap"

    def item_guid(self, warning):
        return warning_tag(warning)

    def item_author_name(self, warning):
        return cap.xml_text(warning.unit.display_name)

    def item_pubdate(self, warning):
        return warning.starts_at

    def item_updateddate(self, warning):
        latest = max(warning.messages.all(), key=lambda m: m.sequence, default=None)
        return latest.sent_at if latest else warning.starts_at

    def item_categories(self, warning):
        return [warning.incident_type.display_name, warning.colour]
