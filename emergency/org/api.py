"""REST API of the organisation: units, departments, expert pools, experts, roles, and `me`."""
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response

from emergency.api.fields import DB_INT_MAX, ScopedPrimaryKeyField, ScopedSlugField
from emergency.api.serializers import OutputSerializer
from emergency.api.viewsets import ReadOnlyScopedViewSet
from emergency.operations.api import with_operations

from . import operations  # noqa: F401  (registers the organisation's operations)
from . import selectors, services
from .models import Department, Expert, ExpertPool, OrgUnit, RoleAssignment, User
from .roles import Role
from .scope import unit_scope

# --- Units --------------------------------------------------------------------------------

class UnitSerializer(OutputSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    depth = serializers.IntegerField(source="tree_depth", read_only=True)
    department_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = OrgUnit
        fields = ["id", "code", "name", "name_en", "kind", "kind_display", "division_code", "parent", "position",
                  "depth", "department_count"]


class UnitCreateSerializer(serializers.Serializer):
    parent = ScopedPrimaryKeyField(selectors.unit_list)
    code = serializers.SlugField(max_length=80)
    name = serializers.CharField(max_length=200)
    name_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    kind = serializers.ChoiceField(choices=OrgUnit.Kind.choices)
    division_code = serializers.CharField(max_length=12, required=False, allow_blank=True)
    position = serializers.IntegerField(min_value=0, max_value=DB_INT_MAX, required=False)


class UnitUpdateSerializer(UnitCreateSerializer):
    parent = None


class UnitViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, ReadOnlyScopedViewSet):
    serializer_class = UnitSerializer
    selector = selectors.unit_list
    filterset_fields = ["kind", "parent"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    @extend_schema(request=UnitCreateSerializer, responses=UnitSerializer)
    def create(self, request, *args, **kwargs):
        unit = services.unit_create(actor=request.user, **self.parse(UnitCreateSerializer))
        return self.respond(self.get_queryset().get(pk=unit.pk), created=True)

    @extend_schema(request=UnitUpdateSerializer, responses=UnitSerializer)
    def partial_update(self, request, *args, **kwargs):
        unit = services.unit_update(actor=request.user, unit=self.get_object(),
                                    **self.parse(UnitUpdateSerializer, partial=True))
        return self.respond(self.get_queryset().get(pk=unit.pk))


# --- Departments --------------------------------------------------------------------------

class DepartmentSerializer(OutputSerializer):
    class Meta:
        model = Department
        fields = ["id", "unit", "code", "name", "name_en", "duties", "duties_en", "position"]


class DepartmentCreateSerializer(serializers.Serializer):
    unit = ScopedPrimaryKeyField(selectors.unit_list)
    code = serializers.SlugField(max_length=80)
    name = serializers.CharField(max_length=200)
    name_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    duties = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    duties_en = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    position = serializers.IntegerField(min_value=0, max_value=DB_INT_MAX, required=False)


class DepartmentUpdateSerializer(DepartmentCreateSerializer):
    unit = None


@with_operations(model=Department)
class DepartmentViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, ReadOnlyScopedViewSet):
    serializer_class = DepartmentSerializer
    selector = selectors.department_list
    filterset_fields = ["unit"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    @extend_schema(request=DepartmentCreateSerializer, responses=DepartmentSerializer)
    def create(self, request, *args, **kwargs):
        return self.respond(services.department_create(actor=request.user, **self.parse(DepartmentCreateSerializer)),
                            created=True)

    @extend_schema(request=DepartmentUpdateSerializer, responses=DepartmentSerializer)
    def partial_update(self, request, *args, **kwargs):
        return self.respond(services.department_update(
            actor=request.user, department=self.get_object(), **self.parse(DepartmentUpdateSerializer, partial=True)
        ))


# --- Expert pools and experts -------------------------------------------------------------

class ExpertPoolSerializer(OutputSerializer):
    class Meta:
        model = ExpertPool
        fields = ["id", "unit", "name", "name_en"]


class ExpertPoolCreateSerializer(serializers.Serializer):
    unit = ScopedPrimaryKeyField(selectors.unit_list)
    name = serializers.CharField(max_length=200)
    name_en = serializers.CharField(max_length=200, required=False, allow_blank=True)


class ExpertPoolViewSet(mixins.CreateModelMixin, ReadOnlyScopedViewSet):
    serializer_class = ExpertPoolSerializer
    selector = selectors.expert_pool_list
    filterset_fields = ["unit"]

    @extend_schema(request=ExpertPoolCreateSerializer, responses=ExpertPoolSerializer)
    def create(self, request, *args, **kwargs):
        return self.respond(services.expert_pool_create(actor=request.user, **self.parse(ExpertPoolCreateSerializer)),
                            created=True)


class ExpertSerializer(OutputSerializer):
    class Meta:
        model = Expert
        fields = ["id", "pool", "name", "field", "field_en", "contact"]


class ExpertCreateSerializer(serializers.Serializer):
    pool = ScopedPrimaryKeyField(selectors.expert_pool_list)
    name = serializers.CharField(max_length=100)
    field = serializers.CharField(max_length=200)
    field_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    contact = serializers.CharField(max_length=200)


class ExpertViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, mixins.DestroyModelMixin,
                    ReadOnlyScopedViewSet):
    serializer_class = ExpertSerializer
    selector = selectors.expert_list
    filterset_fields = ["pool"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    @extend_schema(request=ExpertCreateSerializer, responses=ExpertSerializer)
    def create(self, request, *args, **kwargs):
        return self.respond(services.expert_create(actor=request.user, **self.parse(ExpertCreateSerializer)),
                            created=True)

    @extend_schema(request=ExpertCreateSerializer, responses=ExpertSerializer)
    def partial_update(self, request, *args, **kwargs):
        return self.respond(services.expert_update(
            actor=request.user, expert=self.get_object(), **self.parse(ExpertCreateSerializer, partial=True)
        ))

    def perform_destroy(self, instance):
        services.expert_remove(actor=self.request.user, expert=instance)


# --- Roles and the caller -----------------------------------------------------------------

class RoleAssignmentSerializer(OutputSerializer):
    role_display = serializers.CharField(source="get_role_display", read_only=True)
    username = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = RoleAssignment
        fields = ["id", "user", "username", "unit", "role", "role_display", "department"]


class RoleAssignmentCreateSerializer(serializers.Serializer):
    user = ScopedSlugField(selectors.grantable_people, slug_field="username")
    unit = ScopedPrimaryKeyField(selectors.unit_list)
    role = serializers.ChoiceField(choices=Role.choices)
    department = ScopedPrimaryKeyField(selectors.department_list, required=False, allow_null=True)


@with_operations(model=RoleAssignment)
class RoleAssignmentViewSet(mixins.CreateModelMixin, mixins.DestroyModelMixin, ReadOnlyScopedViewSet):
    serializer_class = RoleAssignmentSerializer
    selector = selectors.role_assignment_list
    filterset_fields = ["unit", "role", "user"]

    @extend_schema(request=RoleAssignmentCreateSerializer, responses=RoleAssignmentSerializer)
    def create(self, request, *args, **kwargs):
        return self.respond(services.role_assign(actor=request.user, **self.parse(RoleAssignmentCreateSerializer)),
                            created=True)

    def perform_destroy(self, instance):
        services.role_revoke(actor=self.request.user, assignment=instance)


class PersonSerializer(OutputSerializer):
    roles = RoleAssignmentSerializer(source="role_assignments", many=True, read_only=True)
    email = serializers.CharField(read_only=True)  # may be blank, so no "format: email" in the schema

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "phone", "email", "is_active", "roles"]


@with_operations("user.add", model=User)
class PersonViewSet(ReadOnlyScopedViewSet):
    """The people of the units the caller administers: add one, grant roles, set a password,
    deactivate and reactivate, as the people pages do."""

    serializer_class = PersonSerializer
    selector = selectors.people_with_roles
    filterset_fields = ["is_active"]


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    full_name = serializers.CharField()
    roles = RoleAssignmentSerializer(many=True)
    visible_unit_count = serializers.IntegerField()


@extend_schema(responses=MeSerializer, summary=str(_("The caller, their roles and scope")))
@api_view(["GET"])
def me(request):
    user = request.user
    assignments = user.role_assignments.select_related("unit", "department", "user")
    return Response(MeSerializer({
        "username": user.username,
        "full_name": user.full_name,
        "roles": assignments,
        "visible_unit_count": len(unit_scope(user).visible),
    }).data)
