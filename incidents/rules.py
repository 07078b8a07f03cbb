"""Who may do what with an incident (django-rules). A role in a unit covers its descendants."""
import rules

from emergency.org.roles import Role
from emergency.org.rules import _holds

on_duty = _holds(Role.DUTY_OFFICER, Role.LEAD_OFFICER, Role.COMMANDER, Role.PRINCIPAL)
reports_up = _holds(Role.DUTY_OFFICER, Role.COMMANDER, Role.PRINCIPAL)
leads = _holds(Role.LEAD_OFFICER, Role.COMMANDER, Role.PRINCIPAL)
directs = _holds(Role.DUTY_OFFICER, Role.COMMANDER, Role.PRINCIPAL)

rules.add_perm("incidents.add_incident", on_duty)
rules.add_perm("incidents.add_report", on_duty)
rules.add_perm("incidents.send_report", reports_up)
rules.add_perm("incidents.classify", reports_up)
rules.add_perm("incidents.record_release", on_duty)
rules.add_perm("incidents.set_grade", leads)
rules.add_perm("incidents.assign_lead", directs)
rules.add_perm("incidents.flag_panic", on_duty)
rules.add_perm("incidents.review", _holds(Role.COMMANDER, Role.PRINCIPAL, Role.LEAD_OFFICER, Role.LEADER_IN_CHARGE,
                                          Role.DEPARTMENT_PRINCIPAL))
