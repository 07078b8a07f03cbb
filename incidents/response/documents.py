"""A response's situation report (情况通报): where the incident stands, the response level and who
commands it, the command post and its working groups, the orders and how far each has got."""
from __future__ import annotations

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from emergency.documents import OfficialDocument, Section, Table, classification_mark, format_moment

from .models import Response


def situation_report(response: Response, *, sequence: int | None = None) -> OfficialDocument:
    incident = response.incident
    with translation.override("zh-hans"):
        latest = incident.reports.order_by("-sequence").first()
        sections = [Section(heading=_("The incident"), paragraphs=[
            f"{_('Number')}：{incident.number}　{_('Type')}：{incident.incident_type.display_name}",
            f"{_('Occurred at')}：{format_moment(incident.occurred_at)}　{_('Place')}：{incident.address}",
            f"{_('Grade')}：{incident.get_grade_display() if incident.grade else _('Not yet graded')}",
            *([f"{_('Latest report')}（{latest.get_kind_display()}，{format_moment(latest.submitted_at)}）：{latest.body}"]
              if latest else []),
        ])]
        state = [f"{_('Response level')}：{response.get_level_display()}　{_('Commanded by')}：{response.command_unit.name}",
                 f"{_('Started at')}：{format_moment(response.started_at)}"]
        if response.ended_at:
            state.append(f"{_('Ended at')}：{format_moment(response.ended_at)}　{response.end_reason}")
        post = getattr(response, "command_post", None)
        if post is not None:
            state.append(f"{_('Command post')}：{post.name}（{post.location}），{_('opened at')} {format_moment(post.opened_at)}")
        sections.append(Section(heading=_("The response"), paragraphs=state))
        if post is not None:
            groups = list(post.groups.select_related("lead_department"))
            if groups:
                sections.append(Section(heading=_("Working groups"), table=Table(
                    header=[_("Working group"), _("Lead department")],
                    rows=[[g.get_kind_display(), g.lead_department.name if g.lead_department_id else ""]
                          for g in groups])))
        orders = list(response.orders.select_related("department").order_by("pk"))
        if orders:
            sections.append(Section(heading=_("Orders and their progress"), table=Table(
                header=[_("Order"), _("Department"), _("State")],
                rows=[[o.text, o.department.name if o.department_id else "", o.get_status_display()] for o in orders])))
        number = _("%(number)s, situation report") % {"number": incident.number}
        if sequence:
            number += f" 第{sequence}期"
        return OfficialDocument(
            issuer=response.command_unit.name,
            title=_("Situation report on %(title)s") % {"title": incident.title}, number=number,
            dated=timezone.localdate(), sections=sections, filename=f"{incident.number}-situation",
            classification=classification_mark(incident.classification),
        )
