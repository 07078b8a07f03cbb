from django.utils.translation import gettext_lazy as _

from emergency.org.roles import DEPARTMENT_ROLES, Role
from emergency.ui import workbench
from emergency.ui.navigation import NavItem, register

register(NavItem("incidents", _("Incidents"), "incident-list", order=10))
register(NavItem("late", _("Late reports"), "late-deadlines", order=15))
register(NavItem("review", _("Annual review"), "annual-review", order=16))
# Copies (抄送) go to a duty room (a linked organisation's) or a department's people: their page is in reach.
register(NavItem("copies", _("Copies received"), "report-copies-received", roles=DEPARTMENT_ROLES | {Role.DUTY_OFFICER},
                 order=17))
register(NavItem("grading", _("Grading standard"), "grading-tables", order=70))


def _active_incidents(user) -> int:
    from emergency.org.scope import unit_scope

    from .models import Incident

    return Incident.objects.filter(unit_id__in=unit_scope(user).visible,
                                   status__in=[Incident.Status.REPORTED, Incident.Status.RESPONDING]).count()


def _late_open(user) -> int:
    from emergency.org.scope import unit_scope

    from .models import ReportingDeadline

    return ReportingDeadline.objects.filter(incident__unit_id__in=unit_scope(user).visible,
                                            state=ReportingDeadline.State.LATE).count()


workbench.register(workbench.Figure("incidents-active", _("Incidents being handled"), _active_incidents,
                                    "incident-list", order=10))
workbench.register(workbench.Figure("late-open", _("Reports late and still owed"), _late_open, "late-deadlines",
                                    order=20, alert=True))
workbench.register_action(workbench.Action("log-incident", _("Log an incident"), "incidents.add_incident",
                                           "incident-new", order=10))
