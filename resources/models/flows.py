"""Requests for resources from an incident (or its command post), and the append-only records of
each step and of every stock movement (official records: the database refuses to change them)."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .inventory import ApprovalRule


class DeliveryPoint(models.Model):
    """A place the command post opens: a rally point (集结点), a supply receiving point or a
    distribution point (物资接收点、发放点), city plan 3.3.3 2)."""

    scope_lookup = "post__response__incident__unit"

    class Kind(models.TextChoices):
        RALLY = "rally", _("Rally point")
        RECEIVING = "receiving", _("Supply receiving point")
        DISTRIBUTION = "distribution", _("Supply distribution point")

    post = models.ForeignKey("response.CommandPost", on_delete=models.PROTECT, related_name="delivery_points")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(_("opened at"))

    class Meta:
        ordering = ["opened_at", "id"]
        verbose_name = _("command post point")
        verbose_name_plural = _("command post points")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.name}"


class ResourceRequest(models.Model):
    """A request for a team, supplies or equipment, sent to the unit that holds them (or up to the
    superior, who dispatches from what its units hold). `state` and the dispatch fields repeat the
    last step for lists; the steps are the record."""

    scope_lookup = "incident__unit"
    Kind = ApprovalRule.Kind

    class State(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        DISPATCHED = "dispatched", _("Dispatched")
        EN_ROUTE = "en_route", _("En route")
        ARRIVED = "arrived", _("Arrived")
        IN_USE = "in_use", _("In use")
        RETURNED = "returned", _("Returned")
        CONSUMED = "consumed", _("Consumed")

    incident = models.ForeignKey("incidents.Incident", on_delete=models.PROTECT, related_name="resource_requests")
    post = models.ForeignKey("response.CommandPost", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="resource_requests", verbose_name=_("command post"))
    holding_unit = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="resource_requests",
                                     verbose_name=_("requested from"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    team = models.ForeignKey("resources.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="requests",
                             verbose_name=_("rescue team"))
    equipment = models.ForeignKey("resources.Equipment", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="requests", verbose_name=_("equipment"))
    item = models.ForeignKey("resources.SupplyItem", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="requests", verbose_name=_("supply"))
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    destination = models.ForeignKey(DeliveryPoint, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="requests", verbose_name=_("deliver to"))
    reason = models.TextField(_("what it is needed for"))
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.REQUESTED)
    store = models.ForeignKey("resources.Store", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                              verbose_name=_("dispatched from"))
    dispatched_quantity = models.PositiveIntegerField(_("dispatched quantity"), default=0)
    returned_quantity = models.PositiveIntegerField(_("returned quantity"), default=0)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("requested by"))
    requested_at = models.DateTimeField(_("requested at"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("resource request")
        verbose_name_plural = _("resource requests")
        indexes = [models.Index(fields=["holding_unit", "state"]), models.Index(fields=["incident", "state"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="request_quantity_positive"),
            models.CheckConstraint(name="request_names_what_it_asks_for", condition=(
                models.Q(kind="team", team__isnull=False, item__isnull=True, equipment__isnull=True)
                | models.Q(kind="equipment", equipment__isnull=False, item__isnull=True, team__isnull=True)
                | models.Q(kind="supply", item__isnull=False, team__isnull=True, equipment__isnull=True))),
            models.CheckConstraint(condition=models.Q(returned_quantity__lte=models.F("dispatched_quantity")),
                                   name="request_returns_no_more_than_sent"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.what}"

    @property
    def what(self) -> str:
        if self.kind == self.Kind.SUPPLY:
            return f"{self.item.name} × {self.quantity}{self.item.unit_of_measure}"
        return str(self.team if self.kind == self.Kind.TEAM else self.equipment)

    @property
    def scope_unit_id(self) -> int:
        return self.incident.unit_id


class RequestStep(models.Model):
    """One step of a request, with its time and who took it. Append-only."""

    request = models.ForeignKey(ResourceRequest, on_delete=models.PROTECT, related_name="steps")
    state = models.CharField(_("state"), max_length=12, choices=ResourceRequest.State.choices)
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("by"))
    authority = models.CharField(_("with the authority of"), max_length=200, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), null=True, blank=True)
    store = models.ForeignKey("resources.Store", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("request step")
        verbose_name_plural = _("request steps")


class StockMovement(models.Model):
    """Stock in or out of one batch: a receipt (入库/补充), a dispatch, a return. The only way a
    balance changes. Append-only."""

    class Reason(models.TextChoices):
        RECEIPT = "receipt", _("Received into store")
        DISPATCH = "dispatch", _("Dispatched")
        RETURN = "return", _("Returned")

    stock = models.ForeignKey("resources.Stock", on_delete=models.PROTECT, related_name="movements")
    batch = models.ForeignKey("resources.Batch", on_delete=models.PROTECT, related_name="movements")
    change = models.IntegerField(_("change"))
    balance = models.PositiveIntegerField(_("balance after"))
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
    step = models.ForeignKey(RequestStep, on_delete=models.PROTECT, null=True, blank=True, related_name="movements")
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("stock movement")
        verbose_name_plural = _("stock movements")
        constraints = [models.CheckConstraint(condition=~models.Q(change=0), name="movement_moves_something")]
