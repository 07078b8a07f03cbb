"""The search box at 100,000 reports.

    DATABASE_URL=... REDIS_URL=... .venv/bin/python bench/search.py [--reports 100000] [--calls 50]

On a throwaway database: loads the Guigang demo organisation, then writes 10,000 incidents across
its counties with 10 reports each (titles, places and report texts drawn from a vocabulary of
Guigang place names and incident words, so a word is as common as in a year of duty work), and
times `GET /api/v1/search/?q=` in process (Django's test client, signed in) as the city's
commander (every unit) and as a county's duty officer (one county), for a rare word, a common
word, one character, an incident number and two words. Baseline in the same run: the same hits of
reports alone by a plain `body ILIKE '%word%'` (no index), as the search would run without it.
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

from common import percentile, throwaway_database  # noqa: E402

PLACES = ["港北区", "港南区", "覃塘区", "平南县", "桂平市", "郁江", "西江", "平天山", "建设路", "荷城路", "东湖", "南山",
          "大圩镇", "木格镇", "江南街道", "物流园", "金港大道", "罗泊湾", "中山公园", "火车站"]
EVENTS = ["森林火灾", "道路塌陷", "危化品泄漏", "洪水", "内涝", "山体滑坡", "交通事故", "燃气泄漏", "仓库爆炸",
          "食物中毒", "停电", "暴雨", "堤防渗漏", "船舶碰撞", "高温", "冰雹"]
WORDS = ["现场", "人员", "疏散", "救援", "伤亡", "转移", "群众", "抢修", "封闭", "交通", "管制", "消防", "医疗",
         "公安", "水利", "气象", "监测", "处置", "上报", "指挥部", "队伍", "物资", "帐篷", "冲锋舟", "应急", "值班"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--calls", type=int, default=50)
    args = parser.parse_args()
    with throwaway_database():
        run(args)


def _text(rng: random.Random, n: int) -> str:
    return "，".join(rng.choice(PLACES) + "".join(rng.choice(WORDS) for _ in range(rng.randint(2, 5)))
                    for _ in range(n)) + "。"


def setup(args):
    from django.db import connection, transaction
    from django.utils import timezone

    from emergency.org.demo import DEMO_DIR, load_organisation
    from emergency.org.models import OrgUnit, User
    from incidents import services as incident_services
    from incidents.grading.loader import ensure_defaults
    from incidents.models import Incident, IncidentReport

    ensure_defaults()
    with transaction.atomic():
        load_organisation(DEMO_DIR / "guigang_city.yaml", prefix="gg")
    city = OrgUnit.objects.get(code="gg")
    counties = list(OrgUnit.objects.filter(parent=city))
    duty = User.objects.get(username="gg-duty")
    now = timezone.now()
    model = incident_services.incident_log(
        actor=duty, unit=counties[0], type_code="work_safety", title="样板事件", address="港北区", occurred_at=now,
        received_at=now, body="首报", metrics={"deaths": 1})
    template = IncidentReport.objects.get(incident=model)
    rng = random.Random(16)
    per, incidents = 10, args.reports // 10
    fields = {f.attname: getattr(model, f.attname) for f in Incident._meta.concrete_fields if f.attname != "id"}
    made = Incident.objects.bulk_create([
        Incident(**{**fields, "number": f"BENCH-2026-{n:06d}", "unit_id": counties[n % len(counties)].pk,
                    "title": rng.choice(PLACES) + rng.choice(EVENTS), "address": rng.choice(PLACES) + rng.choice(PLACES)})
        for n in range(incidents)], batch_size=2000)
    report_fields = {f.attname: getattr(template, f.attname) for f in IncidentReport._meta.concrete_fields
                     if f.attname not in ("id", "incident_id", "sequence", "body")}
    rows = []
    for incident in made:
        for sequence in range(1, per + 1):
            rows.append(IncidentReport(**report_fields, incident_id=incident.pk, sequence=sequence,
                                       body=_text(rng, rng.randint(3, 8))))
    rows[-1].body += "出现罕见的蓝藻水华。"  # one rare phrase
    IncidentReport.objects.bulk_create(rows, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE incidents_incident; ANALYZE incidents_incidentreport")
    return city, counties, made


def run(args) -> None:
    from django.core.signals import request_finished
    from django.db import close_old_connections
    from django.test import Client

    from emergency.org.models import User
    from incidents.models import IncidentReport

    started = time.perf_counter()
    city, counties, made = setup(args)
    print(f"set up in {time.perf_counter() - started:.0f} s: {IncidentReport.objects.count()} reports, "
          f"{len(made)} incidents in {len(counties)} counties")
    request_finished.disconnect(close_old_connections)
    commander, duty = User.objects.get(username="gg-commander"), User.objects.get(username="gg-duty")
    queries = {"rare phrase": "蓝藻水华", "common word": "救援", "one character": "涝", "number": made[4321].number,
               "two words": "平天山 冲锋舟", "place + event": "郁江洪水"}

    cpu: list[float] = []

    def timed(call) -> list[float]:
        call()
        times = []
        cpu.clear()
        for _ in range(args.calls):
            begun, begun_cpu = time.perf_counter(), time.process_time()
            call()
            times.append((time.perf_counter() - begun) * 1000)
            cpu.append((time.process_time() - begun_cpu) * 1000)
        return times

    worst = 0.0
    for who, user in (("commander (city)", commander), ("duty officer (county)", duty)):
        client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
        client.force_login(user)
        for label, q in queries.items():
            answer = client.get("/api/v1/search/", {"q": q})
            assert answer.status_code == 200, answer.content
            hits = sum(len(g["hits"]) for g in answer.json()["groups"])
            times = timed(lambda: client.get("/api/v1/search/", {"q": q}))
            worst = max(worst, percentile(times, 95))
            print(f"{who:<22} {label:<14} {q:<18} {hits:3d} hits   p50 {percentile(times, 50):7.1f} ms"
                  f"   p95 {percentile(times, 95):7.1f} ms   (Python CPU p50 {percentile(cpu, 50):5.1f} ms)")
    for label in ("rare phrase", "common word"):
        q = queries[label]
        times = timed(lambda: list(IncidentReport.objects.filter(body__icontains=q).order_by("-submitted_at", "-id")
                                   .values("pk")[:11]))
        print(f"baseline: reports ILIKE without index, {label:<12} p50 {percentile(times, 50):7.1f} ms"
              f"   p95 {percentile(times, 95):7.1f} ms")
    print(f"worst p95 of the search API: {worst:.1f} ms (goal < 200 ms); load average {os.getloadavg()[0]:.1f}"
          f" on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
