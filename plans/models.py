"""The plan hierarchy: plans of each type in a tree, their approval routes (as data), the route
progress of each version, published editions (immutable), revision requests, drills, evaluations
and the cadences that set when the next ones are due."""
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from tree_queries.models import TreeNode

from emergency.documents import Classification


class PlanType(models.TextChoices):
    GENERAL = "general", _("General plan")
    SPECIAL = "special", _("Special plan")
    DEPARTMENTAL = "departmental", _("Departmental plan")
    GRASSROOTS = "grassroots", _("Grassroots unit plan")
    WORK_MANUAL = "work_manual", _("Work manual")
    ACTION_PLAN = "action_plan", _("Incident action plan")


class ApprovalRoute(models.Model):
    """How a plan of one type is approved in one organisation (city plan 5.2); `simplified` is the
    shorter route a revision that leaves the key content alone may take (5.4 3))."""

    organisation = models.ForeignKey("org.OrgUnit", on_delete=models.CASCADE, related_name="approval_routes")
    plan_type = models.CharField(_("plan type"), max_length=20, choices=PlanType.choices)
    simplified = models.BooleanField(_("simplified route"), default=False)
    wording = models.TextField(_("the plan's wording"), blank=True)

    class Meta:
        ordering = ["organisation_id", "plan_type", "simplified"]
        verbose_name = _("approval route")
        verbose_name_plural = _("approval routes")
        constraints = [models.UniqueConstraint(fields=["organisation", "plan_type", "simplified"],
                                               name="one_route_per_type")]


class RouteStep(models.Model):
    scope_lookup = "route__organisation"  # the unit that owns it, for scoped choices (emergency.org.scope.scoped)

    class Kind(models.TextChoices):
        CONSULTATION = "consultation", _("Consultation")
        EXPERT_REVIEW = "expert_review", _("Expert review")
        DELIBERATION = "deliberation", _("Deliberation by the department's meeting")
        APPROVAL = "approval", _("Approval")
        SIGNING = "signing", _("Signing by the principal")
        PUBLICATION = "publication", _("Publication")
        FILING = "filing", _("Filing with the superior")

    class Scope(models.TextChoices):
        PLAN_UNIT = "plan_unit", _("In the plan's unit")
        LEAD_DEPARTMENT = "lead_department", _("For the plan's lead department")
        SUPERIOR = "superior", _("In the superior unit")

    route = models.ForeignKey(ApprovalRoute, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    roles = models.JSONField(_("roles that take the step"), default=list)
    scope = models.CharField(_("where the role is held"), max_length=20, choices=Scope.choices)

    @property
    def display_name(self) -> str:
        """The step's name in the reader's language (the plan's own words in Chinese)."""
        return self.name_en if self.name_en and not (get_language() or "zh").startswith("zh") else self.name

    class Meta:
        ordering = ["route_id", "position"]
        constraints = [models.UniqueConstraint(fields=["route", "position"], name="step_position_unique")]


class Plan(TreeNode):
    scope_lookup = "unit"  # the unit that owns it, for scoped choices (emergency.org.scope.scoped)
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_ROUTE = "in_route", _("In approval")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    unit = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="plans", verbose_name=_("unit"))
    plan_type = models.CharField(_("type"), max_length=20, choices=PlanType.choices)
    title = models.CharField(_("title"), max_length=200)
    lead_department = models.ForeignKey("org.Department", on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="plans", verbose_name=_("lead drafting department"))
    incident_types = models.ManyToManyField("grading.IncidentType", blank=True, related_name="covering_plans",
                                            verbose_name=_("incident types covered"))
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.DRAFT)
    classification = models.CharField(_("classification"), max_length=16, choices=Classification.choices,
                                      blank=True, default=Classification.NONE)
    published_edition = models.ForeignKey("PlanEdition", on_delete=models.PROTECT, null=True, blank=True,
                                          related_name="+", verbose_name=_("edition in force"))
    next_drill_due = models.DateField(_("next drill due"), null=True, blank=True)
    next_evaluation_due = models.DateField(_("next evaluation due"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["unit_id", "plan_type", "id"]
        verbose_name = _("emergency plan")
        verbose_name_plural = _("emergency plans")
        indexes = [models.Index(fields=["unit", "plan_type"]), models.Index(fields=["next_drill_due"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("plan-detail", kwargs={"pk": self.pk})

    @property
    def scope_unit_id(self) -> int:
        return self.unit_id


class PlanVersion(models.Model):
    """A version being drafted and taken through its route. Its text becomes an edition when published."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_ROUTE = "in_route", _("In approval")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Superseded by a newer edition")  # the value predates the label

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    sections = models.JSONField(_("sections"), default=list, help_text='[{"title": ..., "body": ...}]')
    change_summary = models.TextField(_("what changed"), blank=True)
    touches_key_content = models.BooleanField(
        _("touches command and duties, response procedures, main measures or grading criteria"), default=True)
    major_basis = models.TextField(_("why the revision takes this route"), blank=True)
    route = models.ForeignKey(ApprovalRoute, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan_id", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plan_version_number_unique")]

    @property
    def scope_unit_id(self) -> int:
        return self.plan.unit_id


class StepRecord(models.Model):
    """A route step taken for a version. Append-only."""

    version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="steps_taken")
    step = models.ForeignKey(RouteStep, on_delete=models.PROTECT, related_name="+")
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    done_at = models.DateTimeField()
    note = models.TextField(_("note"), blank=True)
    acting_as = models.CharField(_("acting as"), max_length=200)

    class Meta:
        ordering = ["done_at", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "step"], name="step_taken_once")]

    def __str__(self) -> str:
        return f"{self.step.name} · {self.acting_as}"


class PlanEdition(models.Model):
    """A published version, whole and immutable (the database refuses UPDATE and DELETE)."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="editions")
    version = models.OneToOneField(PlanVersion, on_delete=models.PROTECT, related_name="edition")
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    sections = models.JSONField(_("sections"))
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["plan_id", "number"]

    def __str__(self) -> str:
        return _("%(title)s (edition %(number)s)") % {"title": self.title, "number": self.number}


class RevisionRequest(models.Model):
    """A suggestion to revise a plan (anyone may file one, 5.4 4)), tracked to closure."""

    class Trigger(models.TextChoices):
        LAW_CHANGED = "law_changed", _("Laws, regulations, standards or superior plans changed")
        COMMAND_CHANGED = "command_changed", _("The command body or its duties changed significantly")
        RISK_CHANGED = "risk_changed", _("The risks faced changed significantly")
        RESOURCES_CHANGED = "resources_changed", _("Important emergency resources changed significantly")
        INFORMATION_CHANGED = "information_changed", _("Other important information in the plan changed")
        LESSONS = "lessons", _("Response or drills showed problems needing major changes")
        OTHER = "other", _("Other circumstances the drafting unit considers")

    class State(models.TextChoices):
        OPEN = "open", _("Awaiting handling")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        DONE = "done", _("Done")

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="revision_requests")
    trigger = models.CharField(_("trigger"), max_length=24, choices=Trigger.choices)
    description = models.TextField(_("description"))
    source = models.CharField(_("source"), max_length=200, blank=True, help_text="drill:12, evaluation:3, incident:7")
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+")  # empty: a member of the public (5.4 4))
    public_name = models.CharField(_("name"), max_length=100, blank=True)
    public_contact = models.CharField(_("contact"), max_length=200, blank=True)
    filed_at = models.DateTimeField()
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    resolution = models.TextField(_("resolution"), blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-filed_at", "-id"]
        verbose_name = _("revision request")
        verbose_name_plural = _("revision requests")

    @property
    def scope_unit_id(self) -> int:
        return self.plan.unit_id


class DrillCadence(models.Model):
    """How often plans of a type must be drilled in an organisation (customs 5.3: every 2 years;
    city 5.3 1): the city level's special and departmental plans every 3 years) and evaluated (both
    plans ask for regular evaluation without a figure: the organisation's own setting). `unit_kinds`
    limits the rule to plans of units of those kinds (the city's rule binds the city level only);
    each figure says whether it is the plan's, with its clause, or the organisation's setting."""

    organisation = models.ForeignKey("org.OrgUnit", on_delete=models.CASCADE, related_name="plan_cadences")
    plan_type = models.CharField(_("plan type"), max_length=20, choices=PlanType.choices)
    unit_kinds = models.JSONField(_("for plans of units of these kinds (all when empty)"), default=list, blank=True)
    drill_months = models.PositiveSmallIntegerField(_("drill at least every (months)"), null=True, blank=True)
    drill_from_plan = models.BooleanField(_("the plan's own figure"), default=True)
    drill_basis = models.CharField(_("basis"), max_length=300, blank=True)
    evaluation_months = models.PositiveSmallIntegerField(_("evaluate every (months)"), null=True, blank=True)
    evaluation_from_plan = models.BooleanField(_("the plan's own figure"), default=False)
    evaluation_basis = models.CharField(_("basis"), max_length=300, blank=True)

    def applies_to(self, unit_kind: str) -> bool:
        return not self.unit_kinds or unit_kind in self.unit_kinds

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "plan_type"], name="one_cadence_per_type")]


class FilingTerm(models.Model):
    """How many days after publication a plan is due for filing (备案) with the superior. The plans
    require the filing (city 5.2 "報上級政府備案"; customs "报海关总署备案") but give no term: the figure
    is the organisation's own setting (本单位设定), and an organisation without one has no due date."""

    organisation = models.OneToOneField("org.OrgUnit", on_delete=models.CASCADE, related_name="plan_filing_term")
    days = models.PositiveSmallIntegerField(_("filing due within (days of publication)"))
    basis = models.CharField(_("basis"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("plan filing term")
        verbose_name_plural = _("plan filing terms")


class Drill(models.Model):
    class Kind(models.TextChoices):
        TABLETOP = "tabletop", _("Tabletop")
        LIVE = "live", _("Live")
        COMBINED = "combined", _("Combined")

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="drills")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    held_on = models.DateField(_("held on"))
    departments = models.ManyToManyField("org.Department", blank=True, related_name="+",
                                         verbose_name=_("participating departments"))
    units = models.ManyToManyField("org.OrgUnit", blank=True, related_name="+", verbose_name=_("participating units"))
    findings = models.TextField(_("findings"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]


class Evaluation(models.Model):
    class Conclusion(models.TextChoices):
        KEEP = "keep", _("Keep as it is")
        REVISE = "revise", _("Revise")

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="evaluations")
    held_on = models.DateField(_("held on"))
    conclusion = models.CharField(_("conclusion"), max_length=8, choices=Conclusion.choices)
    findings = models.TextField(_("findings"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]


class ConsultationOpinion(models.Model):
    """A written opinion requested from a department or an expert during consultation (5.1 3))."""

    version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="opinions")
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("department"))
    expert = models.ForeignKey("org.Expert", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("expert"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    due_on = models.DateField(_("due on"))
    opinion = models.TextField(_("opinion"), blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")

    class Meta:
        ordering = ["id"]
        verbose_name = _("consultation opinion")
        verbose_name_plural = _("consultation opinions")
        constraints = [models.CheckConstraint(
            condition=models.Q(department__isnull=False) | models.Q(expert__isnull=False),
            name="opinion_from_department_or_expert")]


class WorkManualTask(models.Model):
    """A department's duty in a plan broken down into a task with a responsible unit and person (1.5.2)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("department"))
    task = models.TextField(_("task"))
    responsible_unit = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="+",
                                         verbose_name=_("responsible unit"))
    responsible_person = models.CharField(_("responsible person"), max_length=100)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["plan_id", "department_id", "position", "id"]
        verbose_name = _("work manual task")
        verbose_name_plural = _("work manual tasks")


class AnnualReviewPolicy(models.Model):
    """The organisation reviews the previous year's incidents in the first quarter (customs plan
    3.4.2, city plan 3.4.2 2)): every unit of it owes the review by the given day."""

    organisation = models.OneToOneField("org.OrgUnit", on_delete=models.CASCADE, related_name="annual_review_policy")
    due_month = models.PositiveSmallIntegerField(default=3)
    due_day = models.PositiveSmallIntegerField(default=31)


class AnnualReviewDuty(models.Model):
    unit = models.ForeignKey("org.OrgUnit", on_delete=models.CASCADE, related_name="annual_reviews",
                             verbose_name=_("unit"))
    year = models.PositiveSmallIntegerField(_("year reviewed"))
    due_on = models.DateField(_("due on"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+")

    class Meta:
        ordering = ["due_on", "unit_id"]
        verbose_name = _("annual review duty")
        verbose_name_plural = _("annual review duties")
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="one_annual_review_per_unit_year")]

    @property
    def scope_unit_id(self) -> int:
        return self.unit_id
