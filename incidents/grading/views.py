"""Pages of the grading standard: the tables, and one table's criteria by type; on a draft its
administrators add, change and remove criteria, run the saved cases and publish it. Every form posts
to an operation (`incidents/grading/operations.py`)."""
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, render

from emergency.operations.pages import page

from . import selectors
from .models import Condition, Criterion, IncidentType, Metric, ThresholdTable


def table_for(user, pk: int) -> ThresholdTable:
    return get_object_or_404(selectors.tables_visible(user=user), pk=pk)


def criterion_for(user, pk: int) -> Criterion:
    return get_object_or_404(Criterion.objects.filter(table__in=selectors.tables_visible(user=user))
                             .select_related("table"), pk=pk)


@page
def table_list(request):
    tables = (selectors.tables_visible(user=request.user).select_related("organisation")
              .annotate(criterion_count=Count("criteria")))
    return render(request, "grading/tables.html", {"tables": tables})


@page
def table_detail(request, pk: int):
    table = table_for(request.user, pk)
    criteria = (Criterion.objects.filter(table=table).select_related("incident_type", "table")
                .prefetch_related(Prefetch("conditions", queryset=Condition.objects.select_related("metric"))))
    by_type: dict[IncidentType, list[Criterion]] = {}
    for criterion in criteria.order_by("incident_type__position", "grade", "position"):
        by_type.setdefault(criterion.incident_type, []).append(criterion)
    return render(request, "grading/table.html", {
        "table": table, "by_type": by_type, "last_run": table.runs.first(), "metrics": Metric.objects.all(),
    })
