"""Incident taxonomy, metrics, and versioned threshold tables whose rows are appendix 7.3's criteria."""
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from emergency.org.models import BilingualName


class Grade(models.TextChoices):
    """Ⅰ is the most severe."""

    I = "I", _("Grade I (especially serious)")  # noqa: E741
    II = "II", _("Grade II (serious)")
    III = "III", _("Grade III (fairly serious)")
    IV = "IV", _("Grade IV (ordinary)")


GRADE_RANK = {"I": 1, "II": 2, "III": 3, "IV": 4}  # plain strings: enum members hash by name


class IncidentCategory(BilingualName):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("incident category")
        verbose_name_plural = _("incident categories")


class IncidentType(BilingualName):
    category = models.ForeignKey(IncidentCategory, on_delete=models.PROTECT, related_name="types",
                                 verbose_name=_("category"))
    code = models.SlugField(_("code"), max_length=40, unique=True)
    plans = models.CharField(_("named by plans"), max_length=60, blank=True, help_text="city, customs")
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["category__position", "position", "id"]
        verbose_name = _("incident type")
        verbose_name_plural = _("incident types")


class Metric(BilingualName):
    """A measurable quantity a threshold can test; `key` is the API contract."""

    key = models.SlugField(_("key"), max_length=40, unique=True)
    unit = models.CharField(_("unit of measure"), max_length=20, blank=True)
    unit_en = models.CharField(_("unit of measure (English)"), max_length=20, blank=True)
    integer = models.BooleanField(_("whole numbers only"), default=True)
    sum_of = models.JSONField(_("sum of"), default=list, blank=True,
                              help_text="Keys of the metrics this one adds up (e.g. deaths + missing); not entered")
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("metric")
        verbose_name_plural = _("metrics")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_unit(self) -> str:
        if self.unit_en and (get_language() or "").startswith("en"):
            return self.unit_en
        return self.unit


class ThresholdTable(models.Model):
    """One version of the grading criteria. Drafts are edited; a published table never changes."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    class Standard(models.TextChoices):
        """Where the table's rows come from (city 1.3 "具體事件等級標準執行國家有關規定…國家尚未制定等級標準的,
        可以按照自治區相關部門先行制定的等級標準執行,自治區等級標準見附件7.3"; customs 1.3 "具体分级标准按照国家
        突发事件分级标准执行，并在相应专项应急预案和部门应急预案中予以明确")."""

        APPENDIX = "appendix", _("City plan appendix 7.3 (the region's standard)")
        NATIONAL = "national", _("National grading standards")

    # The organisation (top unit) whose incidents the table grades; none: the table shipped with the
    # platform, which grades every organisation that has not published its own and never changes.
    organisation = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("organisation"))
    version = models.PositiveIntegerField(_("version"))
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.DRAFT)
    standard = models.CharField(_("seeded from"), max_length=12, choices=Standard.choices, default=Standard.APPENDIX)
    note = models.TextField(_("note"), blank=True)
    based_on = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("based on"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    revision = models.PositiveIntegerField(_("revision"), default=0, help_text="bumped by every edit of a draft")
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")

    class Meta:
        ordering = ["-version"]
        verbose_name = _("threshold table")
        verbose_name_plural = _("threshold tables")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "version"], nulls_distinct=False,
                                    name="grading_version_unique_per_organisation"),
            models.UniqueConstraint(fields=["organisation"], condition=models.Q(state="published"),
                                    nulls_distinct=False, name="grading_one_published_table_per_organisation"),
        ]

    @property
    def scope_unit_id(self) -> int | None:
        return self.organisation_id

    def __str__(self) -> str:
        return f"v{self.version} ({self.get_state_display()})"

    def get_absolute_url(self) -> str:
        return reverse("grading-table", kwargs={"pk": self.pk})


class Criterion(models.Model):
    """One sentence of the appendix at one grade: numeric conditions (all must hold), a checklist
    item the officer ticks, or the type's floor grade when nothing higher is reached."""

    table = models.ForeignKey(ThresholdTable, on_delete=models.CASCADE, related_name="criteria")
    incident_type = models.ForeignKey(IncidentType, on_delete=models.PROTECT, related_name="criteria",
                                      verbose_name=_("incident type"))
    class Origin(models.TextChoices):
        """Whose figure the row is: a national standard's, appendix 7.3's, or the organisation's own."""

        NATIONAL = "national", _("National standard")
        APPENDIX = "appendix", _("City plan appendix 7.3")
        ORGANISATION = "organisation", _("The organisation's own")

    grade = models.CharField(_("grade"), max_length=3, choices=Grade.choices)
    source = models.CharField(_("source"), max_length=120, blank=True)
    origin = models.CharField(_("whose figure"), max_length=12, choices=Origin.choices, default=Origin.ORGANISATION)
    wording = models.TextField(_("wording"))
    wording_en = models.TextField(_("wording (English)"), blank=True)
    check_key = models.SlugField(_("checklist key"), max_length=60, blank=True)
    floor = models.BooleanField(_("floor grade"), default=False)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["incident_type__position", "position", "id"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        indexes = [models.Index(fields=["table", "incident_type"])]

    @property
    def table_state(self) -> str:
        return self.table.state

    def get_absolute_url(self) -> str:
        return reverse("grading-table", kwargs={"pk": self.table_id})


class Condition(models.Model):
    class Op(models.TextChoices):
        GTE = "gte", _("at least (N以上)")
        GT = "gt", _("more than (超过N)")
        LT = "lt", _("less than (N以下)")
        LTE = "lte", _("at most (不超过N)")

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="conditions")
    metric = models.ForeignKey(Metric, on_delete=models.PROTECT, related_name="+", verbose_name=_("metric"))
    op = models.CharField(_("comparison"), max_length=3, choices=Op.choices)
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=4)

    class Meta:
        ordering = ["id"]
        verbose_name = _("condition")
        verbose_name_plural = _("conditions")


class GradingCase(models.Model):
    """A saved case a draft table must grade as expected before it may be published."""

    organisation = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("organisation"),
                                     help_text="blank: shipped with the platform, run against every table")
    name = models.CharField(_("name"), max_length=200)
    incident_type = models.ForeignKey(IncidentType, on_delete=models.PROTECT, related_name="+",
                                      verbose_name=_("incident type"))
    metrics = models.JSONField(_("metrics"), default=dict, blank=True)
    checked = models.JSONField(_("checked criteria"), default=list, blank=True)
    expected = models.CharField(_("expected grade"), max_length=3, choices=Grade.choices, blank=True,
                                help_text="blank: no rule reaches a grade")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["incident_type__position", "id"]
        verbose_name = _("grading case")
        verbose_name_plural = _("grading cases")


class CaseRun(models.Model):
    """The result of grading every saved case with one revision of a table."""

    table = models.ForeignKey(ThresholdTable, on_delete=models.CASCADE, related_name="runs")
    table_revision = models.PositiveIntegerField()
    ran_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+")
    ran_at = models.DateTimeField(auto_now_add=True)
    total = models.PositiveIntegerField()
    failures = models.JSONField(default=list)

    class Meta:
        ordering = ["-ran_at", "-id"]

    @property
    def passed(self) -> bool:
        return not self.failures


class GradingAuthority(models.Model):
    """Who sets a grade by hand where the organisation's table has no row that decides it (city 1.3
    "具體事件等級標準執行國家有關規定"; customs 1.3, 3.3.1 (3)), per grade: the roles and where they are
    held. `basis` quotes the clause the organisation reads it from; `from_plan` says whether the plan
    names the grader itself. A blank grade is the rule for every grade without its own row."""

    class HeldAt(models.TextChoices):
        TOP = "top", _("The organisation itself (e.g. 西安海关, 贵港市)")
        INCIDENT_UNIT = "incident_unit", _("The incident's unit or a superior of it")

    organisation = models.ForeignKey("org.OrgUnit", on_delete=models.CASCADE, related_name="grading_authorities")
    grade = models.CharField(_("grade"), max_length=3, choices=Grade.choices, blank=True)
    roles = models.JSONField(_("grading roles"), default=list)
    held_at = models.CharField(_("where the grading role is held"), max_length=16, choices=HeldAt.choices)
    basis = models.CharField(_("basis"), max_length=300, blank=True)
    from_plan = models.BooleanField(_("stated by the plan"), default=False)

    class Meta:
        verbose_name = _("grading authority")
        verbose_name_plural = _("grading authorities")
        constraints = [models.UniqueConstraint(fields=["organisation", "grade"], name="one_grading_rule_per_grade")]
