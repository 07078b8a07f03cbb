"""Incident-create API against a bare DRF create of the same model, and grade-preview latency.

    DATABASE_URL=... REDIS_URL=... .venv/bin/python bench/incidents.py [--requests 300]

Runs in one process on a throwaway database (created and dropped here) so both creates meet
the same PostgreSQL, Redis and Python. The bare create is a plain ModelViewSet on `Incident`:
one validated INSERT, nothing else. The real create also grades, files the initial report,
opens two deadlines with their timed duties, appends the audit chain and queues its live
event and Celery messages. Goal: real ≥ 60% of bare throughput; preview p99 < 10 ms.
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.append(str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "emergency.settings")

from common import report  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--previews", type=int, default=5000)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    test_db = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        run(args)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        print(f"(throwaway database {test_db} dropped)")


def run(args) -> None:
    from django.utils import timezone
    from rest_framework import serializers, viewsets
    from rest_framework.test import APIRequestFactory, force_authenticate

    from emergency.org.models import OrgUnit, RoleAssignment, User
    from emergency.org.roles import Role
    from emergency.org.scope import forget_scope
    from incidents.api import IncidentViewSet
    from incidents.grading import engine
    from incidents.grading.api import preview
    from incidents.grading.models import IncidentType, ThresholdTable
    from incidents.models import Incident

    city = OrgUnit.objects.create(code="bench", name="基准市", kind="city")
    county = OrgUnit.objects.create(code="bench-c", name="基准县", kind="county", parent=city)
    user = User.objects.create(username="bench-duty")
    RoleAssignment.objects.create(user=user, unit=county, role=Role.DUTY_OFFICER)
    fire = IncidentType.objects.get(code="forest_fire")
    table = ThresholdTable.objects.get(state="published", organisation__isnull=True)

    class BareSerializer(serializers.ModelSerializer):
        class Meta:
            model = Incident
            fields = ["number", "unit", "title", "incident_type", "address", "latitude", "longitude", "occurred_at",
                      "received_at", "metrics", "grade_table", "created_by", "body"]

        body = serializers.CharField(write_only=True)

        def create(self, validated_data):
            validated_data.pop("body")
            return super().create(validated_data)

    class BareViewSet(viewsets.ModelViewSet):
        queryset = Incident.objects.all()
        serializer_class = BareSerializer

    factory = APIRequestFactory()
    bare_view = BareViewSet.as_view({"post": "create"})
    real_view = IncidentViewSet.as_view({"post": "create"})

    def payload(n: int, bare: bool) -> dict:
        now = timezone.now().isoformat()
        data = {"unit": county.pk, "title": f"基准事件{n}", "address": "基准地点", "latitude": "23.1",
                "longitude": "109.6", "occurred_at": now, "received_at": now, "metrics": {"area_ha": n % 2000},
                "body": "首报"}
        if bare:
            data.update(number=f"BARE-{n}", incident_type=fire.pk, grade_table=table.pk, created_by=user.pk)
        else:
            data["type"] = "forest_fire"
        return data

    def measure(view, bare: bool) -> tuple[list[float], float]:
        latencies = []
        started = time.perf_counter()
        for n in range(args.requests):
            request = factory.post("/api/v1/incidents/", payload(n, bare), format="json")
            forget_scope(user)
            force_authenticate(request, user=user)
            t0 = time.perf_counter()
            response = view(request)
            latencies.append(time.perf_counter() - t0)
            assert response.status_code == 201, response.data
        return latencies, time.perf_counter() - started

    for view, bare in ((bare_view, True), (real_view, False)):  # warm both paths
        request = factory.post("/api/v1/incidents/", payload(-1, bare), format="json")
        force_authenticate(request, user=user)
        view(request)

    print(f"incident create, {args.requests} sequential requests, in process (APIRequestFactory)")
    bare_rate = report("bare DRF create", *measure(bare_view, True))
    real_rate = report("incident create (service)", *measure(real_view, False))
    print(f"ratio real/bare: {real_rate / bare_rate:.0%} (goal >= 60%)")

    rng = random.Random(7)
    types = list(IncidentType.objects.values_list("code", flat=True))
    metrics = ["deaths", "serious_injuries", "economic_loss_wan", "area_ha", "relocated"]
    engine.grade(type_code="forest_fire", metrics={})
    latencies = []
    for _ in range(args.previews):
        case = {key: rng.randint(0, 3000) for key in rng.sample(metrics, 3)}
        t0 = time.perf_counter()
        engine.grade(type_code=rng.choice(types), metrics=case)
        latencies.append(time.perf_counter() - t0)
    print(f"grade preview, {args.previews} random cases")
    report("engine.grade (in process)", latencies, sum(latencies))
    latencies = []
    for n in range(min(args.previews, 1000)):
        request = factory.post("/api/v1/grading/preview/", {"type": rng.choice(types),
                                                             "metrics": {"deaths": n % 50, "area_ha": n}},
                               format="json")
        force_authenticate(request, user=user)
        t0 = time.perf_counter()
        response = preview(request)
        latencies.append(time.perf_counter() - t0)
        assert response.status_code == 200
    report("preview API view", latencies, sum(latencies))


if __name__ == "__main__":
    main()
