"""What the search box looks through: each source names its table's searched text (the same SQL
expression its GIN index is built on, migration 0001) and its rows the user may see. The domain
models are imported inside the functions: this app sits on top of them and the core imports none."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable

from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from emergency.org.scope import unit_scope

from . import documents


WINDOW = 2000  # the newest rows a common word is looked for in before the index is asked


@dataclass(frozen=True)
class Hit:
    kind: str
    id: int
    title: str
    subtitle: str
    link: str
    at: datetime | None


@dataclass(frozen=True)
class Source:
    kind: str
    label: str | Promise
    table: str
    text_sql: str                      # the searched text, as indexed
    rows: Callable[[Any], QuerySet]    # (user) → the rows this user may see, newest first
    hit: Callable[[Any], Hit]
    by_unit: Callable[[list[int]], Q] | None = None  # (unit ids) → its rows of those units, found by a unit's name

    def matching(self, query: str) -> Q:
        """Rows whose text holds every word of the query (index first, then the exact check)."""
        condition = Q(RawSQL(f"search_document({self.text_sql}) @@ %s::tsquery", [documents.tsquery(query)],
                             output_field=BooleanField()))
        for word in documents.words(query):
            condition &= Q(RawSQL(f"({self.text_sql}) ILIKE %s", [documents.like(word)],
                                  output_field=BooleanField()))
        return condition

    def newest_matching(self, rows: QuerySet, query: str, count: int, also: Q | None = None) -> list[int] | None:
        """The ids of the first `count` rows of `rows` (in its order) that match, looked for among
        its newest WINDOW rows only: a word found in most rows is found at once there, where the
        index would hand over every match to be checked and sorted. The same test as `matching`,
        cheapest first (PostgreSQL orders the conditions by cost: the ILIKEs, then the document of
        the few rows that pass them). None when the window holds fewer than `count` and the
        table has more rows than the window: the index must look further back."""
        conditions = ["recent.search_text ILIKE %s" for _word in documents.words(query)]
        conditions.append("search_document(recent.search_text) @@ %s::tsquery")
        params = [documents.like(word) for word in documents.words(query)] + [documents.tsquery(query)]
        hit = " AND ".join(conditions)
        window = rows.annotate(search_text=RawSQL(self.text_sql, []))
        if also is not None:
            window = window.annotate(also_hit=ExpressionWrapper(also, output_field=BooleanField()))
            hit = f"recent.also_hit OR ({hit})"
        inner, inner_params = window.values_list("pk", "search_text", *(["also_hit"] if also is not None else []))[
            :WINDOW].query.sql_with_params()
        columns = "pk_, search_text" + (", also_hit" if also is not None else "")
        # No ORDER BY outside: the window is read in its own order (a LIMIT keeps the conditions
        # out of it) and the outer LIMIT stops at the `count`-th match.
        sql = f"SELECT recent.pk_ FROM ({inner}) AS recent ({columns}) WHERE {hit} LIMIT {count}"
        with connection.cursor() as cursor:
            cursor.execute(sql, [*inner_params, *params])
            found = [pk for (pk,) in cursor.fetchall()]
            if len(found) < count:
                beyond, beyond_params = rows.values_list("pk")[WINDOW:WINDOW + 1].query.sql_with_params()
                cursor.execute(f"SELECT EXISTS ({beyond})", beyond_params)
                if cursor.fetchone()[0]:
                    return None
        return found


def _of_units(lookup: str) -> Callable[[list[int]], Q]:
    return lambda unit_ids: Q(**{f"{lookup}__in": unit_ids})


def _people_of_units(unit_ids: list[int]) -> Q:
    """The people holding a role in one of the units (a subquery: no join that repeats a person)."""
    return Q(pk__in=_holders(unit_ids))


def _incidents(user):
    from incidents.models import Incident

    return (Incident.objects.filter(unit_id__in=unit_scope(user).visible).select_related("unit")
            .order_by("-received_at", "-id"))


def _incident_hit(item) -> Hit:
    return Hit("incident", item.pk, f"{item.number} {item.title}", f"{item.unit} · {item.address}",
               reverse("incident-detail", args=[item.pk]), item.received_at)


def _reports(user):
    from incidents.models import IncidentReport

    return (IncidentReport.objects.filter(incident__unit_id__in=unit_scope(user).visible)
            .select_related("incident", "incident__unit").order_by("-submitted_at", "-id"))


def _report_hit(item) -> Hit:
    incident = item.incident
    return Hit("report", item.pk, f"{incident.number} {incident.title} · {item.get_kind_display()}",
               f"{incident.unit} · {item.body[:120]}", reverse("incident-detail", args=[incident.pk]) + "#reports",
               item.submitted_at)


def _warnings(user):
    from alerts.models import EarlyWarning

    return (EarlyWarning.objects.filter(unit_id__in=unit_scope(user).visible).select_related("unit")
            .order_by("-created_at", "-id"))


def _warning_hit(item) -> Hit:
    return Hit("warning", item.pk, item.title, f"{item.unit} · {item.get_level_display()} · {item.area_desc}",
               reverse("warning-detail", args=[item.pk]), item.created_at)


def _plans(user):
    from plans.models import Plan

    return Plan.objects.filter(unit_id__in=unit_scope(user).visible).select_related("unit").order_by("-created_at",
                                                                                                     "-id")


def _plan_hit(item) -> Hit:
    return Hit("plan", item.pk, item.title, f"{item.unit} · {item.get_plan_type_display()} · {item.get_state_display()}",
               reverse("plan-detail", args=[item.pk]), item.created_at)


def _people(user):
    from django.db.models import Prefetch

    from emergency.org.models import RoleAssignment, User

    visible = unit_scope(user).visible
    # a person's line names only the units the searcher sees, not every unit the person serves in
    shown = Prefetch("role_assignments", queryset=RoleAssignment.objects.filter(unit_id__in=visible)
                     .select_related("unit"))
    return User.objects.filter(is_active=True, pk__in=_holders(visible)).prefetch_related(shown).order_by("username")


def _holders(visible):
    from emergency.org.models import RoleAssignment

    return RoleAssignment.objects.filter(unit_id__in=visible).values("user_id")


def _person_hit(item) -> Hit:
    units = sorted({str(a.unit) for a in item.role_assignments.all()})
    return Hit("person", item.pk, item.full_name or item.username, f"{item.username} · {'、'.join(units)}",
               "", None)


SOURCES = [
    Source("incident", _("Incidents"), "incidents_incident",
           "incidents_incident.number || ' ' || incidents_incident.title || ' ' || incidents_incident.address",
           _incidents, _incident_hit, by_unit=_of_units("unit")),
    Source("report", _("Reports"), "incidents_incidentreport", "incidents_incidentreport.body",
           _reports, _report_hit, by_unit=_of_units("incident__unit")),
    Source("warning", _("Warnings"), "alerts_earlywarning",
           "alerts_earlywarning.title || ' ' || alerts_earlywarning.area_desc || ' ' || alerts_earlywarning.signs"
           " || ' ' || alerts_earlywarning.points", _warnings, _warning_hit, by_unit=_of_units("unit")),
    Source("plan", _("Plans"), "plans_plan", "plans_plan.title", _plans, _plan_hit, by_unit=_of_units("unit")),
    Source("person", _("People"), "org_user",
           "org_user.username || ' ' || org_user.full_name || ' ' || org_user.phone", _people, _person_hit,
           by_unit=_people_of_units),
]
KINDS = {source.kind: source for source in SOURCES}
