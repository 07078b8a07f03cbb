"""The shell's defects of issue 15: unit drop-downs in tree order, the audit log names each action
and object in the user's language, the workbench offers what the user may do, the phone menu."""
import pytest
from django import forms
from django.urls import reverse
from rest_framework.test import APIRequestFactory

from emergency.audit.labels import action_label, object_label
from emergency.audit.models import AuditEntry
from emergency.audit.services import audit_record
from emergency.org.fields import INDENT, ScopedForm, ScopedModelChoiceField
from emergency.org.models import Department, OrgUnit
from emergency.org.operations import GrantInput
from emergency.org.roles import Role

from .factories import DepartmentFactory, UnitFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    """Created out of tree order, so that id order is not tree order:
    市 ── 乙县 (position 2) ── 乙乡 ; 市 ── 甲县 (position 1)"""
    city = UnitFactory(code="t", name="市")
    second = UnitFactory(code="t2", name="乙县", parent=city, kind=OrgUnit.Kind.COUNTY, position=2)
    township = UnitFactory(code="t2a", name="乙乡", parent=second, kind=OrgUnit.Kind.TOWNSHIP)
    first = UnitFactory(code="t1", name="甲县", parent=city, kind=OrgUnit.Kind.COUNTY, position=1)
    for unit in (township, second, first, city):
        DepartmentFactory(unit=unit, code=f"{unit.code}-office", name=f"{unit.name}办公室")
    return city, first, second, township


class _UnitForm(ScopedForm):
    unit = ScopedModelChoiceField(queryset=OrgUnit.objects.order_by("-id"))
    department = ScopedModelChoiceField(queryset=Department.objects.all())
    nearest = ScopedModelChoiceField(queryset=Department.objects.order_by("name"))  # a view's own order


def test_unit_drop_downs_are_in_tree_order_and_indented_whatever_order_the_view_asks(tree):
    city, first, second, township = tree
    admin = user_with_role(Role.SYSTEM_ADMIN, city)
    form = _UnitForm(user=admin)
    labels = [label for value, label in form.fields["unit"].choices if value != ""]
    assert labels == ["市", INDENT + "甲县", INDENT + "乙县", INDENT * 2 + "乙乡"]
    departments = [label for value, label in form.fields["department"].choices if value != ""]
    assert departments == ["市办公室", "甲县办公室", "乙县办公室", "乙乡办公室"]
    nearest = [label for value, label in form.fields["nearest"].choices if value != ""]
    assert nearest == [d.name for d in Department.objects.order_by("name")]  # ordered on purpose: kept
    assert isinstance(form.fields["unit"].widget, forms.Select)


def test_the_api_input_fields_offer_units_in_tree_order(tree):
    city, first, second, township = tree
    admin = user_with_role(Role.SYSTEM_ADMIN, city)
    request = APIRequestFactory().get("/")
    request.user = admin
    choices = GrantInput(context={"request": request}).fields["unit"].get_choices()
    assert list(choices.values()) == ["市", INDENT + "甲县", INDENT + "乙县", INDENT * 2 + "乙乡"]


def test_the_audit_log_names_actions_and_objects_in_the_users_language(tree, client):
    from django.db import transaction

    city = tree[0]
    admin = user_with_role(Role.SYSTEM_ADMIN, city)
    with transaction.atomic():
        department = Department.objects.get(unit=city)
        audit_record(actor=admin, unit_id=city.pk, action="plan.step", target=department)
        audit_record(actor=admin, unit_id=city.pk, action="department.update", target=department)
    client.force_login(admin)
    page = client.get(reverse("audit-log"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "办理审批环节" in page and "修改部门职责" in page
    assert "<code>plan.step</code>" not in page and ">plan.step<" not in page
    english = client.get(reverse("audit-log"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Approval step taken" in english


def test_an_object_written_without_a_name_is_shown_by_its_kind_and_number():
    from django.utils import translation

    entry = AuditEntry(object_type="plans.steprecord", object_id="16", object_repr="StepRecord object (16)")
    edition = AuditEntry(object_type="plans.planedition", object_id="4", object_repr="PlanEdition object (4)")
    named = AuditEntry(object_type="org.department", object_id="3", object_repr="市应急管理局")
    with translation.override("zh-hans"):
        assert object_label(entry) == "审批环节 #16"
        assert object_label(edition) == "预案版本 #4"
        assert object_label(named) == "市应急管理局"
        assert action_label("warning.lift") == "预警已解除"
        assert action_label("resources.stock.update", "org.department") == "部门变更"  # an action nobody named
    with translation.override("en"):
        assert object_label(entry) == "Approval step #16"


def test_the_workbench_offers_adding_users_only_to_system_administrators(tree, client):
    city = tree[0]
    client.force_login(user_with_role(Role.DUTY_OFFICER, city))
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'data-action="add-user"' not in page and 'data-action="log-incident"' in page
    client.force_login(user_with_role(Role.SYSTEM_ADMIN, city))
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'data-action="add-user"' in page and "添加用户" in page


def test_the_navigation_has_a_menu_button_for_phones(tree, client):
    client.force_login(user_with_role(Role.DUTY_OFFICER, tree[0]))
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'data-testid="menu-button"' in page and "菜单" in page and 'aria-controls="nav-items"' in page
