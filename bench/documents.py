"""Time to lay out an official document: a 50-page situation report (sections of Chinese text and a
table of orders) as PDF (font embedded) and .docx, several runs each; prints the page count.

    .venv/bin/python bench/documents.py [--pages 50] [--runs 3]

No database: the layout is what is measured (the builders' reads are a few queries per document)."""
from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "emergency.settings")
os.environ.setdefault("DATABASE_URL", "postgres://localhost/unused")

PARAGRAPH = ("港北区物流园3号仓库发生爆炸后，市应急管理局立即启动二级应急响应，现场指挥部设综合协调、抢险救援、"
             "医疗救治、群众生活、新闻宣传等工作组，组织消防救援、公安、卫生健康等部门力量开展处置。")


def build(pages: int):
    from emergency.documents import OfficialDocument, Section, Table

    per_page = 3  # about three paragraphs of this length and a few table rows fill a page
    sections = [Section(heading=f"第{n}阶段处置情况", paragraphs=[PARAGRAPH * 2] * per_page,
                        table=Table(["指令", "部门", "状态"], [[f"指令{n}-{i}", "市应急管理局", "已落实"] for i in range(3)]))
                for n in range(1, round(pages * 0.9) + 1)]
    return OfficialDocument(issuer="贵港市人民政府", title="关于港北区物流园仓库爆炸事故的情况通报",
                            number="CITY-2026-000001 情况通报 第12期", dated=date(2026, 12, 2),
                            addressee="自治区人民政府", sections=sections, copy_to=["市应急管理局"])


def main() -> None:
    import django

    django.setup()
    from pypdf import PdfReader

    from emergency.documents.pdf import render_pdf
    from emergency.documents.word import render_docx

    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    document = build(args.pages)
    for name, render in (("pdf", render_pdf), ("docx", render_docx)):
        times, size = [], 0
        for _ in range(args.runs):
            started = time.perf_counter()
            body = render(document)
            times.append((time.perf_counter() - started) * 1000)
            size = len(body)
        extra = f", {len(PdfReader(io.BytesIO(body)).pages)} pages" if name == "pdf" else ""
        print(f"{name}: median {statistics.median(times):.0f} ms, max {max(times):.0f} ms over {args.runs} runs, "
              f"{size / 1024:.0f} KiB{extra}")


if __name__ == "__main__":
    main()
