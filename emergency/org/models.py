"""Organisational units, their departments and expert pools, users and their roles."""
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from tree_queries.models import TreeNode

from .roles import Role


class BilingualName(models.Model):
    """`name` is the official (Chinese) name; `name_en` its English rendering."""

    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)

    class Meta:
        abstract = True

    @property
    def display_name(self) -> str:
        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name

    def __str__(self) -> str:
        return self.display_name


class OrgUnit(TreeNode, BilingualName):
    """A node of the organisation tree: 西安海关 → 关中地区 → 西安咸阳机场海关; 贵港市 → 县 → 乡(镇)."""

    scope_lookup = "pk"  # the unit that owns it, for scoped choices (emergency.org.scope.scoped)

    class Kind(models.TextChoices):
        CUSTOMS_DISTRICT = "customs_district", _("Customs district")
        CUSTOMS_REGION = "customs_region", _("Customs region")
        CUSTOMS_OFFICE = "customs_office", _("Subordinate customs office")
        CITY = "city", _("City")
        COUNTY = "county", _("County (city, district)")
        TOWNSHIP = "township", _("Township")
        COMMAND_BODY = "command_body", _("Command body")

    code = models.SlugField(_("code"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    division_code = models.CharField(_("administrative division code"), max_length=12, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    superior_name = models.CharField(_("superior outside the platform"), max_length=200, blank=True,
                                     help_text="For a top unit: who its reports go to, e.g. 海关总署, 自治区人民政府")

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("organisational unit")
        verbose_name_plural = _("organisational units")

    @property
    def scope_unit_id(self) -> int:
        return self.pk


class Department(BilingualName):
    """A member department (or body) of a unit, with its duties as the plan words them."""

    scope_lookup = "unit"  # the unit that owns it, for scoped choices (emergency.org.scope.scoped)

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="departments", verbose_name=_("unit"))
    code = models.SlugField(_("code"), max_length=80, unique=True)
    duties = models.TextField(_("duties"), blank=True)
    duties_en = models.TextField(_("duties (English)"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["unit_id", "position", "id"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="department_name_unique_in_unit")]

    @property
    def scope_unit_id(self) -> int:
        return self.unit_id

    @property
    def display_duties(self) -> str:
        if self.duties_en and (get_language() or "").startswith("en"):
            return self.duties_en
        return self.duties


class ExpertPool(BilingualName):
    """An expert group or talent pool of a unit (专家组 / 专业人才库)."""

    scope_lookup = "unit"  # the unit that owns it, for scoped choices (emergency.org.scope.scoped)

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="expert_pools", verbose_name=_("unit"))

    class Meta:
        ordering = ["unit_id", "id"]
        verbose_name = _("expert pool")
        verbose_name_plural = _("expert pools")
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="expert_pool_name_unique_in_unit")]

    @property
    def scope_unit_id(self) -> int:
        return self.unit_id


class Expert(models.Model):
    scope_lookup = "pool__unit"  # the unit that owns it, for scoped choices (emergency.org.scope.scoped)
    pool = models.ForeignKey(ExpertPool, on_delete=models.PROTECT, related_name="experts", verbose_name=_("pool"))
    name = models.CharField(_("name"), max_length=100)
    field = models.CharField(_("field"), max_length=200)
    field_en = models.CharField(_("field (English)"), max_length=200, blank=True)
    contact = models.CharField(_("contact"), max_length=200)

    class Meta:
        ordering = ["pool_id", "id"]
        verbose_name = _("expert")
        verbose_name_plural = _("experts")

    def __str__(self) -> str:
        return self.name

    @property
    def scope_unit_id(self) -> int:
        return self.pool.unit_id

    @property
    def display_field(self) -> str:
        if self.field_en and (get_language() or "").startswith("en"):
            return self.field_en
        return self.field


class User(AbstractUser):
    scope_lookup = "role_assignments__unit"  # the unit that owns it, for scoped choices (emergency.org.scope.scoped)
    full_name = models.CharField(_("full name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def account_state(self) -> str:
        """The account's lifecycle state (`emergency.org.lifecycles.ACCOUNT`): active or deactivated."""
        return "active" if self.is_active else "deactivated"


class RoleAssignment(models.Model):
    """`user` holds `role` in `unit` and, through it, in the unit's descendants."""

    scope_lookup = "unit"  # the unit that owns it, for scoped choices (emergency.org.scope.scoped)

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("user"))
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="role_assignments", verbose_name=_("unit"))
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="role_assignments",
        verbose_name=_("department"),
    )

    class Meta:
        ordering = ["unit_id", "role", "id"]
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "unit", "role"], condition=models.Q(department__isnull=True),
                name="role_unique_without_department",
            ),
            models.UniqueConstraint(
                fields=["user", "unit", "role", "department"], condition=models.Q(department__isnull=False),
                name="role_unique_with_department",
            ),
        ]
        indexes = [models.Index(fields=["user", "role"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.unit}"

    @property
    def scope_unit_id(self) -> int:
        return self.unit_id


class OrganisationLink(models.Model):
    """An organisation informs another (联动单位): customs 3.3.3 informs 地方党委和政府, city
    3.2.2 2) informs the neighbouring areas. What it sends reaches the other's duty room as a unit;
    the sender never chooses or sees the other organisation's people."""

    organisation = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="links_out",
                                     verbose_name=_("organisation"))
    linked = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="links_in",
                               verbose_name=_("linked organisation"))
    basis = models.CharField(_("basis"), max_length=200, blank=True, help_text="e.g. 海关预案 3.3.3")

    class Meta:
        ordering = ["organisation_id", "linked_id"]
        verbose_name = _("linked organisation")
        verbose_name_plural = _("linked organisations")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "linked"], name="organisation_link_once"),
            models.CheckConstraint(condition=~models.Q(organisation=models.F("linked")), name="organisation_link_other"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.linked}"
