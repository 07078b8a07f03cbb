"""Issue 18, item 1: every choice is scoped. Generated from the code, as the scope matrix is from
the URL conf: every form class and every serializer class of the project's apps is found, every
field that names an object (a model choice, a related field) is built for a user of organisation
A, and must neither offer nor accept organisation B's objects, however unscoped the queryset a
view hands it; the user's own objects are offered (the control). A mutation run with the scoping
switched off must report leaks, so the check is not blind.

    A: ra (city) ── a1 (county)          B: rb (city) ── b1 (county)          C: rc, linked from A
"""
from __future__ import annotations

import importlib
import inspect
import pkgutil
from types import SimpleNamespace

import pytest
from django import forms
from django.apps import apps
from django.http import QueryDict
from django.utils import translation
from rest_framework import serializers
from rest_framework.relations import ManyRelatedField, RelatedField

from emergency.org import fields as scoped_fields
from emergency.org.fields import ScopedChoiceMixin, ScopedForm
from emergency.org.models import Department, OrganisationLink, OrgUnit, User
from incidents.grading.selectors import type_choices
from incidents.response import command
from incidents.response.models import WorkingGroup
from incidents.models import Incident
from plans.models import Plan
from resources.models import DeliveryPoint, Store

from .factories import UnitFactory, UserFactory
from .scope_helpers import organisation_rules, unit_objects

MISSING = 2**31 - 1
# Models a choice may name that belong to no unit, and why.
UNOWNED = {"ThresholdTable": "the grading standard is national: its tables belong to no unit"}
# What a form's constructor argument is, handed over unscoped (the worst a view could do).
FORM_ARGS = {
    "units": lambda: OrgUnit.objects.all(), "departments": lambda: Department.objects.all(),
    "plans": lambda: Plan.objects.all(), "groups": lambda: WorkingGroup.objects.all(),
    "organisations": lambda: OrgUnit.objects.filter(parent__isnull=True), "types": type_choices,
    "incident": lambda: Incident.objects.filter(unit__parent__code="ra").first(),  # one of A's
    "points": lambda: DeliveryPoint.objects.all(), "stores": lambda: Store.objects.all(),
}


def project_classes(base: type) -> list[type]:
    """Every subclass of `base` defined in the project's apps (each app's modules imported)."""
    for config in apps.get_app_configs():
        if not config.name.startswith(("emergency", "plans", "incidents", "alerts", "resources")):
            continue
        for info in pkgutil.walk_packages(config.module.__path__, f"{config.name}."):
            if ".migrations" not in info.name and ".management" not in info.name:
                importlib.import_module(info.name)
    found, stack = [], [base]
    while stack:
        for cls in stack.pop().__subclasses__():
            stack.append(cls)
            if cls.__module__.startswith(("emergency.", "plans.", "incidents.", "alerts.", "resources.")):
                found.append(cls)
    return sorted(set(found), key=lambda c: f"{c.__module__}.{c.__qualname__}")


@pytest.fixture
def organisations(db):
    made = {}
    for name in ("a", "b"):
        top = UnitFactory(code=f"r{name}", name=f"{name.upper()}市")
        county = UnitFactory(code=f"{name}1", name=f"{name.upper()}区", parent=top, kind=OrgUnit.Kind.COUNTY)
        organisation_rules(top)
        objects = unit_objects(county)
        post = objects["response"].command_post
        command.group_add(actor=objects["boss"], post=post, kind="rescue", lead_department=objects["department"])
        made[name] = {"top": top, **objects}
    linked = UnitFactory(code="rc", name="C市")
    OrganisationLink.objects.create(organisation=made["a"]["top"], linked=linked)
    UserFactory(username="c-duty").role_assignments.create(unit=linked, role="duty_officer")
    made["c"] = linked
    return made


def _owned(model, organisation: OrgUnit) -> set[int]:
    units = OrgUnit.objects.descendants(organisation, include_self=True)
    lookup = model.scope_lookup
    return set(model._default_manager.filter(**{f"{lookup}__in": units}).values_list("pk", flat=True))


class Check:
    """Leaks found (a foreign object offered or accepted) and choices checked."""

    def __init__(self, orgs):
        self.orgs, self.leaks, self.fields, self.vacuous = orgs, [], 0, []

    def offered(self, where: str, model, pks: set[int], linked: bool) -> bool:
        """False for a model that belongs to no unit (UNOWNED); a model that says neither fails."""
        if not hasattr(model, "scope_lookup"):
            if model.__name__ not in UNOWNED:
                self.leaks.append(f"{where}: {model.__name__} has no scope_lookup and is not in UNOWNED")
            return False
        self.fields += 1
        foreign = _owned(model, self.orgs["b"]["top"])
        own = {self.orgs["c"].pk} if linked else _owned(model, self.orgs["a"]["top"])
        if pks & foreign:
            self.leaks.append(f"{where}: offers {len(pks & foreign)} of B's {model.__name__}")
        if not pks & own:
            self.vacuous.append(f"{where}: offers none of the user's own {model.__name__}")
        return True

    def accepted(self, where: str, ok: bool) -> None:
        if ok:
            self.leaks.append(f"{where}: accepts B's object")


def _build_form(cls, user):
    params = inspect.signature(cls.__init__).parameters
    kwargs, unmapped = {}, []
    for name, param in params.items():
        if param.kind is param.KEYWORD_ONLY and name != "user":
            if name in FORM_ARGS:
                kwargs[name] = FORM_ARGS[name]()
            elif param.default is param.empty:
                unmapped.append(name)
    return kwargs, unmapped


def check_forms(orgs, user, check: Check) -> list[str]:
    problems = []
    for cls in project_classes(forms.BaseForm):
        choices = {n: f for n, f in cls.base_fields.items() if isinstance(f, forms.ModelChoiceField)}
        if not choices:
            continue
        if not issubclass(cls, ScopedForm):
            problems.append(f"{cls.__qualname__}: names objects but is not a ScopedForm")
            continue
        kwargs, unmapped = _build_form(cls, user)
        if unmapped:
            problems.append(f"{cls.__qualname__}: map {', '.join(unmapped)} in FORM_ARGS")
            continue
        for name, declared in choices.items():
            model = declared.queryset.model if declared.queryset is not None else _model_of(cls, name, kwargs, user)
            linked = getattr(declared, "within", "") == "linked"
            form = cls(user=user, **kwargs)
            form.fields[name].queryset = model._default_manager.all()  # however unscoped a view is
            field = form.fields[name]
            if not check.offered(f"{cls.__qualname__}.{name}", model, {o.pk for o in field.queryset}, linked):
                continue
            if not isinstance(field, ScopedChoiceMixin):
                problems.append(f"{cls.__qualname__}.{name}: not a scoped field")
            for pk in sorted(_owned(model, orgs["b"]["top"]))[:3]:
                data = QueryDict(mutable=True)
                data.setlist(name, [str(pk)])
                bound = cls(data, user=user, **kwargs)
                bound.fields[name].queryset = model._default_manager.all()
                bound.is_valid()
                check.accepted(f"{cls.__qualname__}.{name}={pk}", name not in bound.errors)
    return problems


def _model_of(cls, name, kwargs, user):
    return cls(user=user, **kwargs).fields[name].queryset.model


def _operation_target(cls, orgs):
    """The object an operation's input is bound to on a page (one of A's), when `cls` is one."""
    from emergency import operations

    for operation in operations.registered():
        if operation.input is cls and getattr(operation.model, "scope_lookup", None):
            return operation.model._default_manager.filter(pk__in=_owned(operation.model, orgs["a"]["top"])).first()
    return None


def check_serializers(orgs, user, check: Check) -> list[str]:
    request = SimpleNamespace(user=user, method="POST", query_params={})
    problems = []
    for cls in project_classes(serializers.BaseSerializer):
        if issubclass(cls, serializers.ListSerializer) or (
                issubclass(cls, serializers.ModelSerializer) and not hasattr(cls, "Meta")):
            continue  # a base class of others, checked through them
        context = {"request": request, "target": _operation_target(cls, orgs)}
        for name, field in cls(context=context).fields.items():
            relation = field.child_relation if isinstance(field, ManyRelatedField) else field
            if field.read_only or not isinstance(relation, RelatedField):
                continue
            queryset = relation.get_queryset()
            model, where = queryset.model, f"{cls.__qualname__}.{name}"
            if not check.offered(where, model, set(queryset.values_list("pk", flat=True)), linked=False):
                continue
            slug = getattr(relation, "slug_field", None)
            for obj in model._default_manager.filter(pk__in=_owned(model, orgs["b"]["top"]))[:3]:
                value = getattr(obj, slug) if slug else obj.pk
                try:
                    relation.to_internal_value(value)
                except serializers.ValidationError:
                    continue
                check.accepted(f"{where}={value}", True)
    return problems


def _run(orgs) -> Check:
    user, check = orgs["a"]["boss"], Check(orgs)
    # Also A's plan administrator at the top: the choices that only the organisation's
    # administrators get (the organisation a grading table is for) are then checked too.
    user.role_assignments.get_or_create(unit=orgs["a"]["top"], role="plan_admin")
    problems = check_forms(orgs, user, check) + check_serializers(orgs, User.objects.get(pk=user.pk), check)
    assert not problems, "\n".join(problems)
    return check


def test_no_form_or_serializer_offers_or_accepts_another_organisations_objects(organisations):
    check = _run(organisations)
    print(f"\nscoped choices: {check.fields} choice fields of forms and serializers, {len(check.leaks)} leaks")
    assert not check.leaks, "\n".join(check.leaks)
    assert not check.vacuous, "\n".join(check.vacuous)
    assert check.fields >= 20


def test_a_foreign_choice_is_refused_like_a_missing_one_in_the_users_language(organisations, client):
    from alerts.operations import DraftInput

    user, foreign = organisations["a"]["boss"], organisations["b"]["top"]
    request = SimpleNamespace(user=user, method="POST", query_params={})
    with translation.override("zh-hans"):
        errors = []
        for pk in (foreign.pk, MISSING):
            bound = DraftInput(data={"area_units": [pk]}, context={"request": request})
            bound.is_valid()
            errors.append([str(message) for message in bound.errors["area_units"]])  # rendered in the language
    assert errors[0] == [e.replace(str(MISSING), str(foreign.pk)) for e in errors[1]]
    assert "未找到" in errors[0][0]


def test_the_check_finds_leaks_when_the_scoping_is_switched_off(organisations, monkeypatch):
    """The mutation run: choices unscoped (forms) and selectors unscoped (serializers)."""
    from emergency.api import fields as api_fields

    monkeypatch.setattr(scoped_fields, "scoped", lambda queryset, user, units=None: queryset)
    monkeypatch.setattr(api_fields.ScopedPrimaryKeyField, "get_queryset",
                        lambda self: self.selector(user=self.context["request"].user).model._default_manager.all())
    check = _run(organisations)
    print(f"\nscoped choices, mutation run: {len(check.leaks)} leaks found with the scoping switched off")
    leaking = {leak.split(".")[0] for leak in check.leaks}
    # (an order's group and department choices, and a response measure's departments, also keep to the
    # target response's own reach: no leak even with the scoping off, so they are not among those found here)
    assert {"DraftInput", "PlanForm", "IncidentLogInput", "GrantInput", "MeasureAssignInput"} <= leaking


def test_no_list_filter_tells_another_organisations_ids_from_missing_ones(organisations):
    """`?unit=`, `?pool=`, `?user=`... of every API list: B's id answers as an id that does not exist."""
    from django_filters.rest_framework import FilterSet
    from rest_framework.test import APIClient

    from emergency.urls import api_routers

    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(organisations["a"]["boss"])
    checked, leaks = 0, []
    for prefix, viewset, basename in (entry for router in api_routers() for entry in router.registry):
        names = getattr(viewset, "filterset_fields", None)
        if not names:
            continue
        model = viewset.selector(user=organisations["a"]["boss"]).model
        filterset = type("Probe", (FilterSet,), {"Meta": type("Meta", (), {"model": model, "fields": names})})
        for name, declared in filterset.base_filters.items():
            related = getattr(declared, "queryset", None)
            if related is None:
                continue
            checked += 1
            foreign = min(_owned(related.model, organisations["b"]["top"]))
            answers = [client.get(f"/api/v1/{prefix}/", {name: pk}) for pk in (foreign, MISSING)]
            if [a.status_code for a in answers] != [400, 400] or str(foreign) in answers[0].content.decode():
                leaks.append(f"/api/v1/{prefix}/?{name}=: {answers[0].status_code} for B's id, "
                             f"{answers[1].status_code} for a missing one")
    print(f"\nscoped list filters: {checked} related filters, {len(leaks)} leaks")
    assert checked >= 6 and not leaks, "\n".join(leaks)
