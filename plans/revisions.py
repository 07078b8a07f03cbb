"""Revising a plan: whether a revision is major (the full route) or minor (the simplified one), read
from what it changes (city plan 5.4 3)); and revision suggestions, which anyone may make (5.4 4)):
any user of the plan's organisation, or a member of the public without an account. A suggestion goes
to the plan's owner (its unit's plan administrators) and is tracked to closure."""
from __future__ import annotations

import re

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from emergency.audit.services import audit_record
from emergency.errors import NotFound, ValidationFailed
from emergency.notify.services import notification_send
from emergency.org.models import RoleAssignment, User
from emergency.org.roles import Role
from emergency.org.scope import organisation_units
from emergency.org.services import require

from .lifecycles import REQUEST
from .models import Plan, RevisionRequest

# City plan 5.4 3): "应急预案修订涉及组织指挥体系与职责、应急处置程序、主要处置措施、响应分级标准等重要内容的,
# 修订工作应按照本预案5.2 ... 组织进行。仅涉及其他内容的,修订程序可适当简化。" A section is key content when
# its title names one of the four.
KEY_CONTENT = [
    (re.compile(r"组织|指挥|职责|机构"), _("organisation, command and duties")),
    (re.compile(r"程序|响应|处置"), _("response procedures")),
    (re.compile(r"措施"), _("main measures")),
    (re.compile(r"分级|级别|标准"), _("response grading criteria")),
]


def _changed_titles(before: list[dict], after: list[dict]) -> list[str]:
    old = {s["title"]: s["body"] for s in before}
    new = {s["title"]: s["body"] for s in after}
    return [t for t in new if old.get(t) != new[t]] + [t for t in old if t not in new]


def revision_scope(*, before: list[dict], after: list[dict]) -> tuple[bool, str]:
    """Whether a revision from `before` to `after` touches key content, and why (in the user's language)."""
    changed = _changed_titles(before, after)
    touched = []
    for title in changed:
        kinds = [str(label) for pattern, label in KEY_CONTENT if pattern.search(title)]
        if kinds:
            touched.append(f"“{title}”（{'、'.join(kinds)}）")
    if touched:
        return True, gettext("It changes key content (city plan 5.4 3)): %(sections)s.") % {
            "sections": "；".join(touched)}
    listed = "、".join(f"“{t}”" for t in changed) or "—"
    return False, gettext("It changes only other content: %(sections)s.") % {"sections": listed}


def plan_owners(plan: Plan) -> set[int]:
    """Who receives what is addressed to a plan: its unit's plan administrators."""
    return set(RoleAssignment.objects.filter(unit_id=plan.unit_id, role=Role.PLAN_ADMIN)
               .values_list("user_id", flat=True))


def may_suggest(actor: User, plan: Plan) -> None:
    """Any user of the plan's organisation may suggest revising it (5.4 4)); another organisation's
    user is answered as if the plan did not exist."""
    units = organisation_units(actor)
    if units is not None and plan.unit_id not in units:
        raise NotFound(_("Not found."))


def _route_to_owner(request: RevisionRequest) -> None:
    plan = request.plan
    notification_send(recipient_ids=plan_owners(plan), kind="plan.revision_request", unit_id=plan.unit_id,
                      title=gettext("Revision suggested: %(plan)s") % {"plan": plan.title},
                      body=request.description[:500], link=reverse("plan-detail", kwargs={"pk": plan.pk}),
                      source_key=f"plan.revision_request:{request.pk}")


@transaction.atomic
def revision_request_file(*, actor: User, plan: Plan, trigger: str, description: str,
                          source: str = "") -> RevisionRequest:
    """A user of the organisation suggests revising a plan with one of the triggers of 5.4 2)."""
    may_suggest(actor, plan)
    if trigger not in RevisionRequest.Trigger.values:
        raise ValidationFailed(_("Some fields are missing or invalid."), fields={
            "trigger": [_("Choose one of the revision triggers of section 5.4.")]})
    request = RevisionRequest.objects.create(plan=plan, trigger=trigger, description=description.strip(),
                                             source=source, filed_by=actor, filed_at=timezone.now())
    audit_record(actor=actor, unit_id=plan.unit_id, action="plan.revision_request", target=request,
                 after={"trigger": trigger, "source": source})
    _route_to_owner(request)
    return request


@transaction.atomic
def revision_request_suggest_public(*, plan: int, trigger: str, description: str, name: str,
                                    contact: str) -> RevisionRequest:
    """A member of the public suggests revising a published plan (5.4 4): "公民等,可以...提出修订建议")."""
    plan = Plan.objects.filter(pk=plan, state=Plan.State.PUBLISHED).first()
    if plan is None:
        raise ValidationFailed(_("Some fields are missing or invalid."), fields={"plan": [_("Not found.")]})
    request = RevisionRequest.objects.create(plan=plan, trigger=trigger, description=description.strip(),
                                             source="public", public_name=name.strip(),
                                             public_contact=contact.strip(), filed_at=timezone.now())
    audit_record(actor=None, unit_id=plan.unit_id, action="plan.revision_request.public", target=request,
                 after={"trigger": trigger, "name": request.public_name})
    _route_to_owner(request)
    return request


@transaction.atomic
def revision_request_close(*, actor: User, request: RevisionRequest, state: str, resolution: str) -> RevisionRequest:
    """The plan's owner accepts a suggestion (it stays in progress), declines it or marks it done."""
    request = RevisionRequest.objects.select_for_update(of=("self", "plan")).select_related("plan").get(pk=request.pk)
    require(actor, "plans.change_plan", request.plan)
    REQUEST.require("close", request)
    if state not in (RevisionRequest.State.ACCEPTED, RevisionRequest.State.DECLINED, RevisionRequest.State.DONE):
        raise ValidationFailed(_("Some fields are missing or invalid."), fields={"state": [_("Unknown state.")]})
    before = request.state
    request.state, request.resolution = state, resolution.strip()
    if state != RevisionRequest.State.ACCEPTED:
        request.closed_by, request.closed_at = actor, timezone.now()
    request.save()
    audit_record(actor=actor, unit_id=request.plan.unit_id, action="plan.revision_request.close", target=request,
                 before={"state": before}, after={"state": state, "resolution": request.resolution})
    return request
