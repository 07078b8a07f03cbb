"""The incidents' official documents: each report sent to the superior (首报、续报、终报, and a
correction), the investigation and assessment report, and the annual review. In Chinese, the
language they are filed in, whatever the reader's interface language."""
from __future__ import annotations

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from emergency.documents import OfficialDocument, Section, Table, classification_mark, format_moment

from .grading.models import Metric
from .models import Incident, IncidentClosure, IncidentReport, Investigation, ReportingDeadline


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _figures(metrics: dict) -> Table | None:
    if not metrics:
        return None
    known = {m.key: m for m in Metric.objects.filter(key__in=list(metrics))}
    rows = [[known[k].display_name if k in known else k, str(v), known[k].unit if k in known else ""]
            for k, v in metrics.items()]
    return Table(header=[_("Figure"), _("Value"), _("Unit of measure")], rows=rows)


def _facts(incident: Incident) -> Section:
    lines = [
        f"{_('Number')}：{incident.number}",
        f"{_('Type')}：{incident.incident_type.display_name}",
        f"{_('Occurred at')}：{format_moment(incident.occurred_at)}",
        f"{_('Place')}：{incident.address}",
        f"{_('Received at')}：{format_moment(incident.received_at)}",
        f"{_('Grade')}：{incident.get_grade_display() if incident.grade else _('Not yet graded')}",
    ]
    return Section(heading=_("The facts"), paragraphs=lines)


def report_document(report: IncidentReport) -> OfficialDocument:
    incident = report.incident
    with translation.override("zh-hans"):
        kind = report.get_kind_display()
        sent = list(report.dispatches.select_related("unit"))
        addressees = [d.unit.name if d.unit_id else d.recipient for d in sent] or \
            ([incident.unit.parent.name] if incident.unit.parent_id else [])
        sections = [_facts(incident), Section(heading=_("The report"), paragraphs=_paragraphs(report.body))]
        if report.corrects_id:
            sections.append(Section(heading=_("What this report corrects"), paragraphs=[
                _("This report corrects report no. %(n)s.") % {"n": report.corrects.sequence},
                *_paragraphs(report.correction_reason)]))
        figures = _figures(report.metrics)
        if figures:
            sections.append(Section(heading=_("Casualties and losses"), table=figures))
        if report.grade_reasons:
            sections.append(Section(heading=_("Why this grade"), paragraphs=[
                f"{r.get('wording', '')}（{r.get('source', '')}）" if isinstance(r, dict) else str(r)
                for r in report.grade_reasons]))
        return OfficialDocument(
            issuer=incident.unit.name, title=_("Report on %(title)s (%(kind)s)") % {"title": incident.title, "kind": kind},
            number=_("%(number)s, report no. %(n)s") % {"number": incident.number, "n": report.sequence},
            dated=timezone.localdate(report.submitted_at), addressee="、".join(dict.fromkeys(addressees)),
            sections=sections, classification=classification_mark(incident.classification),
            filename=f"{incident.number}-{report.sequence}",
        )


def investigation_document(investigation: Investigation) -> OfficialDocument:
    incident = investigation.incident
    with translation.override("zh-hans"):
        parts = [(_("What happened"), investigation.summary), (_("Causes"), investigation.causes),
                 (_("Losses"), investigation.losses), (_("Responsibility"), investigation.responsibility),
                 (_("Recovery measures"), investigation.recovery)]
        sections = [_facts(incident)] + [Section(heading=h, paragraphs=_paragraphs(t)) for h, t in parts if t]
        if investigation.lessons:
            sections.append(Section(heading=_("Lessons"), paragraphs=[
                f"{i}. {lesson}" for i, lesson in enumerate(investigation.lessons, 1)]))
        return OfficialDocument(
            issuer=incident.unit.name,
            title=_("Investigation and assessment report on %(title)s") % {"title": incident.title},
            number=incident.number, dated=timezone.localdate(investigation.submitted_at),
            addressee=incident.unit.parent.name if incident.unit.parent_id else "", sections=sections,
            classification=classification_mark(incident.classification), filename=f"{incident.number}-investigation",
        )


def annual_review_document(review, *, issuer: str) -> OfficialDocument:
    with translation.override("zh-hans"):
        rows = [[row["type"].category.display_name, row["type"].display_name, *map(str, row["counts"]),
                 str(row["total"])] for row in review.by_type]
        sections = [
            Section(heading=_("Incidents by type and grade"), paragraphs=[
                _("%(year)s: %(total)s incidents.") % {"year": review.year, "total": review.total}],
                table=Table(header=[_("Category"), _("Type"), "Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", _("Not yet graded"), _("Total")],
                            rows=rows)),
        ]
        if review.not_incidents:  # false reports and duplicates: closed, counted apart from the incidents
            sections.append(Section(heading=_("Closed as no incident"), table=Table(
                header=[_("Reason"), _("Reports")],
                rows=[[str(IncidentClosure.Reason(k).label), str(n)] for k, n in review.not_incidents.items()])))
        if review.late:
            sections.append(Section(heading=_("Reports late"), table=Table(
                header=[_("Deadline"), _("Late")], rows=[[str(ReportingDeadline.Kind(k).label), str(n)] for k, n in review.late.items()])))
        if review.response_minutes:
            sections.append(Section(heading=_("Time from receipt to the start of a response"), table=Table(
                header=[_("Level"), _("Responses"), _("Median (minutes)"), _("Longest (minutes)")],
                rows=[[str(f.get("label", level)), str(f["count"]), f"{f['median']:.0f}", f"{f['max']:.0f}"]
                      for level, f in review.response_minutes.items()])))
        return OfficialDocument(
            issuer=issuer, title=_("Review of the incidents of %(year)s") % {"year": review.year},
            dated=timezone.localdate(), sections=sections, filename=f"annual-review-{review.year}",
        )
