"""Records around the response: requisitions and their compensation (征用/补偿, city 3.3.3, 3.4.1),
teams and supplies put on standby by a warning (city 3.2.2 3)), training and publicity (5.5), and
the commendations and sanctions decided per unit and year (5.6). Requisitions, compensations and
accountability decisions are official records (append-only)."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Requisition(models.Model):
    """Goods or premises requisitioned from a company or a person for the response."""

    scope_lookup = "incident__unit"

    class Kind(models.TextChoices):
        GOODS = "goods", _("Goods")
        PREMISES = "premises", _("Premises")
        VEHICLE = "vehicle", _("Vehicle or machinery")

    class OwnerKind(models.TextChoices):
        COMPANY = "company", _("Company or organisation")
        PERSON = "person", _("Individual")

    incident = models.ForeignKey("incidents.Incident", on_delete=models.PROTECT, related_name="requisitions")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    description = models.CharField(_("what was requisitioned"), max_length=300)
    owner = models.CharField(_("owner"), max_length=200)
    owner_kind = models.CharField(_("owner is"), max_length=10, choices=OwnerKind.choices)
    owner_contact = models.CharField(_("owner's contact"), max_length=100, blank=True)
    value = models.DecimalField(_("assessed value (yuan)"), max_digits=14, decimal_places=2)
    requisitioned_at = models.DateTimeField(_("requisitioned at"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["requisitioned_at", "id"]
        verbose_name = _("requisition")
        verbose_name_plural = _("requisitions")
        constraints = [models.CheckConstraint(condition=models.Q(value__gte=0), name="requisition_value_not_negative")]

    def __str__(self) -> str:
        return f"{self.description} · {self.owner}"

    @property
    def scope_unit_id(self) -> int:
        return self.incident.unit_id


class Compensation(models.Model):
    """What was paid or decided for one requisition after the response (补偿)."""

    requisition = models.ForeignKey(Requisition, on_delete=models.PROTECT, related_name="compensations")
    amount = models.DecimalField(_("amount (yuan)"), max_digits=14, decimal_places=2)
    note = models.CharField(_("note"), max_length=300, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided at"))

    class Meta:
        ordering = ["decided_at", "id"]
        verbose_name = _("compensation")
        verbose_name_plural = _("compensations")
        constraints = [models.CheckConstraint(condition=models.Q(amount__gte=0), name="compensation_not_negative")]


class Standby(models.Model):
    """A team, a piece of equipment, or a quantity of a supply in a store, put on standby by a warning's measures (city 3.2.2 3)
    "组织应急救援队伍…进入待命状态…视情预置有关队伍、装备、物资"): on standby, then in position where
    it was pre-positioned, until released."""

    scope_lookup = "warning__unit"

    class State(models.TextChoices):
        STANDBY = "standby", _("On standby")
        IN_PLACE = "in_place", _("In position")
        RELEASED = "released", _("Released")

    warning = models.ForeignKey("alerts.EarlyWarning", on_delete=models.PROTECT, related_name="standbys")
    team = models.ForeignKey("resources.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="standbys")
    stock = models.ForeignKey("resources.Stock", on_delete=models.PROTECT, null=True, blank=True,
                              related_name="standbys")
    equipment = models.ForeignKey("resources.Equipment", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="standbys")
    quantity = models.PositiveIntegerField(_("quantity"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.STANDBY)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(_("set at"))
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)

    @property
    def holder_id(self) -> int:
        """The unit that keeps the resource (its keeper reports it in position or releases it)."""
        if self.team_id:
            return self.team.unit_id
        return self.equipment.unit_id if self.equipment_id else self.stock.store.unit_id

    class Meta:
        ordering = ["set_at", "id"]
        verbose_name = _("standby")
        verbose_name_plural = _("standbys")
        constraints = [models.CheckConstraint(name="standby_names_one_resource", condition=(
            models.Q(team__isnull=False, stock__isnull=True, equipment__isnull=True)
            | models.Q(team__isnull=True, stock__isnull=False, equipment__isnull=True)
            | models.Q(team__isnull=True, stock__isnull=True, equipment__isnull=False)))]


class TrainingSession(models.Model):
    """A training session or a publicity campaign of one unit (customs 5.5, city 5.5)."""

    scope_lookup = "unit"

    class Kind(models.TextChoices):
        TRAINING = "training", _("Training")
        PUBLICITY = "publicity", _("Publicity campaign")

    unit = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="training_sessions")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    topic = models.CharField(_("topic"), max_length=300)
    held_on = models.DateField(_("held on"))
    audience = models.CharField(_("audience"), max_length=300, blank=True)
    people_reached = models.PositiveIntegerField(_("people reached"), default=0)
    participants = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="training_sessions",
                                          verbose_name=_("participants"))
    teams = models.ManyToManyField("resources.Team", blank=True, related_name="training_sessions",
                                   verbose_name=_("teams trained"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("training or publicity record")
        verbose_name_plural = _("training and publicity records")
        indexes = [models.Index(fields=["unit", "-held_on"])]

    def __str__(self) -> str:
        return self.topic

    @property
    def scope_unit_id(self) -> int:
        return self.unit_id


class Sanction(models.Model):
    """A commendation or a sanction decided for one unit's year (表彰奖励 / 责任追究), against the
    finding it answers (e.g. `deadline:17`, `drill:4`) or none (a commendation of its own)."""

    scope_lookup = "unit"

    class Kind(models.TextChoices):
        COMMENDATION = "commendation", _("Commendation")
        SANCTION = "sanction", _("Sanction")

    unit = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="sanctions")
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices)
    finding = models.CharField(_("finding"), max_length=60, blank=True)
    subject = models.CharField(_("who"), max_length=200)
    decision = models.TextField(_("decision"))
    decided_on = models.DateField(_("decided on"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["year", "decided_on", "id"]
        verbose_name = _("commendation or sanction")
        verbose_name_plural = _("commendations and sanctions")
        indexes = [models.Index(fields=["unit", "year"])]

    @property
    def scope_unit_id(self) -> int:
        return self.unit_id
