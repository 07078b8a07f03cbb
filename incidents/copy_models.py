"""The copies (抄送) of reports sent up: the organisation's rules, and one append-only row per copy."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportCopyRule(models.Model):
    """Organisation data: which incidents' reports are copied (抄送) to whom when sent up. City plan
    3.3.1 2): natural disasters and work safety "报送上级党委、政府的同时抄送上级应急管理部门" (the
    department of the receiving unit whose name ends with `department_name`); customs plan 3.3.1 (1)
    "必要时，报告相关所在地党委和政府" (the linked organisations, named by `recipient` when none is on
    the platform). Empty `categories` and `types` match every incident."""

    class Target(models.TextChoices):
        DEPARTMENT = "department", _("A department of the receiving unit")
        LINKED = "linked", _("The linked organisations")

    class Level(models.TextChoices):
        RECEIVING = "receiving", _("The receiving unit's (上级)")
        OWN = "own", _("The reporting unit's own level (本级)")

    organisation = models.ForeignKey("org.OrgUnit", on_delete=models.CASCADE, related_name="report_copy_rules")
    categories = models.JSONField(_("incident categories"), default=list, blank=True)
    types = models.JSONField(_("incident types"), default=list, blank=True)
    target = models.CharField(_("copied to"), max_length=12, choices=Target.choices)
    department_name = models.CharField(_("department name ends with"), max_length=100, blank=True)
    recipient = models.CharField(_("recipient"), max_length=200)
    basis = models.CharField(_("basis"), max_length=300)
    from_plan = models.BooleanField(_("the plan's own rule"), default=True)
    # City 3.3.1 2) "…抄送上级应急管理部门,报送本级黨委、政府的同時抄送本級應急管理部門": whose department.
    level = models.CharField(_("department of which level"), max_length=10, choices=Level.choices,
                             default=Level.RECEIVING)
    # A top unit's report goes to a superior outside the platform: the body copied there (自治区应急管理厅).
    outside_recipient = models.CharField(_("copied outside the platform to"), max_length=200, blank=True)
    # Customs 3.3.1 (1) "必要时": the officer judges, on sending the report up; `needed_by_default` is the
    # choice offered first.
    when_needed = models.BooleanField(_("only when the officer judges it needed"), default=False)
    needed_by_default = models.BooleanField(_("judged needed unless the officer says otherwise"), default=False)

    class Meta:
        ordering = ["organisation_id", "id"]
        verbose_name = _("report copy rule")
        verbose_name_plural = _("report copy rules")

    def matches(self, incident_type) -> bool:
        if not self.categories and not self.types:
            return True
        return incident_type.category.code in self.categories or incident_type.code in self.types


class ReportCopy(models.Model):
    """A copy (抄送) of a report sent up: to whom, why, when; append-only at the database except
    the single recording of its acknowledgement. `unit` is empty for a body outside the platform."""

    scope_lookup = "report__incident__unit"

    report = models.ForeignKey("incidents.IncidentReport", on_delete=models.PROTECT, related_name="copies")
    dispatch = models.ForeignKey("incidents.ReportDispatch", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="copies")
    unit = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="received_report_copies", verbose_name=_("to unit"))
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="received_report_copies", verbose_name=_("to department"))
    recipient = models.CharField(_("recipient"), max_length=200)
    basis = models.CharField(_("basis"), max_length=300)
    sent_at = models.DateTimeField(_("sent at"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="+", verbose_name=_("acknowledged by"))

    class Meta:
        ordering = ["sent_at", "id"]
        verbose_name = _("report copy")
        verbose_name_plural = _("report copies")

    @property
    def scope_unit_id(self) -> int:
        return self.report.incident.unit_id

    @property
    def state(self) -> str:
        return "acknowledged" if self.acknowledged_at else "sent"
