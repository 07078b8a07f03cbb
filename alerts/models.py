"""Warnings (预警): the signs that led to them, their issued versions (immutable messages, each a
CAP 1.2 Alert/Update/Cancel), the warning measures assigned to departments, and who may issue."""
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class WarningLevel(models.IntegerChoices):
    RED = 1, _("Level 1 (red)")
    ORANGE = 2, _("Level 2 (orange)")
    YELLOW = 3, _("Level 3 (yellow)")
    BLUE = 4, _("Level 4 (blue)")


COLOURS = {1: "red", 2: "orange", 3: "yellow", 4: "blue"}
MEANINGS = {  # city plan 3.2.2 1)
    1: "预计将要发生特别重大（Ⅰ级）突发事件，事件会随时发生，事态正在不断蔓延。",
    2: "预计将要发生重大（Ⅱ级）以上突发事件，事件即将发生，事态正在逐步扩大。",
    3: "预计将要发生较大（Ⅲ级）以上突发事件，事件已经临近，事态有扩大的趋势。",
    4: "预计将要发生一般（Ⅳ级）以上突发事件，事件即将临近，事态可能会扩大。",
}
MEANINGS_EN = {
    1: "An especially major (level I) emergency is expected: it may occur at any moment and is spreading.",
    2: "A major (level II) emergency or worse is expected: it is about to occur and is growing.",
    3: "A large (level III) emergency or worse is expected: it is close and tends to grow.",
    4: "An ordinary (level IV) emergency or worse is expected: it is approaching and may grow.",
}


class WarningAuthority(models.Model):
    """Who may issue, adjust and lift a warning of one level in one organisation, and where that
    comes from: the plan's clause (`from_plan`), or the organisation's own setting where its plan
    leaves the choice to other plans (customs 3.2: the special and departmental plans)."""

    organisation = models.ForeignKey("org.OrgUnit", on_delete=models.CASCADE, related_name="warning_authorities")
    level = models.PositiveSmallIntegerField(choices=WarningLevel.choices)
    roles = models.JSONField(default=list)
    basis = models.CharField(_("basis"), max_length=300, blank=True)
    from_plan = models.BooleanField(_("stated by the plan"), default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "level"], name="one_warning_rule_per_level")]


class AlertingProfile(models.Model):
    """How an organisation signs its public warnings (CAP 1.2 and GB/T 35965.1-2018): the CAP sender,
    the contact the public may use, its GB/T 4657 agency code, and how long a warning with no expected
    end stays in force. Without a profile, the settings' defaults apply (CAP_SENDER, CAP_CONTACT,
    CAP_DEFAULT_VALIDITY_HOURS)."""

    organisation = models.OneToOneField("org.OrgUnit", on_delete=models.CASCADE, related_name="alerting_profile")
    sender = models.CharField(_("CAP sender"), max_length=120, help_text="e.g. yjj@guigang.gov.cn, no spaces")
    contact = models.CharField(_("public contact"), max_length=200, blank=True)
    agency_code = models.CharField(_("agency code (GB/T 4657)"), max_length=3, blank=True)
    default_validity_hours = models.PositiveIntegerField(
        _("validity without an expected end (hours)"), default=24,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 30)])

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(agency_code="") | models.Q(agency_code__regex=r"^[0-9]{3}$"),
                                   name="agency_code_three_digits"),
            models.CheckConstraint(condition=~models.Q(sender__regex=r"[\s,<&]") & ~models.Q(sender=""),
                                   name="cap_sender_has_no_space_comma_lt_amp"),
        ]


class EarlyWarning(models.Model):
    scope_lookup = "unit"  # the unit that owns it, for scoped choices (emergency.org.scope.scoped)
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ISSUED = "issued", _("Issued and in force")
        LIFTED = "lifted", _("Lifted")
        ESCALATED = "escalated", _("Escalated into a response")

    unit = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="warnings",
                             verbose_name=_("issuing unit"))
    incident_type = models.ForeignKey("grading.IncidentType", on_delete=models.PROTECT, related_name="warnings",
                                      verbose_name=_("type"))
    level = models.PositiveSmallIntegerField(_("level"), choices=WarningLevel.choices,
                                             validators=[MinValueValidator(1), MaxValueValidator(4)])
    title = models.CharField(_("title"), max_length=200)
    signs = models.TextField(_("signs and monitoring information"))
    assessment = models.TextField(_("assessment"), blank=True)
    points = models.TextField(_("warning points"), help_text="警示事项")
    measures_text = models.TextField(_("measures to take"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    expected_end = models.DateTimeField(_("expected end"), null=True, blank=True)
    # When the warning stops being in force by itself: the expected end, or the organisation's default
    # validity after the latest issued version. Set by each issued version (CAP <expires>).
    expires_at = models.DateTimeField(_("in force until"), null=True, blank=True)
    area_desc = models.CharField(_("area"), max_length=300)
    area_units = models.ManyToManyField("org.OrgUnit", blank=True, related_name="+", verbose_name=_("units in the area"))
    polygon = models.TextField(_("polygon"), blank=True, help_text='"lat,lon lat,lon …", first point = last')
    circle = models.CharField(_("circle"), max_length=80, blank=True, help_text='"lat,lon radius_km"')
    neighbours = models.ManyToManyField("org.OrgUnit", blank=True, related_name="+",
                                        verbose_name=_("neighbouring units to inform"))
    linked_organisations = models.ManyToManyField("org.OrgUnit", blank=True, related_name="+",
                                                  verbose_name=_("linked organisations to inform"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    incident = models.ForeignKey("incidents.Incident", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="warnings", verbose_name=_("escalated into"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("warning")
        verbose_name_plural = _("warnings")
        indexes = [models.Index(fields=["state", "unit"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("warning-detail", kwargs={"pk": self.pk})

    def in_force(self, now=None) -> bool:
        from django.utils import timezone

        return (self.state in (self.State.ISSUED, self.State.ESCALATED)
                and (self.expires_at is None or self.expires_at > (now or timezone.now())))

    @property
    def scope_unit_id(self) -> int:
        return self.unit_id

    @property
    def colour(self) -> str:
        return COLOURS[self.level]


class WarningMessage(models.Model):
    """One issued version of a warning: Alert (issued), Update (adjusted) or Cancel (lifted or
    escalated). Its content is frozen here, and PostgreSQL refuses to change it."""

    class Type(models.TextChoices):
        ALERT = "Alert", _("Issued (first version)")
        UPDATE = "Update", _("Adjusted")
        CANCEL = "Cancel", _("Lifted")

    warning = models.ForeignKey(EarlyWarning, on_delete=models.PROTECT, related_name="messages")
    sequence = models.PositiveIntegerField()
    msg_type = models.CharField(max_length=8, choices=Type.choices)
    content = models.JSONField()
    sent_at = models.DateTimeField()
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reported_to = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["warning_id", "sequence"]
        constraints = [models.UniqueConstraint(fields=["warning", "sequence"], name="warning_message_sequence")]


class WarningMeasure(models.Model):
    """A measure of the organisation's list assigned to a department. Lifting the warning lifts the
    measures taken (city plan 3.2.2 4) "解除已经采取的有关措施"): lifted, not done."""

    scope_lookup = "warning__unit"

    class Status(models.TextChoices):
        PENDING = "todo", _("To do")
        DOING = "doing", _("Under way")
        DONE = "done", _("Done")
        LIFTED = "lifted", _("Lifted with the warning")

    warning = models.ForeignKey(EarlyWarning, on_delete=models.CASCADE, related_name="measures")
    key = models.CharField(max_length=20)
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("department"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    note = models.TextField(_("note"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["warning_id", "id"]
        constraints = [models.UniqueConstraint(fields=["warning", "key"], name="one_measure_of_a_kind")]

    def get_absolute_url(self) -> str:
        return self.warning.get_absolute_url()

    @property
    def wording(self) -> str:
        from .catalogue import measure_wording

        return measure_wording(self.key)


from .reach_models import WarningReach, WarningTarget  # noqa: E402,F401  (the last mile: city 3.2.2 2))
