"""Proposal-to-decision round trip through the API with 200 open responses.

    DATABASE_URL=... REDIS_URL=... .venv/bin/python bench/response.py [--open 200] [--trips 200]

On a throwaway database: loads the Guigang demo organisation (its authority rules included),
opens `--open` level-3 responses, then times `--trips` round trips, each a lead-department
officer's POST /api/v1/incidents/{id}/propose/ (raise to level 2) followed by the commander's
POST /api/v1/proposals/{id}/decide/, in process (APIRequestFactory). Also times the
commander's inbox (GET /api/v1/proposals/?inbox=1) with `--open` proposals waiting.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.append(str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "emergency.settings")

from common import percentile, report, throwaway_database  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--open", type=int, default=200)
    parser.add_argument("--trips", type=int, default=200)
    args = parser.parse_args()
    with throwaway_database():
        run(args)


def run(args) -> None:
    from django.db import transaction
    from django.utils import timezone
    from rest_framework.test import APIRequestFactory, force_authenticate

    from emergency.org.demo import DEMO_DIR, load_organisation
    from emergency.org.models import OrgUnit, User
    from emergency.org.scope import forget_scope
    from incidents import services as incident_services
    from incidents.response import services
    from incidents.response.api import IncidentResponseViewSet, ProposalViewSet

    with transaction.atomic():
        load_organisation(DEMO_DIR / "guigang_city.yaml", prefix="gg")
    city = OrgUnit.objects.get(code="gg")
    county = OrgUnit.objects.get(code="gg-gangbei")
    lead, commander = User.objects.get(username="gg-lead"), User.objects.get(username="gg-commander")
    in_charge, duty = User.objects.get(username="gg-incharge"), User.objects.get(username="gg-duty")
    department = lead.role_assignments.get().department

    def incident(n: int):
        now = timezone.now()
        return incident_services.incident_log(
            actor=duty, unit=county, type_code="work_safety", title=f"基准事件{n}", address="港北区", occurred_at=now,
            received_at=now, body="首报", metrics={"deaths": 3}, lead_department=department)

    started = time.perf_counter()
    incidents = []
    for n in range(args.open):
        item = incident(n)
        proposal = services.proposal_create(actor=lead, incident=item, level=3, reasons="启动三级响应")
        services.proposal_decide(actor=in_charge, proposal=proposal, outcome="approved")
        incidents.append(item)
    print(f"{args.open} open level-3 responses set up in {time.perf_counter() - started:.1f} s")

    factory = APIRequestFactory()
    create = IncidentResponseViewSet.as_view({"post": "propose"})
    decide = ProposalViewSet.as_view({"post": "decide"})
    inbox = ProposalViewSet.as_view({"get": "list"})

    def call(view, user, method, path, data=None, **kwargs):
        request = getattr(factory, method)(path, data, format="json")
        forget_scope(user)
        force_authenticate(request, user=user)
        return view(request, **kwargs)

    trips, proposals = [], []
    for n in range(min(args.trips, len(incidents))):
        t0 = time.perf_counter()
        made = call(create, lead, "post", f"/api/v1/incidents/{incidents[n].pk}/propose/",
                    {"level": 2, "reasons": "伤亡增加，提升至二级"}, pk=incidents[n].pk)
        assert made.status_code == 201, made.data
        done = call(decide, commander, "post", f"/api/v1/proposals/{made.data['id']}/decide/",
                    {"outcome": "approved"}, pk=made.data["id"])
        assert done.status_code == 201, done.data
        trips.append(time.perf_counter() - t0)
    report("propose + decide round trip", trips, sum(trips))

    for n in range(len(incidents)):
        proposals.append(services.proposal_create(actor=lead, incident=incidents[n], level=1, reasons="一级"))
    principal = User.objects.get(username="gg-principal")
    latencies = []
    for _ in range(50):
        t0 = time.perf_counter()
        listed = call(inbox, principal, "get", "/api/v1/proposals/", {"inbox": 1})
        latencies.append(time.perf_counter() - t0)
        assert listed.data["count"] == len(proposals)
    report(f"inbox with {len(proposals)} waiting", latencies, sum(latencies))
    print(f"(p99 round trip {percentile([t * 1000 for t in trips], 99):.2f} ms; city {city.name})")


if __name__ == "__main__":
    main()
