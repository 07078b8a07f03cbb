"""Grade incidents from the command line with the published threshold table.

    manage.py grade --type forest_fire --metric area_ha=1000 --metric deaths=3 [--check KEY]
    manage.py grade --jsonl cases.jsonl      # lines {"type": ..., "metrics": {...}, "checked": [...]}

Prints one JSON object {"type", "grade", "reasons"} per case. Bad input: a message on stderr
(Chinese, then English) and exit code 2; in a JSONL file a bad line prints {"type", "error"} in
its place so the output stays aligned with the input, and the command exits 2 at the end.
"""
from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.encoding import force_str

from emergency.errors import ValidationFailed
from incidents.grading import engine


def bilingual(exc: ValidationFailed) -> str:
    def render(language: str) -> str:
        with translation.override(language):
            details = "; ".join(f"{key}: {', '.join(force_str(m) for m in messages)}"
                                for key, messages in exc.fields.items())
            text = force_str(exc.message)
            return f"{text} ({details})" if details else text

    chinese, english = render("zh-hans"), render("en")
    return chinese if chinese == english else f"{chinese} / {english}"


def _dump(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


class Command(BaseCommand):
    help = "Grade an incident (or a JSONL file of them) against the published threshold table."

    def add_arguments(self, parser):
        parser.add_argument("--type", dest="type_code")
        parser.add_argument("--metric", action="append", default=[], metavar="KEY=VALUE")
        parser.add_argument("--check", action="append", default=[], metavar="CHECKLIST_KEY")
        parser.add_argument("--jsonl", metavar="FILE", help="'-' reads standard input")

    def handle(self, *args, type_code=None, metric=(), check=(), jsonl=None, **options):
        if jsonl:
            return self._grade_file(jsonl)
        if not type_code:
            raise CommandError("需要 --type 或 --jsonl / --type or --jsonl is required", returncode=2)
        metrics = {}
        for item in metric:
            key, sep, value = item.partition("=")
            if not sep:
                raise CommandError(f"指标应写作 KEY=VALUE / a metric is written KEY=VALUE: {item!r}", returncode=2)
            metrics[key.strip()] = value.strip()
        try:
            result = engine.grade(type_code=type_code, metrics=metrics, checked=check)
        except ValidationFailed as exc:
            raise CommandError(bilingual(exc), returncode=2) from None
        self.stdout.write(_dump(result.as_contract()))

    def _grade_file(self, path: str) -> None:
        stream = sys.stdin if path == "-" else open(path, encoding="utf-8")  # noqa: SIM115
        failed = 0
        with stream:
            for number, line in enumerate(stream, start=1):
                if not line.strip():
                    continue
                try:
                    case = json.loads(line)
                    if not isinstance(case, dict):
                        raise ValueError("not an object")
                except ValueError:
                    failed += 1
                    message = f"第 {number} 行不是 JSON 对象 / line {number} is not a JSON object"
                    self.stderr.write(message)
                    self.stdout.write(_dump({"type": None, "error": message}))
                    continue
                try:
                    result = engine.grade(type_code=case.get("type"), metrics=case.get("metrics") or {},
                                          checked=case.get("checked") or [])
                    self.stdout.write(_dump(result.as_contract()))
                except ValidationFailed as exc:
                    failed += 1
                    message = f"第 {number} 行 / line {number}: {bilingual(exc)}"
                    self.stderr.write(message)
                    self.stdout.write(_dump({"type": case.get("type"), "error": message}))
        if failed:
            raise CommandError(f"{failed} 行无效 / {failed} invalid line(s)", returncode=2)
