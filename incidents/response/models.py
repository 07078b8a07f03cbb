"""Response levels 1–4 (一级 highest), who may decide each (as data per organisation), proposals
and their append-only decisions, the response they start or adjust, and command transfers."""
from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from incidents.models import Incident

from .help_models import AboveTop, Initiative

LEVEL_VALIDATORS = [MinValueValidator(1), MaxValueValidator(4)]


class Level(models.IntegerChoices):
    ONE = 1, _("Level 1")
    TWO = 2, _("Level 2")
    THREE = 3, _("Level 3")
    FOUR = 4, _("Level 4")


class AuthorityRule(models.Model):
    """Who proposes and who decides one response level in one organisation (its top unit)."""

    class Scope(models.TextChoices):
        COMMAND_UNIT = "command_unit", _("Held in the commanding unit or above")
        LEAD_DEPARTMENT = "lead_department", _("Held for the incident's lead department")

    class CommandAt(models.TextChoices):
        TOP = "top", _("The organisation itself (e.g. 西安海关, 贵港市)")
        INCIDENT_UNIT = "incident_unit", _("The incident's unit or a superior of it")

    organisation = models.ForeignKey("org.OrgUnit", on_delete=models.CASCADE, related_name="authority_rules",
                                     verbose_name=_("organisation"))
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices, validators=LEVEL_VALIDATORS)
    decider_roles = models.JSONField(_("deciding roles"), default=list)
    scope = models.CharField(_("where the deciding role is held"), max_length=20, choices=Scope.choices)
    command_at = models.CharField(_("which unit commands (and whose authority decides)"), max_length=16,
                                  choices=CommandAt.choices, default=CommandAt.TOP)
    proposer_roles = models.JSONField(_("proposing roles"), default=list)
    direct_start_roles = models.JSONField(_("roles that may start directly"), default=list, blank=True)
    # The plans give no figure for these two: the organisation's own settings (本单位设定).
    remind_after_seconds = models.PositiveIntegerField(_("remind the deciders after (seconds)"), default=600)
    order_acknowledge_seconds = models.PositiveIntegerField(_("orders acknowledged within (seconds)"), default=600)
    wording = models.TextField(_("the plan's wording"), blank=True)
    # Who in the superior unit may accept command passed up from a response of this level (city 3.3.3
    # "上一級黨委、政府根據事發地黨委、政府的請求"): the organisation's data.
    transfer_acceptor_roles = models.JSONField(_("roles that may take over command"), default=list, blank=True)
    # City 3.3.3 "或根據應對工作需要": the superior may take command on its own initiative; above the top unit,
    # command passes out (customs "指挥权移交至海关总署应急指挥机构") or help is asked, command staying (city).
    superior_may_take_command = models.BooleanField(_("the superior may take command on its own initiative"),
                                                    default=False)
    AboveTop = AboveTop
    above_top = models.CharField(_("what the top unit may ask of the body above it"), max_length=8,
                                 choices=AboveTop.choices, default=AboveTop.TRANSFER)

    class Meta:
        ordering = ["organisation_id", "level"]
        verbose_name = _("response authority rule")
        verbose_name_plural = _("response authority rules")
        constraints = [models.UniqueConstraint(fields=["organisation", "level"], name="one_rule_per_level")]

    @property
    def scope_unit_id(self) -> int:
        return self.organisation_id

    @property
    def remind_after_minutes(self) -> int:
        return self.remind_after_seconds // 60

    @property
    def order_acknowledge_minutes(self) -> int:
        return self.order_acknowledge_seconds // 60


class KeyPeriod(models.Model):
    """A major event or important meeting during which responses may be raised."""

    organisation = models.ForeignKey("org.OrgUnit", on_delete=models.CASCADE, related_name="key_periods")
    name = models.CharField(_("name"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("key period")
        verbose_name_plural = _("key periods")
        constraints = [models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                              name="key_period_ends_after_start")]


class ResponseIncident(Incident):
    """An incident seen from its response: the target of proposing a level and of starting one
    directly (`incident.propose`, `incident.start-response`), declared on this proxy so that the
    incidents app's own operations and these stay apart."""

    class Meta:
        proxy = True
        verbose_name = _("incident (response)")
        verbose_name_plural = _("incidents (response)")


class Response(models.Model):
    scope_lookup = "incident__unit"  # the unit that owns it, for scoped choices (emergency.org.scope.scoped)
    class State(models.TextChoices):
        ACTIVE = "active", _("Active")
        ENDED = "ended", _("Ended")

    incident = models.ForeignKey("incidents.Incident", on_delete=models.PROTECT, related_name="responses")
    command_unit = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("commanding unit"))
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices, validators=LEVEL_VALIDATORS)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.ACTIVE)
    started_at = models.DateTimeField(_("started at"))
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("started by"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("ended by"))
    end_reason = models.TextField(_("why it ended"), blank=True)
    # The higher unit's response of the same incident that this one is drawn into (纳入: customs 3.3.2
    # "上级…启动应急响应后，…纳入"; city 1.4.2): both stay, each with its own authority.
    drawn_into = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="drawn_in",
                                   verbose_name=_("drawn into"))
    # The external command (海关总署应急指挥机构) this response is drawn into once command passed above the top unit.
    external_command = models.CharField(_("drawn into the external command of"), max_length=200, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        # One incident may have responses at several levels of the tree (the county's and the city's),
        # one active response per commanding unit.
        constraints = [models.UniqueConstraint(fields=["incident", "command_unit"], condition=models.Q(state="active"),
                                               name="one_active_response_per_incident_and_command_unit")]

    @property
    def scope_unit_id(self) -> int:
        return self.incident.unit_id

    def get_absolute_url(self) -> str:
        return reverse("response-detail", args=[self.pk])


class Proposal(models.Model):
    """A proposed start, raise or lower, waiting in the deciders' inbox."""

    class Kind(models.TextChoices):
        START = "start", _("Start")
        RAISE = "raise", _("Raise")
        LOWER = "lower", _("Lower")

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    incident = models.ForeignKey("incidents.Incident", on_delete=models.PROTECT, related_name="proposals")
    response = models.ForeignKey(Response, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="proposals")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    level = models.PositiveSmallIntegerField(_("proposed level"), choices=Level.choices,
                                             validators=LEVEL_VALIDATORS)
    command_unit = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("commanding unit"))
    reasons = models.TextField(_("reasons"))
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    context = models.JSONField(_("context"), default=dict, blank=True)
    suggested_level = models.PositiveSmallIntegerField(_("suggested level"), null=True, blank=True)
    suggestion = models.JSONField(_("why that level is suggested"), default=list, blank=True)
    direct = models.BooleanField(_("started directly"), default=False)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("proposed by"))
    proposed_at = models.DateTimeField(_("proposed at"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)

    class Meta:
        ordering = ["proposed_at", "id"]
        verbose_name = _("response proposal")
        verbose_name_plural = _("response proposals")
        constraints = [models.UniqueConstraint(fields=["incident"], condition=models.Q(state="pending"),
                                               name="one_pending_proposal_per_incident")]
        indexes = [models.Index(fields=["state", "proposed_at"])]

    @property
    def scope_unit_id(self) -> int:
        return self.incident.unit_id


class Decision(models.Model):
    """What the decider did with a proposal. Append-only at the database."""

    class Outcome(models.TextChoices):
        APPROVED = "approved", _("Approved")
        APPROVED_OTHER = "approved_other", _("Approved at another level")
        REJECTED = "rejected", _("Rejected")

    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="decision")
    response = models.ForeignKey(Response, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="decisions")
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    level = models.PositiveSmallIntegerField(_("level"), null=True, blank=True, choices=Level.choices)
    reason = models.TextField(_("reason"), blank=True)
    authority = models.CharField(_("decided as"), max_length=200)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"))
    delegation = models.ForeignKey("response.DelegationGrant", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("by delegation"))

    class Meta:
        ordering = ["decided_at", "id"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")


class Transfer(models.Model):
    """Command escalated to the superior unit when the event exceeds the unit's capacity."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    response = models.ForeignKey(Response, on_delete=models.PROTECT, related_name="transfers")
    from_unit = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="+")
    # None: command passes above the top unit, to a body outside the platform (customs 3.3.3
    # "指挥权移交至海关总署应急指挥机构"), named by `to_body`; who accepted there is recorded as text.
    to_unit = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    to_body = models.CharField(_("superior outside the platform"), max_length=200, blank=True)
    Initiative = Initiative
    initiative = models.CharField(_("initiative"), max_length=8, choices=Initiative.choices, default="request")
    accepted_outside_by = models.CharField(_("accepted outside by"), max_length=200, blank=True)
    reason = models.TextField(_("reason"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        constraints = [models.UniqueConstraint(fields=["response"], condition=models.Q(state="pending"),
                                               name="one_pending_transfer_per_response")]


class CommandPost(models.Model):
    """现场指挥部: opened for a response, closed when it ends."""

    scope_lookup = "response__incident__unit"  # the unit that owns it, for scoped choices (emergency.org.scope.scoped)

    response = models.OneToOneField(Response, on_delete=models.PROTECT, related_name="command_post")
    name = models.CharField(_("name"), max_length=200)
    location = models.CharField(_("location"), max_length=300)
    commander = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("commander"))
    opened_at = models.DateTimeField(_("opened at"))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("on-site command post")
        verbose_name_plural = _("on-site command posts")

    def __str__(self) -> str:
        return self.name


class WorkingGroup(models.Model):
    """A working group of the command post (city plan 2.1.4)."""

    scope_lookup = "post__response__incident__unit"  # the unit that owns it, for scoped choices (emergency.org.scope.scoped)

    class Kind(models.TextChoices):
        COORDINATION = "coordination", _("Comprehensive coordination")
        MONITORING = "monitoring", _("Disaster monitoring")
        RESCUE = "rescue", _("Emergency rescue")
        INTELLIGENCE = "intelligence", _("Intelligence and information")
        LIVELIHOOD = "livelihood", _("People's livelihood")
        MEDICAL = "medical", _("Medical treatment")
        AFTERMATH = "aftermath", _("Aftermath")
        PUBLICITY = "publicity", _("Information release and publicity")
        SECURITY = "security", _("Public security")
        INVESTIGATION = "investigation", _("Investigation and assessment")
        INFRASTRUCTURE = "infrastructure", _("Infrastructure and production recovery")
        FOREIGN_AFFAIRS = "foreign_affairs", _("Foreign affairs")
        EXPERTS = "experts", _("Expert support")
        LOGISTICS = "logistics", _("Logistics")

    post = models.ForeignKey(CommandPost, on_delete=models.PROTECT, related_name="groups")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    lead_department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="+",
                                        verbose_name=_("lead department"))
    departments = models.ManyToManyField("org.Department", blank=True, related_name="+",
                                         verbose_name=_("member departments"))
    experts = models.ManyToManyField("org.Expert", blank=True, related_name="+", verbose_name=_("experts"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")
        constraints = [models.UniqueConstraint(fields=["post", "kind"], name="one_group_of_a_kind_per_post")]

    def __str__(self) -> str:
        return str(self.get_kind_display())


class Order(models.Model):
    """A task the command gives a group or a department, acknowledged and reported on."""

    class Status(models.TextChoices):
        ISSUED = "issued", _("Issued")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    response = models.ForeignKey(Response, on_delete=models.PROTECT, related_name="orders")
    group = models.ForeignKey(WorkingGroup, on_delete=models.PROTECT, null=True, blank=True, related_name="orders",
                              verbose_name=_("working group"))
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("department"))
    text = models.TextField(_("order"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("issued at"))
    acknowledge_within_seconds = models.PositiveIntegerField(_("acknowledge within (seconds)"), default=600)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ISSUED)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="+")
    note = models.TextField(_("progress note"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["issued_at", "id"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")

    @property
    def acknowledge_due_at(self):
        return self.issued_at + timedelta(seconds=self.acknowledge_within_seconds)

    @property
    def acknowledge_within_minutes(self) -> int:
        return self.acknowledge_within_seconds // 60


class ResponseMeasure(models.Model):
    """A measure of the organisation's response list (checklist.py, city plan 3.3.4 / customs 3.3.4)
    assigned to a department, reported on by it: assigned → in progress → done, or not applicable
    with the reason."""

    scope_lookup = "response__incident__unit"

    class Status(models.TextChoices):
        ASSIGNED = "assigned", _("Assigned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        NOT_APPLICABLE = "not_applicable", _("Not applicable")

    response = models.ForeignKey(Response, on_delete=models.PROTECT, related_name="measures")
    key = models.CharField(_("measure"), max_length=24)
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("department"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ASSIGNED)
    note = models.TextField(_("note"), blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(_("assigned at"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True,
                                   blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["response_id", "id"]
        verbose_name = _("response measure")
        verbose_name_plural = _("response measures")
        constraints = [models.UniqueConstraint(fields=["response", "key"], name="one_response_measure_of_a_kind")]

    def get_absolute_url(self) -> str:
        return self.response.get_absolute_url()

    @property
    def wording(self) -> str:
        from .checklist import measure_wording

        return measure_wording(self.key)


from .dutylog_models import DutyLogEntry  # noqa: E402,F401  (the duty log, issue 16 item 5)
from .delegation_models import DelegationGrant  # noqa: E402,F401  (delegated deciding authority, issue 19 item 3)
from .help_models import HelpRequest  # noqa: E402,F401  (help and guidance asked above the top unit, issue 19 item 5)
