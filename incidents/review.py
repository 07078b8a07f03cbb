"""Afterwards: the investigation and assessment report that closes an incident, and the annual
review of last year's incidents (city plan 3.4.2: each first quarter) as figures and CSV."""
from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from emergency import live
from emergency.audit.services import audit_record
from emergency.errors import Conflict, NotFound, NotPermitted, ValidationFailed
from emergency.org.models import User
from emergency.org.scope import unit_scope
from emergency.org.services import require
from incidents.grading.models import IncidentType
from plans.annual import LEADERS
from plans.models import RevisionRequest
from plans.services import revision_request_file

from . import lifecycles
from .models import Incident, Investigation, ReportingDeadline


def require_may_mark_done(actor: User, duty) -> None:
    """The annual review is marked done by a leader of its unit (city plan 3.4.2 2)), once."""
    if not unit_scope(actor).can_see(duty.unit_id):
        raise NotFound(_("Not found."))
    if not any(unit_scope(actor).has_role(role, duty.unit_id) for role in LEADERS):
        raise NotPermitted(_("You do not have permission to perform this action."))
    if duty.done_at:
        raise Conflict(_("This annual review is already done."))


@transaction.atomic
def investigation_submit(*, actor: User, incident: Incident, summary: str, causes: str, losses: str = "",
                         responsibility: str = "", recovery: str = "", lessons: list[str] | None = None,
                         revise_plans: list | None = None) -> Investigation:
    """Submit the report; its lessons open a revision request against each plan in `revise_plans`."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    require(actor, "incidents.review", incident)
    lifecycles.INCIDENT.require("investigate", incident, state_attr="status")
    report = Investigation.objects.create(
        incident=incident, summary=summary.strip(), causes=causes.strip(), losses=losses.strip(),
        responsibility=responsibility.strip(), recovery=recovery.strip(),
        lessons=[lesson.strip() for lesson in (lessons or []) if lesson.strip()], submitted_by=actor,
        submitted_at=timezone.now())
    incident.status = Incident.Status.REVIEWED
    incident.save(update_fields=["status", "updated_at"])
    if revise_plans:
        if not report.lessons:
            raise ValidationFailed(_("Write the lessons that call for the revision."),
                                   fields={"lessons": [_("This field is required.")]})
        for plan in revise_plans:
            revision_request_file(actor=actor, plan=plan, trigger=RevisionRequest.Trigger.LESSONS,
                                  description="\n".join(report.lessons), source=f"incident:{incident.pk}")
    audit_record(actor=actor, unit_id=incident.unit_id, action="incident.investigation", target=report,
                 after={"lessons": report.lessons, "revise_plans": [p.pk for p in revise_plans or []]})
    live.publish(event="incident.reviewed", unit_id=incident.unit_id, data={"incident": incident.pk},
                 about=("incident", incident.pk))
    return report


# Apps above incidents add their figures to the review (the responses' times to start) through
# `review_part`, so that incidents imports none of them.
_review_parts: list[Callable[..., None]] = []


def review_part(part: Callable[..., None]) -> Callable[..., None]:
    """part(*, review: AnnualReview, incidents: QuerySet[Incident]) fills its fields of `review`."""
    _review_parts.append(part)
    return part


@dataclass
class AnnualReview:
    year: int
    total: int = 0
    by_type: list[dict] = field(default_factory=list)  # type, category, grade counts
    late: dict[str, int] = field(default_factory=dict)
    response_minutes: dict[int, dict[str, float]] = field(default_factory=dict)  # level → median, max, count
    not_incidents: dict[str, int] = field(default_factory=dict)  # reports closed as no incident, by reason


GRADES = ["I", "II", "III", "IV", ""]


def annual_review(*, user: User, year: int) -> AnnualReview:
    """Counts by type and grade, late deadlines by kind, and time from receipt to response start
    per level, over the user's units: four queries whatever the number of incidents."""
    visible = unit_scope(user).visible
    logged = Incident.objects.filter(unit_id__in=visible, received_at__year=year)
    incidents = logged.exclude(status=Incident.Status.CLOSED)  # false reports and duplicates count apart
    review = AnnualReview(year=year)
    from .models import IncidentClosure

    review.not_incidents = dict(IncidentClosure.objects.filter(incident__in=logged).values_list("reason")
                                .annotate(n=Count("id")))
    counts: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(GRADES, 0))
    for type_id, grade, n in incidents.values_list("incident_type_id", "grade").annotate(n=Count("id")):
        counts[type_id][grade] += n
        review.total += n
    types = {t.pk: t for t in IncidentType.objects.select_related("category").filter(pk__in=counts)}
    review.by_type = [{"type": types[pk], "counts": [row[g] for g in GRADES], "total": sum(row.values())}
                      for pk, row in sorted(counts.items(), key=lambda item: types[item[0]].position)]
    review.late = dict(ReportingDeadline.objects.filter(incident__in=incidents, state__in=["late", "met_late"])
                       .values_list("kind").annotate(n=Count("id")))
    for part in _review_parts:
        part(review=review, incidents=incidents)
    return review


def annual_review_csv(review: AnnualReview) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([gettext("Year"), review.year, gettext("Incidents"), review.total])
    writer.writerow([gettext("Category"), gettext("Type"), "I", "II", "III", "IV", gettext("Not yet graded"), gettext("Total")])
    for row in review.by_type:
        writer.writerow([row["type"].category.display_name, row["type"].display_name, *row["counts"], row["total"]])
    writer.writerow([])
    if review.not_incidents:
        from .models import IncidentClosure

        writer.writerow([gettext("Closed as no incident"), *[f"{IncidentClosure.Reason(k).label}: {n}"
                                                             for k, n in review.not_incidents.items()]])
    writer.writerow([gettext("Late reports"), *[f"{ReportingDeadline.Kind(k).label}: {n}" for k, n in review.late.items()]])
    writer.writerow([gettext("Level"), gettext("Responses"), gettext("Median minutes from receipt to start"), gettext("Longest")])
    for level, figures in review.response_minutes.items():
        writer.writerow([str(figures.get("label", level)), figures["count"], round(figures["median"], 1), round(figures["max"], 1)])
    return "\ufeff" + out.getvalue()  # BOM: spreadsheet programs then read the Chinese correctly
