"""The responses' part of the annual review: how long each level took to start after receipt."""
from __future__ import annotations

import statistics
from collections import defaultdict

from django.utils.functional import lazy

from incidents.review import review_part

from .models import Proposal
from .templatetags.responses import response_level

_level_name = lazy(response_level, str)  # 三级响应, read in the language of the page that shows it


@review_part
def _response_minutes(*, review, incidents) -> None:
    minutes: dict[int, list[float]] = defaultdict(list)
    for level, started, received in Proposal.objects.filter(
            incident__in=incidents, kind=Proposal.Kind.START, state=Proposal.State.APPROVED).values_list(
            "decision__level", "decision__decided_at", "incident__received_at"):
        minutes[level].append((started - received).total_seconds() / 60)
    review.response_minutes = {
        level: {"label": _level_name(level), "count": len(values), "median": statistics.median(values),
                "max": max(values)}
        for level, values in sorted(minutes.items())}
