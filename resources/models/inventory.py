"""The inventory of a unit's emergency resources (应急保障): rescue teams, supply stores with the
organisation's catalogue of key supplies and their stock by batch, equipment, shelters. Every one
has a place (latitude, longitude) for the map and for nearest-first lists.

Stock quantities are balances kept by the movement records (resources.flows): nothing edits them
by hand, and the database refuses a negative balance."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class Placed(models.Model):
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    address = models.CharField(_("address"), max_length=300, blank=True)

    class Meta:
        abstract = True

    @property
    def scope_unit_id(self) -> int:
        return self.unit_id


def _place_checks(prefix: str) -> list[models.CheckConstraint]:
    return [models.CheckConstraint(condition=models.Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180,
                                                      longitude__lte=180), name=f"{prefix}_on_earth")]


class Team(Placed):
    """A rescue team (应急救援队伍), by the kinds of the city plan 4.1."""

    scope_lookup = "unit"

    class Kind(models.TextChoices):
        FIRE_RESCUE = "fire_rescue", _("Comprehensive fire and rescue team")
        PROFESSIONAL = "professional", _("Professional rescue team")
        MILITARY = "military", _("PLA, armed police and militia (liaison)")
        GRASSROOTS = "grassroots", _("Grassroots rescue team")
        SOCIAL = "social", _("Social rescue team")

    class Readiness(models.TextChoices):
        READY = "ready", _("Ready")
        STANDBY = "standby", _("On standby")
        DEPLOYED = "deployed", _("Deployed")
        UNAVAILABLE = "unavailable", _("Unavailable")

    unit = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="teams", verbose_name=_("unit"))
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    capability = models.CharField(_("capability"), max_length=300, blank=True)
    head_count = models.PositiveIntegerField(_("head count"), default=0)
    leader = models.CharField(_("leader"), max_length=100, blank=True)
    contact = models.CharField(_("contact"), max_length=100, blank=True)
    readiness = models.CharField(_("readiness"), max_length=12, choices=Readiness.choices, default=Readiness.READY)

    class Meta:
        ordering = ["unit_id", "name", "id"]
        verbose_name = _("rescue team")
        verbose_name_plural = _("rescue teams")
        indexes = [models.Index(fields=["latitude", "longitude"], name="team_place"),
                   models.Index(fields=["unit", "readiness"], name="team_unit_readiness")]
        constraints = _place_checks("team")

    def __str__(self) -> str:
        return self.name


class SupplyItem(models.Model):
    """One entry of an organisation's catalogue of key emergency supplies (重要应急物资目录)."""

    scope_lookup = "organisation"

    class Category(models.TextChoices):
        LIVING = "living", _("Basic living supplies")
        RESCUE = "rescue", _("Rescue and relief")
        MEDICAL = "medical", _("Medical and epidemic prevention")
        PROTECTIVE = "protective", _("Personal protection")
        FLOOD = "flood", _("Flood control")
        POWER_COMMS = "power_comms", _("Power and communication")

    organisation = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="supply_items",
                                     verbose_name=_("organisation"))
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    unit_of_measure = models.CharField(_("unit of measure"), max_length=20)

    class Meta:
        ordering = ["category", "code"]
        verbose_name = _("key emergency supply")
        verbose_name_plural = _("key emergency supplies")
        constraints = [models.UniqueConstraint(fields=["organisation", "code"], name="supply_code_unique")]

    def __str__(self) -> str:
        return f"{self.name}（{self.unit_of_measure}）"

    @property
    def scope_unit_id(self) -> int:
        return self.organisation_id


class Store(Placed):
    """A supply store (储备点)."""

    scope_lookup = "unit"

    unit = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="stores", verbose_name=_("unit"))
    name = models.CharField(_("name"), max_length=200)
    keeper = models.CharField(_("keeper"), max_length=100, blank=True)
    contact = models.CharField(_("contact"), max_length=100, blank=True)

    class Meta:
        ordering = ["unit_id", "name", "id"]
        verbose_name = _("supply store")
        verbose_name_plural = _("supply stores")
        indexes = [models.Index(fields=["latitude", "longitude"], name="store_place")]
        constraints = _place_checks("store")

    def __str__(self) -> str:
        return self.name


class Stock(models.Model):
    """One supply in one store: the balance the movements keep, and the minimum it should not fall below."""

    scope_lookup = "store__unit"

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="stock")
    item = models.ForeignKey(SupplyItem, on_delete=models.PROTECT, related_name="stock")
    quantity = models.PositiveIntegerField(_("quantity"), default=0)
    minimum = models.PositiveIntegerField(_("minimum level"), default=0)

    class Meta:
        ordering = ["store_id", "item_id"]
        verbose_name = _("stock")
        verbose_name_plural = _("stock")
        constraints = [models.UniqueConstraint(fields=["store", "item"], name="one_stock_per_store_item"),
                       models.CheckConstraint(condition=models.Q(quantity__gte=0), name="stock_never_negative")]

    def __str__(self) -> str:
        return f"{self.store.name} · {self.item.name}（{self.quantity}{self.item.unit_of_measure}）"

    @property
    def low(self) -> bool:
        return self.quantity < self.minimum

    @property
    def scope_unit_id(self) -> int:
        return self.store.unit_id


class Batch(models.Model):
    """A batch of one supply in one store, with its expiry; issued first-expiring first."""

    stock = models.ForeignKey(Stock, on_delete=models.PROTECT, related_name="batches")
    code = models.CharField(_("batch"), max_length=60)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), default=0)

    class Meta:
        ordering = ["stock_id", models.F("expires_on").asc(nulls_last=True), "id"]
        verbose_name = _("batch")
        verbose_name_plural = _("batches")
        constraints = [models.UniqueConstraint(fields=["stock", "code"], name="batch_code_per_stock"),
                       models.CheckConstraint(condition=models.Q(quantity__gte=0), name="batch_never_negative")]


class Equipment(Placed):
    """Vehicles, pumps, generators, communication and power kit (customs plan 4.4)."""

    scope_lookup = "unit"

    class Kind(models.TextChoices):
        VEHICLE = "vehicle", _("Vehicle")
        PUMP = "pump", _("Pump")
        GENERATOR = "generator", _("Generator")
        COMMUNICATION = "communication", _("Communication kit")
        POWER = "power", _("Emergency power kit")
        OTHER = "other", _("Other equipment")

    class Status(models.TextChoices):
        AVAILABLE = "available", _("Available")
        STANDBY = "standby", _("On standby")  # put on standby by a warning (resources.Standby)
        IN_USE = "in_use", _("In use")
        MAINTENANCE = "maintenance", _("Under maintenance")
        OUT_OF_SERVICE = "out_of_service", _("Out of service")

    unit = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="equipment",
                             verbose_name=_("unit"))
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    identifier = models.CharField(_("plate or serial number"), max_length=60, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.AVAILABLE)

    class Meta:
        ordering = ["unit_id", "kind", "name", "id"]
        verbose_name = _("equipment")
        verbose_name_plural = _("equipment")
        indexes = [models.Index(fields=["latitude", "longitude"], name="equipment_place")]
        constraints = _place_checks("equipment")

    def __str__(self) -> str:
        return self.name


class Shelter(Placed):
    """A shelter or emergency facility (避难场所)."""

    scope_lookup = "unit"

    class Kind(models.TextChoices):
        SHELTER = "shelter", _("Emergency shelter")
        MEDICAL = "medical", _("Medical point")
        FACILITY = "facility", _("Other emergency facility")

    unit = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="shelters",
                             verbose_name=_("unit"))
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.SHELTER)
    capacity = models.PositiveIntegerField(_("capacity (people)"))

    class Meta:
        ordering = ["unit_id", "name", "id"]
        verbose_name = _("shelter")
        verbose_name_plural = _("shelters")
        indexes = [models.Index(fields=["latitude", "longitude"], name="shelter_place")]
        constraints = _place_checks("shelter")

    def __str__(self) -> str:
        return self.name


class ApprovalRule(models.Model):
    """Who approves a request for one kind of resource in one organisation: these roles, held in
    the unit that holds the resource (or above it)."""

    class Kind(models.TextChoices):
        TEAM = "team", _("Rescue team")
        SUPPLY = "supply", _("Supplies")
        EQUIPMENT = "equipment", _("Equipment")

    organisation = models.ForeignKey("org.OrgUnit", on_delete=models.CASCADE, related_name="resource_rules")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    approver_roles = models.JSONField(_("approving roles"), default=list)
    basis = models.CharField(_("basis"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("resource approval rule")
        verbose_name_plural = _("resource approval rules")
        constraints = [models.UniqueConstraint(fields=["organisation", "kind"], name="one_resource_rule_per_kind")]

    @property
    def scope_unit_id(self) -> int:
        return self.organisation_id

