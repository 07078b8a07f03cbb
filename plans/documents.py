"""A plan's published edition as the document that is printed and filed (印发)."""
from __future__ import annotations

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from emergency.documents import OfficialDocument, Section, classification_mark

from .models import PlanEdition


def edition_document(edition: PlanEdition) -> OfficialDocument:
    plan = edition.plan
    with translation.override("zh-hans"):
        sections = [Section(heading=part.get("title", ""),
                            paragraphs=[p.strip() for p in (part.get("body") or "").splitlines() if p.strip()])
                    for part in edition.sections]
        return OfficialDocument(
            issuer=plan.unit.name, title=edition.title,
            number=_("Edition %(number)s") % {"number": edition.number},
            dated=timezone.localdate(edition.published_at), sections=sections, numbered=False,
            filename=f"plan-{plan.pk}-edition-{edition.number}",
            classification=classification_mark(plan.classification),
        )
