"""A command centre's dashboard at real size, written in bulk: a year of incidents (a few still
active, each with its open reporting deadlines), responses to some, and warnings in force (with
teams on standby for them, when asked).
Used by the state document's query-count test and by bench/state.py."""
from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from emergency.org.models import OrgUnit, User
from incidents.grading.models import IncidentType, ThresholdTable


def dashboard_seed(*, city: OrgUnit, counties: list[OrgUnit], incidents: int, active: int, clocks: int,
                   warnings: int, responses: int, standbys: int = 0) -> None:
    from alerts.models import EarlyWarning
    from incidents.models import Incident, ReportingDeadline
    from incidents.response.models import Response

    now = timezone.now()
    start = now.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0) + timedelta(hours=1)
    span = max((now - start).total_seconds(), 3600.0)
    officer, _ = User.objects.get_or_create(username=f"seed-{city.pk}", defaults={"password": "!"})
    batch = Incident.objects.count()
    types = list(IncidentType.objects.order_by("pk")[:8])
    table = ThresholdTable.objects.order_by("pk").first()
    grades = ["I", "II", "III", "IV", ""]
    rows = []
    for n in range(incidents):
        received = now - timedelta(minutes=n) if n < active else start + timedelta(seconds=span * n / incidents)
        rows.append(Incident(
            number=f"S{city.pk}-{batch + n:06d}", unit=counties[n % len(counties)], title=f"事件{n}",
            incident_type=types[n % len(types)], address="现场", occurred_at=received, received_at=received,
            grade=grades[n % len(grades)], grade_table=table, created_by=officer,
            status="reported" if n < active else "ended", latitude=23 + n % 100 / 100, longitude=109.5))
    made = Incident.objects.bulk_create(rows, batch_size=2000)
    kinds = ["superior_report", "public_release", "press_conference"]
    ReportingDeadline.objects.bulk_create(
        ReportingDeadline(incident=made[n % active], kind=kinds[n // active], due_at=now + timedelta(minutes=5 + n))
        for n in range(clocks))
    Response.objects.bulk_create(
        Response(incident=incident, command_unit=city, level=1 + n % 4, started_by=officer,
                 started_at=incident.received_at + timedelta(minutes=20 + n % 40),
                 state="active" if n < active // 4 else "ended")
        for n, incident in enumerate(made[: active // 4] + made[active: active + responses]))
    EarlyWarning.objects.bulk_create(
        EarlyWarning(unit=counties[n % len(counties)], incident_type=types[n % len(types)], level=1 + n % 4,
                     title=f"预警{n}", signs="监测", points="注意", starts_at=now, area_desc="全县",
                     circle="23.1,109.6 10", state="issued", created_by=officer)
        for n in range(warnings))
    if standbys:
        _standby_seed(counties, officer, list(EarlyWarning.objects.filter(created_by=officer).order_by("-pk")
                                              [:warnings]), standbys, now)


def _standby_seed(counties, officer, warnings, standbys: int, now) -> None:
    """`standbys` teams of the counties, each on standby for one of `warnings` (every third released)."""
    from resources.models import Standby, Team

    teams = Team.objects.bulk_create(
        Team(unit=counties[n % len(counties)], name=f"救援队{n}", kind="professional", latitude=23.1,
             longitude=109.6, readiness="standby") for n in range(standbys))
    Standby.objects.bulk_create(
        Standby(warning=warnings[n % len(warnings)], team=team, set_by=officer, set_at=now,
                state=("standby", "in_place", "released")[n % 3]) for n, team in enumerate(teams))
