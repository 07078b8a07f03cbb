"""The suggested response level for an incident, with its reasoning, as each plan states it.

City plan 1.4.2 (the city level's response, "市級層面"): (1) a fairly serious ordinary (一般) incident
in a county → level 4 — an ordinary one is the county's to respond to, not the city's; (2) a
serious (較大, grade Ⅲ) incident → level 3; (3) a grade Ⅲ incident across cities or counties, or a
fairly serious one → level 2; (4) grade Ⅱ or above → level 1; and "對涉及面廣、敏感複雜或處置不當後果嚴重的一般
突發事件,根據應對工作需要,可啓動市級層面相應級別應急響應" → a sensitive ordinary incident, level 4.
Customs plan 3.3.3: grade Ⅰ ↔ level 1, grade Ⅱ ↔ level 2, grades Ⅲ and Ⅳ ↔ levels 3 and 4; and 3.3.2:
"对于小概率、高风险、超常规的极端事件，要果断提级响应" — a raise, with no target level named.
A sensitive incident, a key area or a key period raises the suggestion one level. Without a grade
there is no suggestion: the lead department sets the grade first (or proposes with its reasons).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from emergency.org.models import OrgUnit

from .authority import organisation_id
from .models import KeyPeriod

CONTEXT_FLAGS = ("cross_county", "cross_city", "fairly_serious", "sensitive", "key_area", "extreme")


@dataclass
class Suggestion:
    level: int | None
    reasons: list[str] = field(default_factory=list)
    raised_for: frozenset[str] = frozenset()  # context flags the rule itself has already counted


def _city(grade: str, context: dict[str, bool]) -> Suggestion:
    if grade in ("I", "II"):
        return Suggestion(1, [_("Grade %(grade)s: city level 1 (city plan 1.4.2 (4)).") % {"grade": grade}])
    if grade == "III":
        if context["cross_city"] or context["cross_county"] or context["fairly_serious"]:
            return Suggestion(2, [_("Grade III across cities or counties, or fairly serious: city level 2 "
                                    "(city plan 1.4.2 (3)).")])
        return Suggestion(3, [_("Grade III: city level 3 (city plan 1.4.2 (2)).")])
    if context["fairly_serious"]:
        return Suggestion(4, [_("A fairly serious grade IV incident: city level 4 (city plan 1.4.2 (1)).")])
    if context["sensitive"]:  # consumed here: not raised again below
        return Suggestion(4, [_("A sensitive, complex grade IV incident: the city may start its level 4 as the "
                                "response requires (city plan 1.4.2 \"對涉及面廣、敏感複雜或處置不當後果嚴重的一般突發事件"
                                "…可啓動市級層面相應級別應急響應\").")], raised_for=frozenset({"sensitive"}))
    return Suggestion(None, [_("An ordinary grade IV incident: the county responds; no city-level response "
                               "(city plan 1.4.2 (1)).")])


def _customs(grade: str, context: dict[str, bool]) -> Suggestion:
    level = {"I": 1, "II": 2, "III": 3, "IV": 4}[grade]
    return Suggestion(level, [_("Grade %(grade)s: level %(level)s (customs plan 3.3.3).") % {
        "grade": grade, "level": level}])


def suggest_level(*, incident, context: dict | None = None) -> Suggestion:
    context = {key: bool((context or {}).get(key)) for key in CONTEXT_FLAGS}
    top = organisation_id(incident.unit_id)
    if not incident.grade:
        return Suggestion(None, [_("Not yet graded: set the grade first; no level is suggested without it.")])
    customs = OrgUnit.objects.filter(pk=top, kind=OrgUnit.Kind.CUSTOMS_DISTRICT).exists()
    suggestion = (_customs if customs else _city)(incident.grade, context)
    if suggestion.level is None:
        return suggestion
    period = KeyPeriod.objects.filter(organisation_id=top, starts_at__lte=timezone.now(),
                                      ends_at__gt=timezone.now()).first()
    raisers = [text for flag, text in (
        (context["sensitive"] and "sensitive" not in suggestion.raised_for, _("a sensitive incident")), (context["key_area"], _("a key area")),
        (period is not None, _("the key period “%(name)s”") % {"name": period.name} if period else ""),
    ) if flag]
    if raisers and suggestion.level > 1:
        suggestion.level -= 1
        suggestion.reasons.append(_("Raised one level for %(why)s.") % {"why": "、".join(raisers)})
    if context["extreme"] and suggestion.level > 1:
        suggestion.level -= 1
        suggestion.reasons.append(_("An extreme low-probability, high-risk event: raised decisively one more level "
                                    "(果断提级); the decider may raise it further."))
    return suggestion
