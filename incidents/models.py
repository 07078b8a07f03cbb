"""Incidents, their immutable reports and where they were sent, public releases, and the
reporting deadlines that run from the moment an incident is received."""
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from emergency.documents import Classification
from incidents.grading.models import Grade


class Incident(models.Model):
    scope_lookup = "unit"  # the unit that owns it, for scoped choices (emergency.org.scope.scoped)
    class Status(models.TextChoices):
        REPORTED = "reported", _("Reported")
        RESPONDING = "responding", _("Responding")
        ENDED = "ended", _("Ended")
        REVIEWED = "reviewed", _("Reviewed")
        CLOSED = "closed", _("Closed: not an incident")

    number = models.CharField(_("number"), max_length=32, unique=True)
    unit = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="incidents", verbose_name=_("unit"))
    title = models.CharField(_("title"), max_length=200)
    incident_type = models.ForeignKey("grading.IncidentType", on_delete=models.PROTECT, related_name="incidents",
                                      verbose_name=_("type"))
    secondary_types = models.ManyToManyField("grading.IncidentType", blank=True, related_name="secondary_incidents",
                                             verbose_name=_("secondary and derived types"))
    address = models.CharField(_("place"), max_length=300)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    occurred_at = models.DateTimeField(_("occurred at"))
    discovered_at = models.DateTimeField(_("discovered at"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"))
    metrics = models.JSONField(_("metrics"), default=dict, blank=True)
    checked = models.JSONField(_("checked criteria"), default=list, blank=True)
    grade = models.CharField(_("grade"), max_length=3, choices=Grade.choices, blank=True)
    grade_reasons = models.JSONField(_("grade reasons"), default=list, blank=True)
    grade_table = models.ForeignKey("grading.ThresholdTable", on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("graded by table"))
    grade_set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("grade set by"))
    grade_set_reason = models.TextField(_("why the lead department set this grade"), blank=True)
    may_cause_panic = models.BooleanField(_("may cause public panic"), default=False)
    # City plan 3.3.1 3), customs plan 3.3.1 (3): a sensitive incident, one in a key area or period, or one
    # that may escalate is reported up as grade I/II would be, "不受突发事件分级标准限制".
    reported_regardless = models.BooleanField(_("reported up regardless of grade"), default=False)
    classification = models.CharField(_("classification"), max_length=16, choices=Classification.choices,
                                      blank=True, default=Classification.NONE)
    lead_department = models.ForeignKey("org.Department", on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="led_incidents", verbose_name=_("lead department"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.REPORTED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("logged by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        indexes = [
            models.Index(fields=["unit", "-received_at"]),
            models.Index(fields=["status", "-received_at"]),
            models.Index(fields=["grade", "-received_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def scope_unit_id(self) -> int:
        return self.unit_id

    def get_absolute_url(self) -> str:
        return reverse("incident-detail", kwargs={"pk": self.pk})


class IncidentReport(models.Model):
    """首报 / 续报 / 终报. Append-only at the database: a correction is a new report pointing at the
    one it corrects and saying why. Each report snapshots the metrics and grade of its moment."""

    class Kind(models.TextChoices):
        INITIAL = "initial", _("Initial report")
        FOLLOW_UP = "follow_up", _("Follow-up report")
        FINAL = "final", _("Final report")

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="reports")
    sequence = models.PositiveIntegerField(_("sequence"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    body = models.TextField(_("report"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("author"))
    submitted_at = models.DateTimeField(_("submitted at"))
    metrics = models.JSONField(_("metrics"), default=dict)
    checked = models.JSONField(_("checked criteria"), default=list)
    grade = models.CharField(_("grade"), max_length=3, choices=Grade.choices, blank=True)
    grade_reasons = models.JSONField(_("grade reasons"), default=list)
    grade_table = models.ForeignKey("grading.ThresholdTable", on_delete=models.PROTECT, related_name="+")
    corrects = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections",
                                 verbose_name=_("corrects"))
    correction_reason = models.TextField(_("why it is corrected"), blank=True)
    # What the plans say a report contains (city 3.3.1 2), customs 3.3.1 (1)), each as its own field.
    contents = models.JSONField(_("contents"), default=dict, blank=True)

    class Meta:
        ordering = ["incident_id", "sequence"]
        verbose_name = _("incident report")
        verbose_name_plural = _("incident reports")
        constraints = [
            models.UniqueConstraint(fields=["incident", "sequence"], name="report_sequence_unique"),
            models.CheckConstraint(
                condition=models.Q(corrects__isnull=True) | ~models.Q(correction_reason=""),
                name="correction_says_why",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.incident.number} #{self.sequence} {self.label}"

    @property
    def label(self) -> str:
        """What the report is: a correction names the report it corrects (a correction of the
        initial report is not a second initial report)."""
        if self.corrects_id:
            return _("Correction of the %(kind)s #%(n)s") % {"kind": self.corrects.get_kind_display(),
                                                              "n": self.corrects.sequence}
        return self.get_kind_display()

    @property
    def scope_unit_id(self) -> int:
        return self.incident.unit_id

    @property
    def content_items(self) -> list[tuple[str, str]]:
        """The contents with their labels, in the order the plans list them."""
        from .inputs import ReportContents

        fields = ReportContents().fields
        return [(fields[name].label, self.contents[name]) for name in fields if self.contents.get(name)]

    @property
    def incident_status(self) -> str:
        return self.incident.status

    def get_absolute_url(self) -> str:
        return reverse("incident-detail", kwargs={"pk": self.incident_id})


class ReportDispatch(models.Model):
    """A report sent up: to the superior unit, and straight to the top unit for grade Ⅰ/Ⅱ. A unit
    at the top of the platform reports to a body outside it, named in `recipient`. Append-only."""

    class Route(models.TextChoices):
        SUPERIOR = "superior", _("Superior unit")
        TOP = "top", _("Top unit (grade I/II)")

    report = models.ForeignKey(IncidentReport, on_delete=models.PROTECT, related_name="dispatches")
    route = models.CharField(_("route"), max_length=12, choices=Route.choices)
    unit = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="received_reports", verbose_name=_("to unit"))
    recipient = models.CharField(_("recipient"), max_length=200)
    sent_at = models.DateTimeField(_("sent at"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["sent_at", "id"]
        constraints = [models.UniqueConstraint(fields=["report", "route"], name="report_sent_once_per_route")]


class PublicRelease(models.Model):
    """A drafted authoritative public release or press conference about an incident. Append-only:
    it counts as published once the authority of the incident's grade approves it (its decision)."""

    class Kind(models.TextChoices):
        RELEASE = "release", _("Authoritative public release")
        PRESS_CONFERENCE = "press_conference", _("Press conference")

    class State(models.TextChoices):
        DRAFT = "draft", _("Awaiting approval")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Rejected")

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="public_releases")
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    drafted_at = models.DateTimeField(_("drafted at"))
    channel = models.CharField(_("channel or place"), max_length=200)
    text = models.TextField(_("text"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["drafted_at", "id"]
        verbose_name = _("public release")
        verbose_name_plural = _("public releases")

    @property
    def scope_unit_id(self) -> int:
        return self.incident.unit_id

    @property
    def _decision(self):
        try:
            return self.decision
        except ReleaseDecision.DoesNotExist:
            return None

    @property
    def state(self) -> str:
        decision = self._decision
        if decision is None:
            return self.State.DRAFT
        return self.State.PUBLISHED if decision.approved else self.State.REJECTED

    @property
    def published_at(self):
        decision = self._decision
        return decision.decided_at if decision is not None and decision.approved else None

    def get_state_display(self) -> str:
        return str(self.State(self.state).label)


class ReleaseDecision(models.Model):
    """The approval (publication) or rejection, with its reason, of one drafted release. Append-only."""

    release = models.OneToOneField(PublicRelease, on_delete=models.PROTECT, related_name="decision")
    approved = models.BooleanField(_("approved"))
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_as = models.CharField(_("decided as"), max_length=200, blank=True)
    decided_at = models.DateTimeField(_("decided at"))

    class Meta:
        verbose_name = _("release decision")
        verbose_name_plural = _("release decisions")
        constraints = [models.CheckConstraint(condition=models.Q(approved=True) | ~models.Q(reason=""),
                                              name="release_rejection_has_reason")]


class ReleaseAuthority(models.Model):
    """Who approves a public release of an incident of one grade in one organisation (its top unit),
    and where the role is held; `basis` quotes the plan (city 3.3.5 2): grades I-III by the command
    body of the Party committee and government; customs 3.3.5 "经审批": whose approval is the
    district's own setting). A blank grade is the rule for every grade without its own row."""

    class HeldAt(models.TextChoices):
        TOP = "top", _("The organisation itself (e.g. 西安海关, 贵港市)")
        INCIDENT_UNIT = "incident_unit", _("The incident's unit or a superior of it")

    organisation = models.ForeignKey("org.OrgUnit", on_delete=models.CASCADE, related_name="release_authorities")
    grade = models.CharField(_("grade"), max_length=3, choices=Grade.choices, blank=True)
    roles = models.JSONField(_("approving roles"), default=list)
    held_at = models.CharField(_("where the approving role is held"), max_length=16, choices=HeldAt.choices)
    basis = models.CharField(_("basis"), max_length=300, blank=True)
    from_plan = models.BooleanField(_("stated by the plan"), default=False)

    class Meta:
        verbose_name = _("release authority")
        verbose_name_plural = _("release authorities")
        constraints = [models.UniqueConstraint(fields=["organisation", "grade"], name="one_release_rule_per_grade")]


class CountedFrom(models.TextChoices):
    RECEIVED = "received", _("receipt of the information")
    OCCURRED = "occurred", _("the incident's occurrence")


class ReportingDeadline(models.Model):
    """Report to the superior within 1 hour, release authoritative information within 5 hours,
    hold a press conference within 24 hours where the incident may cause public panic."""

    class Kind(models.TextChoices):
        SUPERIOR_REPORT = "superior_report", _("Report to the superior")
        PUBLIC_RELEASE = "public_release", _("Authoritative public release")
        PRESS_CONFERENCE = "press_conference", _("Press conference")

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        MET = "met", _("Met")
        LATE = "late", _("Late")
        STOPPED = "stopped", _("Stopped: not an incident")
        MET_LATE = "met_late", _("Met late")

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="deadlines")
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    due_at = models.DateTimeField(_("due at"))
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.OPEN)
    met_at = models.DateTimeField(_("met at"), null=True, blank=True)
    met_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+")
    missed_at = models.DateTimeField(_("marked late at"), null=True, blank=True)
    counted_from = models.CharField(_("counted from"), max_length=10, choices=CountedFrom.choices,
                                    default=CountedFrom.RECEIVED)
    basis = models.CharField(_("basis"), max_length=300, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("reporting deadline")
        verbose_name_plural = _("reporting deadlines")
        constraints = [models.UniqueConstraint(fields=["incident", "kind"], name="one_deadline_per_kind")]
        indexes = [models.Index(fields=["state", "due_at"])]

    @property
    def scope_unit_id(self) -> int:
        return self.incident.unit_id

    @property
    def is_late(self) -> bool:
        return self.state in (self.State.LATE, self.State.MET_LATE)


class ReportingRule(models.Model):
    """How soon one kind of report is due in one organisation, counted from receipt or from the
    occurrence; `basis` quotes the plan's clause, or says the figure is the organisation's own
    setting where its plan gives none (the customs plan asks for reports "第一时间")."""

    organisation = models.ForeignKey("org.OrgUnit", on_delete=models.CASCADE, related_name="reporting_rules")
    kind = models.CharField(_("kind"), max_length=24, choices=ReportingDeadline.Kind.choices)
    within_minutes = models.PositiveIntegerField(_("within (minutes)"))
    counted_from = models.CharField(_("counted from"), max_length=10, choices=CountedFrom.choices)
    from_plan = models.BooleanField(_("the plan's own figure"), default=True)
    basis = models.CharField(_("basis"), max_length=300)

    class Meta:
        verbose_name = _("reporting rule")
        verbose_name_plural = _("reporting rules")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "kind"], name="one_reporting_rule_per_kind"),
            models.CheckConstraint(condition=models.Q(within_minutes__gt=0), name="reporting_rule_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.within_minutes}"


class Investigation(models.Model):
    """The investigation and assessment report after the response ends (3.4.2): what happened, why,
    the losses, who was responsible, the recovery measures and the lessons. Append-only; a later
    report supersedes an earlier one."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="investigations")
    summary = models.TextField(_("what happened"))
    causes = models.TextField(_("causes"))
    losses = models.TextField(_("losses"), blank=True)
    responsibility = models.TextField(_("responsibility"), blank=True)
    recovery = models.TextField(_("recovery measures"), blank=True)
    lessons = models.JSONField(_("lessons"), default=list, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"))

    class Meta:
        ordering = ["submitted_at", "id"]
        verbose_name = _("investigation and assessment report")
        verbose_name_plural = _("investigation and assessment reports")


class IncidentClosure(models.Model):
    """Why a logged report was closed as no incident: found false, or a duplicate of another
    incident. Append-only at the database; the incident and its reports stay (never deleted)."""

    class Reason(models.TextChoices):
        FALSE = "false", _("False report")
        DUPLICATE = "duplicate", _("Duplicate of another incident")

    incident = models.OneToOneField(Incident, on_delete=models.PROTECT, related_name="closure")
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
    duplicate_of = models.ForeignKey(Incident, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                     verbose_name=_("duplicate of"))
    explanation = models.TextField(_("explanation"))
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("closed by"))
    closed_at = models.DateTimeField(_("closed at"))

    class Meta:
        verbose_name = _("closure as no incident")
        verbose_name_plural = _("closures as no incident")
        constraints = [
            models.CheckConstraint(condition=models.Q(reason="false", duplicate_of__isnull=True)
                                   | models.Q(reason="duplicate", duplicate_of__isnull=False),
                                   name="duplicate_names_its_original"),
            models.CheckConstraint(condition=~models.Q(duplicate_of=models.F("incident")),
                                   name="not_a_duplicate_of_itself"),
        ]

    @property
    def scope_unit_id(self) -> int:
        return self.incident.unit_id


from .copy_models import ReportCopy, ReportCopyRule  # noqa: E402,F401  (the copies (抄送) of reports)
