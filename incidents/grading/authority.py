"""Grading by hand where the organisation's table has no row that decides (issue 19, item 2).

City 1.3 "具體事件等級標準執行國家有關規定" and customs 1.3 / 3.3.1 (3) "不受突发事件分级标准限制": a type
the table has no row for (舆情突发事件, 经济安全事件) is graded Ⅰ–Ⅳ by hand; a type whose rows do not
reach any grade is less severe than its least severe row, so only the grades below it are set by hand
(the appendix's rows stop at Ⅱ: Ⅲ/Ⅳ). Who sets each grade is the organisation's data
(`GradingAuthority`: roles, where they are held, the clause); without a rule, the lead department of
the incident's unit or a superior (its officer, the commander, the principal), as before.
"""
from __future__ import annotations

from typing import Any, NamedTuple

from django.utils.translation import gettext_lazy as _

from emergency.errors import NotFound, NotPermitted
from emergency.org.models import OrgUnit, User
from emergency.org.roles import Role
from emergency.org.scope import unit_scope
from emergency.org.tree import top_id

from .models import GRADE_RANK, Criterion, Grade, GradingAuthority

DEFAULT_ROLES = [Role.LEAD_OFFICER, Role.COMMANDER, Role.PRINCIPAL]
HeldAt = GradingAuthority.HeldAt


class Grader(NamedTuple):
    roles: list[str]
    held_at: str
    basis: str
    from_plan: bool


def hand_grades(incident: Any) -> list[str]:
    """The grades no row of the table that graded the incident can decide for its types, most severe
    first: all four when none of its types has a row, none when a floor row always decides."""
    types = [incident.incident_type_id, *incident.secondary_types.values_list("pk", flat=True)]
    rows = Criterion.objects.filter(table_id=incident.grade_table_id, incident_type_id__in=types)
    if rows.filter(floor=True).exists():
        return []
    least = max((GRADE_RANK[g] for g in rows.values_list("grade", flat=True).distinct()), default=0)
    return [g for g in Grade.values if GRADE_RANK[g] > least]


def grader_for(incident: Any, grade: str) -> Grader:
    rules = {r.grade: r for r in GradingAuthority.objects.filter(organisation_id=top_id(incident.unit_id),
                                                                  grade__in={grade, ""})}
    rule = rules.get(grade) or rules.get("")
    if rule is None:
        return Grader(list(DEFAULT_ROLES), HeldAt.INCIDENT_UNIT, "", False)
    return Grader(list(rule.roles), rule.held_at, rule.basis, rule.from_plan)


def _place_id(incident: Any, held_at: str) -> int:
    return top_id(incident.unit_id) if held_at == HeldAt.TOP else incident.unit_id


def grader_text(incident: Any, grade: str) -> str:
    """Who sets this grade by hand, for messages and the page: "党委（党组） / 单位主要负责人（贵港市）"."""
    grader = grader_for(incident, grade)
    name = OrgUnit.objects.filter(pk=_place_id(incident, grader.held_at)).values_list("name", flat=True).first()
    return f"{' / '.join(str(Role(r).label) for r in grader.roles)}（{name}）"


def grader_role(actor: User, incident: Any, grade: str) -> str | None:
    """The role the actor sets `grade` as, or None. A role in a unit covers its descendants."""
    grader = grader_for(incident, grade)
    scope = unit_scope(actor)
    place = _place_id(incident, grader.held_at)
    return next((r for r in grader.roles if scope.has_role(r, place)), None)


def grades_for(actor: User, incident: Any) -> list[str]:
    """The grades the actor may set by hand on the incident now."""
    return [g for g in hand_grades(incident) if grader_role(actor, incident, g)]


def require_grader(actor: User, incident: Any, grade: str) -> Grader:
    """Refuse unless the actor holds the organisation's grading authority for `grade`; the refusal names it."""
    if not unit_scope(actor).can_see(incident.unit_id):
        raise NotFound(_("Not found."))
    if grader_role(actor, incident, grade) is None:
        raise NotPermitted(_("%(grade)s is set by hand by the %(who)s.")
                           % {"grade": Grade(grade).label, "who": grader_text(incident, grade)})
    return grader_for(incident, grade)
