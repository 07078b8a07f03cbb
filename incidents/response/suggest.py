"""The suggested response level for an incident, with its reasoning (city plan 1.4 defaults):
grade Ⅳ → level 4; grade Ⅲ → level 3; cross-county or a fairly serious grade Ⅲ → level 2;
grade Ⅱ or above → level 1. A sensitive incident, a key area or a key period raises it by one;
an extreme low-probability, high-risk event is raised decisively to level 1."""
from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from .authority import organisation_id
from .models import KeyPeriod

CONTEXT_FLAGS = ("cross_county", "fairly_serious", "sensitive", "key_area", "extreme")


@dataclass
class Suggestion:
    level: int
    reasons: list[str] = field(default_factory=list)


def suggest_level(*, incident, context: dict | None = None) -> Suggestion:
    context = {key: bool((context or {}).get(key)) for key in CONTEXT_FLAGS}
    grade = incident.grade
    if grade in ("I", "II"):
        suggestion = Suggestion(1, [_("Grade %(grade)s: level 1.") % {"grade": grade}])
    elif grade == "III":
        if context["cross_county"] or context["fairly_serious"]:
            suggestion = Suggestion(2, [_("Grade III across counties or fairly serious: level 2.")])
        else:
            suggestion = Suggestion(3, [_("Grade III: level 3.")])
    elif grade == "IV":
        suggestion = Suggestion(4, [_("Grade IV: level 4.")])
    else:
        suggestion = Suggestion(4, [_("Not yet graded: level 4 until the grade is set.")])
    period = KeyPeriod.objects.filter(organisation_id=organisation_id(incident.unit_id),
                                      starts_at__lte=timezone.now(), ends_at__gt=timezone.now()).first()
    raisers = [text for flag, text in (
        (context["sensitive"], _("a sensitive incident")), (context["key_area"], _("a key area")),
        (period is not None, _("the key period “%(name)s”") % {"name": period.name} if period else ""),
    ) if flag]
    if raisers and suggestion.level > 1:
        suggestion.level -= 1
        suggestion.reasons.append(_("Raised one level for %(why)s.") % {"why": "、".join(raisers)})
    if context["extreme"] and suggestion.level > 1:
        suggestion.level = 1
        suggestion.reasons.append(_("An extreme low-probability, high-risk event: raised decisively to level 1."))
    return suggestion
