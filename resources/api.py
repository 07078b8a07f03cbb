"""REST API of resources: the inventory (teams, stores with their stock, equipment, shelters, the
catalogue), stock received into a store, nearest-first lists for an incident, and requests with
their steps (request, decide, advance)."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer, inline_serializer
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action, api_view
from rest_framework.response import Response

from emergency.api.fields import ScopedPrimaryKeyField
from emergency.api.serializers import OutputSerializer
from emergency.api.viewsets import ReadOnlyScopedViewSet
from emergency.errors import NotFound, ValidationFailed
from emergency.org import selectors as org_selectors
from incidents import selectors as incident_selectors

from . import selectors
from .models import Batch, Equipment, RequestStep, ResourceRequest, Shelter, Stock, StockMovement, Store, SupplyItem, Team
from .services import inventory, requests

PLACE = ["latitude", "longitude", "address"]


class TeamSerializer(OutputSerializer):
    class Meta:
        model = Team
        fields = ["id", "unit", "name", "kind", "capability", "head_count", "leader", "contact", "readiness", *PLACE]


class EquipmentSerializer(OutputSerializer):
    class Meta:
        model = Equipment
        fields = ["id", "unit", "name", "kind", "identifier", "status", *PLACE]


class ShelterSerializer(OutputSerializer):
    class Meta:
        model = Shelter
        fields = ["id", "unit", "name", "kind", "capacity", *PLACE]


class SupplyItemSerializer(OutputSerializer):
    class Meta:
        model = SupplyItem
        fields = ["id", "organisation", "code", "name", "category", "unit_of_measure"]


class BatchSerializer(OutputSerializer):
    class Meta:
        model = Batch
        fields = ["id", "code", "expires_on", "quantity"]


class StockSerializer(OutputSerializer):
    batches = BatchSerializer(many=True, read_only=True)
    low = serializers.BooleanField(read_only=True)

    class Meta:
        model = Stock
        fields = ["id", "item", "quantity", "minimum", "low", "batches"]


class StoreSerializer(OutputSerializer):
    class Meta:
        model = Store
        fields = ["id", "unit", "name", "keeper", "contact", *PLACE]


class StoreDetailSerializer(StoreSerializer):
    stock = serializers.SerializerMethodField()

    class Meta(StoreSerializer.Meta):
        fields = StoreSerializer.Meta.fields + ["stock"]

    @extend_schema(responses=StockSerializer(many=True))
    def get_stock(self, store) -> list[dict]:
        return StockSerializer(selectors.stock_of(store), many=True).data


class MovementSerializer(OutputSerializer):
    class Meta:
        model = StockMovement
        fields = ["id", "stock", "batch", "change", "balance", "reason", "step", "at", "actor", "note"]


class StepSerializer(OutputSerializer):
    class Meta:
        model = RequestStep
        fields = ["id", "state", "at", "actor", "authority", "quantity", "store", "note"]


class RequestSerializer(OutputSerializer):
    steps = StepSerializer(many=True, read_only=True)

    class Meta:
        model = ResourceRequest
        fields = ["id", "incident", "post", "holding_unit", "kind", "team", "equipment", "item", "quantity",
                  "destination", "reason", "state", "store", "dispatched_quantity", "returned_quantity",
                  "requested_by", "requested_at", "steps"]


class TeamInput(serializers.Serializer):
    unit = ScopedPrimaryKeyField(org_selectors.units_visible)
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=Team.Kind.choices)
    latitude = serializers.FloatField(min_value=-90, max_value=90)
    longitude = serializers.FloatField(min_value=-180, max_value=180)
    address = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)
    capability = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)
    head_count = serializers.IntegerField(min_value=0, max_value=100000, required=False, default=0)
    leader = serializers.CharField(max_length=100, required=False, default="", allow_blank=True)
    contact = serializers.CharField(max_length=100, required=False, default="", allow_blank=True)


class ReadinessInput(serializers.Serializer):
    readiness = serializers.ChoiceField(choices=Team.Readiness.choices)


class ReceiptInput(serializers.Serializer):
    item = ScopedPrimaryKeyField(selectors.supply_items)
    quantity = serializers.IntegerField(min_value=1, max_value=10**8)
    batch = serializers.CharField(max_length=60)
    expires_on = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)


class MinimumInput(serializers.Serializer):
    item = ScopedPrimaryKeyField(selectors.supply_items)
    minimum = serializers.IntegerField(min_value=0, max_value=10**8)


class RequestInput(serializers.Serializer):
    incident = ScopedPrimaryKeyField(incident_selectors.incident_list)
    kind = serializers.ChoiceField(choices=ResourceRequest.Kind.choices)
    team = ScopedPrimaryKeyField(selectors.requestable_teams, required=False, allow_null=True, default=None)
    equipment = ScopedPrimaryKeyField(selectors.requestable_equipment, required=False, allow_null=True, default=None)
    item = ScopedPrimaryKeyField(selectors.supply_items, required=False, allow_null=True, default=None)
    holding_unit = ScopedPrimaryKeyField(selectors.requestable_units, required=False, allow_null=True, default=None)
    quantity = serializers.IntegerField(min_value=1, max_value=10**8, required=False, default=1)
    reason = serializers.CharField(max_length=2000)


@extend_schema_serializer(component_name="ResourceRequestDecideInput")
class DecideInput(serializers.Serializer):
    approve = serializers.BooleanField()
    note = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)


class AdvanceInput(serializers.Serializer):
    state = serializers.ChoiceField(choices=[s for s in ResourceRequest.State.choices
                                             if s[0] not in ("requested", "approved", "rejected")])
    store = ScopedPrimaryKeyField(selectors.store_list, required=False, allow_null=True, default=None)
    quantity = serializers.IntegerField(min_value=0, max_value=10**8, required=False, allow_null=True, default=None)
    note = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)


class TeamViewSet(mixins.CreateModelMixin, ReadOnlyScopedViewSet):
    """Rescue teams of my units."""

    selector = staticmethod(selectors.team_list)
    serializer_class = TeamSerializer

    @extend_schema(request=TeamInput, responses={201: TeamSerializer})
    def create(self, request):
        return self.respond(inventory.team_create(actor=request.user, **self.parse(TeamInput)), created=True)

    @extend_schema(request=ReadinessInput, responses=TeamSerializer)
    @action(detail=True, methods=["post"])
    def readiness(self, request, pk=None):
        return self.respond(inventory.team_readiness_set(actor=request.user, team=self.get_object(),
                                                         **self.parse(ReadinessInput)))


class EquipmentViewSet(ReadOnlyScopedViewSet):
    selector = staticmethod(selectors.equipment_list)
    serializer_class = EquipmentSerializer


class ShelterViewSet(ReadOnlyScopedViewSet):
    selector = staticmethod(selectors.shelter_list)
    serializer_class = ShelterSerializer


class SupplyItemViewSet(ReadOnlyScopedViewSet):
    """The catalogues of key emergency supplies of my organisations."""

    selector = staticmethod(selectors.supply_items)
    serializer_class = SupplyItemSerializer


class StoreViewSet(ReadOnlyScopedViewSet):
    """Supply stores of my units; one store shows its stock by batch."""

    selector = staticmethod(selectors.store_list)

    def get_serializer_class(self):
        return StoreDetailSerializer if self.action == "retrieve" else StoreSerializer

    @extend_schema(request=ReceiptInput, responses={201: MovementSerializer})
    @action(detail=True, methods=["post"])
    def receive(self, request, pk=None):
        movement = inventory.stock_receive(actor=request.user, store=self.get_object(), **self.parse(ReceiptInput))
        return Response(MovementSerializer(movement).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MinimumInput, responses=StockSerializer)
    @action(detail=True, methods=["post"])
    def minimum(self, request, pk=None):
        stock = inventory.stock_minimum_set(actor=request.user, store=self.get_object(), **self.parse(MinimumInput))
        return Response(StockSerializer(stock).data)

    @extend_schema(responses=MovementSerializer(many=True))
    @action(detail=True, methods=["get"])
    def movements(self, request, pk=None):
        return Response(MovementSerializer(selectors.movements_of(self.get_object()), many=True).data)


class RequestViewSet(mixins.CreateModelMixin, ReadOnlyScopedViewSet):
    """Requests from my units' incidents and to my units, with every step."""

    selector = staticmethod(lambda user: selectors.request_list(user=user).prefetch_related("steps"))
    serializer_class = RequestSerializer

    @extend_schema(request=RequestInput, responses={201: RequestSerializer})
    def create(self, request):
        return self.respond(requests.request_create(actor=request.user, **self.parse(RequestInput)), created=True)

    @extend_schema(request=DecideInput, responses=RequestSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        return self.respond(requests.request_decide(actor=request.user, request=self.get_object(),
                                                    **self.parse(DecideInput)))

    @extend_schema(request=AdvanceInput, responses=RequestSerializer)
    @action(detail=True, methods=["post"])
    def advance(self, request, pk=None):
        return self.respond(requests.request_advance(actor=request.user, request=self.get_object(),
                                                     **self.parse(AdvanceInput)))


NearbySerializer = inline_serializer("NearbyResource", {
    "kind": serializers.CharField(), "id": serializers.IntegerField(), "name": serializers.CharField(),
    "unit_id": serializers.IntegerField(), "unit_name": serializers.CharField(),
    "latitude": serializers.FloatField(), "longitude": serializers.FloatField(),
    "distance_km": serializers.FloatField(), "status": serializers.CharField(),
    "quantity": serializers.IntegerField(allow_null=True)}, many=True)


@extend_schema(parameters=[OpenApiParameter("kind", str, enum=["team", "equipment", "store"]),
                           OpenApiParameter("item", int, required=False),
                           OpenApiParameter("radius_km", float, required=False)],
               responses=NearbySerializer)
@api_view(["GET"])
def nearest(request, pk: int):
    """Available teams or equipment, or stores holding a supply, nearest the incident first."""
    incident = incident_selectors.incident_list(user=request.user).filter(pk=pk).first()
    if incident is None:
        raise NotFound(_("Not found."))
    if incident.latitude is None or incident.longitude is None:
        raise ValidationFailed(_("The incident has no location."))
    try:
        radius = min(max(float(request.query_params.get("radius_km", 100)), 1.0), 1000.0)
        item = int(request.query_params["item"]) if request.query_params.get("item") else None
    except ValueError:
        raise ValidationFailed(_("Some fields are missing or invalid.")) from None
    rows = selectors.nearest(user=request.user, kind=request.query_params.get("kind", "team"),
                             latitude=float(incident.latitude), longitude=float(incident.longitude),
                             radius_km=radius, item_id=item)
    return Response([row.__dict__ for row in rows])
