"""What a command dashboard shows for a set of visible units, in a fixed number of queries:
active incidents with their response, every running clock (reports, pending proposals,
unacknowledged orders, plan duties), warnings in force with their resources on standby, the feed,
and this year's figures."""
from __future__ import annotations

import hashlib
from datetime import datetime, time, timedelta
from functools import lru_cache
from typing import Any, Collection

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Min, Q
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from redis.exceptions import RedisError

from incidents.response.templatetags.responses import response_level
from resources.frames import FEED_LABELS as RESOURCE_FEED_LABELS
from resources.frames import resources_out, standby_entries

from .models import FIGURE_EVENTS, LiveEvent

# What the feed says for each event.
EVENT_LABELS = {
    "incident.logged": gettext_lazy("Incident logged"), "incident.report": gettext_lazy("Report submitted"),
    "incident.report.received": gettext_lazy("Report received from a subordinate"),
    "incident.release": gettext_lazy("Public release"), "incident.graded": gettext_lazy("Grade set"),
    "incident.updated": gettext_lazy("Incident updated"), "incident.deadline": gettext_lazy("Deadline met"),
    "incident.deadline.reminder": gettext_lazy("Deadline approaching"),
    "incident.deadline.late": gettext_lazy("Deadline missed"), "incident.reviewed": gettext_lazy("Investigation filed"),
    "response.proposed": gettext_lazy("Response level proposed"),
    "response.decided": gettext_lazy("Response level decided"), "response.ended": gettext_lazy("Response ended"),
    "response.transfer": gettext_lazy("Command transfer"), "response.post": gettext_lazy("Command post opened"),
    "response.group": gettext_lazy("Working group formed"), "response.order": gettext_lazy("Order"),
    "response.order.unacknowledged": gettext_lazy("Order not acknowledged"),
    "response.proposal.waiting": gettext_lazy("Proposal waiting for a decision"),
    "response.help": gettext_lazy("Help and guidance asked of the superior"),
    "response.delegation": gettext_lazy("Delegation of deciding authority changed"),
    "incident.log_entry": gettext_lazy("Duty log entry"), "warning.reach": gettext_lazy("Warning reach recorded"),
    "warning.alert": gettext_lazy("Warning issued"), "warning.update": gettext_lazy("Warning adjusted"),
    "warning.cancel": gettext_lazy("Warning lifted"), "warning.expire": gettext_lazy("Warning expired"),
    "warning.escalate": gettext_lazy("Warning escalated into a response"), "plan.due": gettext_lazy("Plan due date set"),
    "plan.overdue": gettext_lazy("Plan duty overdue"),
}
EVENT_LABELS.update(RESOURCE_FEED_LABELS)  # the resources app's events, named by that app

ACTIVE = ("reported", "responding")
PLAN_HORIZON_DAYS = 30      # plan duties shown from this many days before they fall due
INCIDENT_LIMIT = 200
STATE_CACHE_SECONDS = 5
FIGURES_CACHE_SECONDS = 600  # the key names the numbers of the last events that can move them
INCIDENT_FIELDS = ("id", "number", "title", "grade", "status", "latitude", "longitude", "received_at", "unit__name",
                   "unit__name_en", "incident_type__name", "incident_type__name_en")
_ID = 987654321


@lru_cache(maxsize=64)
def _link_template(name: str, prefix: str) -> str:
    return reverse(name, args=[_ID]).replace(str(_ID), "{}")


def _url(name: str, pk: int) -> str:
    """reverse() of a route with one id, resolved once per route: hundreds of reverses per state
    load were a fifth of its time."""
    return _link_template(name, get_script_prefix()).format(pk)


def last_numbers(visible: Collection[int]) -> dict[str, int]:
    return event_numbers(visible)[0]


def event_numbers(visible: Collection[int]) -> tuple[dict[str, int], dict[str, int]]:
    """The last event number per organisation in the units, and the last of the FIGURE_EVENTS: one
    index probe per unit (`event_unit_newest`, `event_unit_figures`), however many events there are."""
    with connection.cursor() as cursor:
        cursor.execute(_NUMBERS_SQL, [sorted(visible)])
        rows = cursor.fetchall()
    last, moved = {}, {}
    for org, number, figures_number in rows:
        last[str(org)] = number
        if figures_number:
            moved[str(org)] = figures_number
    return last, moved


# A unit's events all belong to its organisation: the newest of each unit, then the highest per
# organisation. The figures' predicate is the partial index's (migration dashboard/0005).
_NUMBERS_SQL = """
SELECT newest.organisation_id, max(newest.sequence), max(figures.sequence)
FROM unnest(%s::integer[]) AS unit(id)
CROSS JOIN LATERAL (SELECT e.organisation_id, e.sequence FROM dashboard_liveevent e WHERE e.unit_id = unit.id
                    ORDER BY e.sequence DESC LIMIT 1) AS newest
LEFT JOIN LATERAL (SELECT f.sequence FROM dashboard_liveevent f WHERE f.unit_id = unit.id
                   AND f.event IN ({figures}) ORDER BY f.sequence DESC LIMIT 1) AS figures ON true
GROUP BY newest.organisation_id
""".format(figures=", ".join(f"'{event}'" for event in FIGURE_EVENTS))  # constants of the code, not input


def _english() -> bool:
    return (get_language() or "").startswith("en")


def _named(name: str, name_en: str, english: bool) -> str:
    """A bilingual name read with `.values()`, as BilingualName.display_name reads it."""
    return name_en if english and name_en else name


def incident_rows(incidents) -> dict[int, dict[str, Any]]:
    """The incidents (a queryset) as the columns the dashboard shows, by id, in its order."""
    return {row["id"]: row for row in incidents.values(*INCIDENT_FIELDS)}


def active_responses(incident_ids: Collection[int]) -> dict[int, dict[str, Any]]:
    """Each incident's highest active response (the lowest level number; several units may respond)."""
    from incidents.response.models import Response

    rows = (Response.objects.filter(incident_id__in=incident_ids, state="active").order_by("-level")
            .values("id", "incident_id", "level", "started_by__full_name", "started_by__username",
                    "command_unit__name", "command_unit__name_en"))
    return {row["incident_id"]: row for row in rows}


def _clock(kind: str, label: str, subject: str, due_at: datetime, amber_seconds: int, link: str,
           group: str) -> dict[str, Any]:
    """One countdown: amber within `amber_seconds` of `due_at`, red once past it. `group` names
    the subject whose clocks a live frame replaces together ("incident:<id>", "plan:<id>")."""
    return {"kind": kind, "label": label, "subject": subject, "due_at": due_at, "amber": amber_seconds, "link": link,
            "group": group}


def clocks(visible: Collection[int], incidents: dict[int, Any], now: datetime) -> list[dict[str, Any]]:
    from incidents.response.models import Order, Proposal
    from plans.models import Plan

    rows = incident_clocks(incidents, Proposal.objects.filter(incident__unit_id__in=visible),
                           Order.objects.filter(response__incident__unit_id__in=visible))
    rows += plan_clocks(Plan.objects.filter(unit_id__in=visible), now)
    rows.sort(key=lambda row: row["due_at"])
    return rows


def incident_clocks(incidents: dict[int, Any], proposals, orders) -> list[dict[str, Any]]:
    """The reporting deadlines of `incidents`, and the pending ones of `proposals` and the
    unacknowledged ones of `orders` (querysets, already narrowed by the caller)."""
    return incident_clocks_shown(incident_clock_rows(incidents, proposals, orders), incidents)


def incident_clock_rows(incidents: dict[int, Any], proposals, orders) -> dict[str, list[dict[str, Any]]]:
    """What `incident_clocks` reads, in no language: a frame reads it once and names it in each."""
    from incidents.models import ReportingDeadline
    from emergency.timers.models import TimedDuty
    from incidents.response.services import REMIND as PROPOSAL_REMIND

    deadlines = list(ReportingDeadline.objects.filter(incident_id__in=incidents, state__in=["open", "late"])
                     .values("kind", "incident_id", "due_at"))
    proposals = list(proposals.filter(state="pending").values("id", "level", "incident_id", "incident__title",
                                                              "proposed_at"))
    # A proposal's clock runs to its first reminder to the deciders (the authority rule's time).
    reminders = dict(TimedDuty.objects.filter(kind=PROPOSAL_REMIND, subject_id__in=[p["id"] for p in proposals])
                     .values("subject_id").annotate(due=Min("due_at")).values_list("subject_id", "due"))
    for p in proposals:
        p["due_at"] = reminders.get(p["id"]) or p["proposed_at"] + timedelta(minutes=30)
    orders = list(orders.filter(response__state="active", status="issued")
                  .values("response_id", "text", "issued_at", "acknowledge_within_seconds", "department__name",
                          "department__name_en", "response__incident_id"))
    return {"deadlines": deadlines, "proposals": proposals, "orders": orders}


def incident_clocks_shown(rows: dict[str, list[dict[str, Any]]], incidents: dict[int, Any]) -> list[dict[str, Any]]:
    """`incident_clock_rows` as clocks, named in the active language; no query."""
    from incidents.models import ReportingDeadline

    clocks = []
    kinds = {kind: str(label) for kind, label in ReportingDeadline.Kind.choices}
    for d in rows["deadlines"]:
        clocks.append(_clock(f"report.{d['kind']}", kinds[d["kind"]], incidents[d["incident_id"]]["title"],
                             d["due_at"], 15 * 60, _url("incident-detail", d["incident_id"]),
                             f"incident:{d['incident_id']}"))
    inbox, english = reverse("response-inbox"), _english()
    for p in rows["proposals"]:
        clocks.append(_clock("proposal", _("Decision on the %(response)s") % {"response": response_level(p["level"])},
                             p["incident__title"], p["due_at"], 10 * 60, inbox, f"incident:{p['incident_id']}"))
    for o in rows["orders"]:
        department = _named(o["department__name"], o["department__name_en"], english)
        clocks.append(_clock("order", _("Acknowledge order: %(department)s") % {"department": department},
                             o["text"][:80], o["issued_at"] + timedelta(seconds=o["acknowledge_within_seconds"]),
                             5 * 60, _url("response-detail", o["response_id"]), f"incident:{o['response__incident_id']}"))
    return clocks


def plan_clocks(plans, now: datetime) -> list[dict[str, Any]]:
    """The drills and evaluations of published `plans` falling due within the horizon."""
    return plan_clocks_shown(plan_clock_rows(plans, now))


def plan_clock_rows(plans, now: datetime) -> list[tuple[str, Any, Any]]:
    """(kind, plan, due date) of what `plan_clocks` shows, in no language."""
    from plans.models import Plan

    horizon = timezone.localdate(now) + timedelta(days=PLAN_HORIZON_DAYS)
    plans = plans.filter(state=Plan.State.PUBLISHED).only("pk", "title", "next_drill_due", "next_evaluation_due")
    rows = [("plan.drill", plan, plan.next_drill_due) for plan in plans.filter(next_drill_due__lte=horizon)]
    rows += [("plan.evaluation", plan, plan.next_evaluation_due)
             for plan in plans.filter(next_evaluation_due__lte=horizon)]
    return rows


def plan_clocks_shown(rows: list[tuple[str, Any, Any]]) -> list[dict[str, Any]]:
    labels = {"plan.drill": _("Drill due"), "plan.evaluation": _("Evaluation due")}
    return [_plan_clock(kind, labels[kind], plan, due_on) for kind, plan, due_on in rows]


def _plan_clock(kind, label, plan, due_on) -> dict[str, Any]:
    due_at = timezone.make_aware(datetime.combine(due_on + timedelta(days=1), time.min))  # the end of the day
    return _clock(kind, label, plan.title, due_at, 7 * 86400, _url("plan-detail", plan.pk), f"plan:{plan.pk}")


def _key(kind: str, visible: Collection[int], last: dict[str, int], *extra: Any) -> str:
    digest = hashlib.sha256(repr((sorted(visible), sorted(last.items()), get_language(), extra)).encode())
    return f"dashboard:{kind}:{digest.hexdigest()}"


def _cached(key: str, seconds: float, compute):
    """`compute()` once per key; computed anew when the cache (Redis) cannot be reached."""
    try:
        held = cache.get(key)
    except (RedisError, OSError):
        return compute()
    if held is None:
        held = compute()
        try:
            cache.set(key, held, seconds)
        except (RedisError, OSError):
            pass
    return held


def figures(visible: Collection[int], now: datetime, last: dict[str, int] | None = None) -> dict[str, Any]:
    """This year's figures, computed once per state of the units' FIGURE_EVENTS (`last`, their last
    numbers): every change that can move them publishes one, so a load after any other change (a
    clock, an order, a warning) or after none reads them from the cache."""
    if last is None:
        return _figures(visible, now)
    key = _key("figures", visible, last, timezone.localtime(now).year)
    return _cached(key, FIGURES_CACHE_SECONDS, lambda: _figures(visible, now))


def _figures(visible: Collection[int], now: datetime) -> dict[str, Any]:
    """This year's incidents by type and by grade, and minutes from receipt to the first response."""
    from incidents.grading.models import Grade, IncidentType
    from incidents.models import Incident

    grade_names = {**{g.value: str(g.label) for g in Grade}, "-": str(_("Not yet graded"))}  # Ⅲ级（较大）
    local = timezone.localtime(now)
    start = local.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    year = Incident.objects.filter(unit_id__in=visible, received_at__gte=start,
                                   received_at__lt=start.replace(year=start.year + 1))
    by_type = list(year.values("incident_type_id").annotate(n=Count("id")).order_by("-n")[:8])
    names = {t.pk: t.display_name for t in IncidentType.objects.filter(pk__in=[r["incident_type_id"] for r in by_type])}
    grades = dict(year.values_list("grade").annotate(n=Count("id")).values_list("grade", "n"))
    firsts = (year.annotate(started=Min("responses__started_at")).filter(started__isnull=False)
              .values("grade", "received_at", "started"))
    sql, params = firsts.query.sql_with_params()
    with connection.cursor() as cursor:  # the medians in PostgreSQL: a year of responses stays there
        cursor.execute("SELECT grade, percentile_cont(0.5) WITHIN GROUP "
                       "(ORDER BY extract(epoch FROM started - received_at) / 60), count(*) "
                       f"FROM ({sql}) firsts GROUP BY grade", params)
        waits = {grade or "-": (minutes, count) for grade, minutes, count in cursor.fetchall()}
    return {
        "by_type": [{"label": names[r["incident_type_id"]], "count": r["n"]} for r in by_type],
        "by_grade": [{"code": g, "label": grade_names[g], "count": grades.get(g, 0)} for g in ("I", "II", "III", "IV")]
        + [{"code": "-", "label": grade_names["-"], "count": grades.get("", 0)}],
        "response_minutes": [{"code": g, "label": grade_names[g], "median": round(waits[g][0], 1), "count": waits[g][1]}
                             for g in ("I", "II", "III", "IV", "-") if g in waits],
    }


def dashboard_state(visible: Collection[int]) -> dict[str, Any]:
    """The document, built once per state of the units' events (and language) and shared for
    STATE_CACHE_SECONDS by every screen that loads it meanwhile: a hundred screens opening at
    once cost one build. Only `now` is the request's own."""
    now = timezone.now()
    # first: the state below holds at least everything up to these numbers
    last, moved = event_numbers(visible)
    held = _cached(_key("state", visible, last), STATE_CACHE_SECONDS, lambda: _state(visible, last, moved, now))
    return {**held, "now": now}


def _state(visible: Collection[int], last: dict[str, int], moved: dict[str, int], now: datetime) -> dict[str, Any]:
    from alerts.selectors import warnings_in_force
    from incidents.models import Incident

    by_id = incident_rows(Incident.objects.filter(on_dashboard(), unit_id__in=visible)
                          .order_by("-received_at")[:INCIDENT_LIMIT])
    responses, english = active_responses(by_id), _english()
    warnings = warnings_in_force(unit_ids=visible, now=now).select_related("unit")  # not expired
    standby = standby_entries(warnings)  # one query (a subquery of the warnings), however many
    return {
        "last": last, "now": now,
        "incidents": [_incident(row, responses.get(pk), english) for pk, row in by_id.items()],
        "deadlines": clocks(visible, by_id, now),
        "warnings": [_warning(w, standby.get(w.pk, [])) for w in warnings],
        "feed": [{**row, "label": str(EVENT_LABELS.get(row["event"], row["event"]))} for row in
                 LiveEvent.objects.filter(unit_id__in=visible).order_by("-created_at", "-id")
                 .values("organisation_id", "sequence", "event", "created_at", "data")[:30]],
        "figures": figures(visible, now, moved),
        "resources": resources_out(visible),  # dispatched and not back yet: marks on the map
    }


def on_dashboard():
    """The incidents a dashboard shows: those in response, and those whose response has ended
    while a reporting duty (the 5-hour release, the 24-hour press conference) is still open."""
    from incidents.models import ReportingDeadline

    return Q(status__in=ACTIVE) | Q(pk__in=ReportingDeadline.objects.filter(state__in=["open", "late"])
                                    .values("incident_id"))


def _warning(w, standby: list[dict[str, Any]]) -> dict[str, Any]:
    """A warning in force, with the teams and supplies its measures put on standby (city 3.2.2 3))."""
    return {"id": w.pk, "title": w.title, "level": w.level, "colour": w.colour, "area": w.area_desc,
            "unit": w.unit.display_name, "polygon": w.polygon, "circle": w.circle, "standby": standby}


def _incident(row: dict[str, Any], response: dict[str, Any] | None, english: bool) -> dict[str, Any]:
    """An incident's entry from its `incident_rows` row and its `active_responses` row."""
    return {"id": row["id"], "number": row["number"], "title": row["title"],
            "unit": _named(row["unit__name"], row["unit__name_en"], english),
            "type": _named(row["incident_type__name"], row["incident_type__name_en"], english),
            "grade": row["grade"] or None, "status": row["status"], "lat": _float(row["latitude"]),
            "lon": _float(row["longitude"]), "url": _url("incident-detail", row["id"]),
            "received_at": row["received_at"],
            "response": None if response is None else {
                "level": response["level"], "level_name": response_level(response["level"]),  # 二级响应
                "decider": response["started_by__full_name"] or response["started_by__username"],  # User.__str__
                "command": _named(response["command_unit__name"], response["command_unit__name_en"], english),
                "url": _url("response-detail", response["id"])}}


def _float(value) -> float | None:
    return None if value is None else float(value)  # the same number in the state and in a frame
