"""Pages of the grading standard: the tables, one table's criteria by type, and for a draft the
run of the saved cases and its publication. Criteria of a draft are edited through the API."""
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from emergency.ui.actions import perform

from . import selectors, services
from .models import Condition, Criterion, IncidentType, ThresholdTable


@login_required
def table_list(request):
    tables = (selectors.tables_visible(user=request.user).select_related("organisation")
              .annotate(criterion_count=Count("criteria")))
    return render(request, "grading/tables.html", {
        "tables": tables, "can_edit": request.user.has_perm("grading.change_thresholdtable")})


@login_required
def table_detail(request, pk: int):
    table = selectors.tables_visible(user=request.user).filter(pk=pk).first()
    if table is None:
        raise Http404
    criteria = (Criterion.objects.filter(table=table).select_related("incident_type")
                .prefetch_related(Prefetch("conditions", queryset=Condition.objects.select_related("metric"))))
    by_type: dict[IncidentType, list[Criterion]] = {}
    for criterion in criteria.order_by("incident_type__position", "grade", "position"):
        by_type.setdefault(criterion.incident_type, []).append(criterion)
    return render(request, "grading/table.html", {
        "table": table, "by_type": by_type, "last_run": table.runs.first(),
        "can_edit": table.state == ThresholdTable.State.DRAFT
        and request.user.has_perm("grading.change_thresholdtable", table),
    })


@login_required
@require_POST
def table_draft(request):
    drafts = []
    if perform(request, lambda: drafts.append(services.table_draft_create(actor=request.user,
                                                                          note=request.POST.get("note", ""))),
               _("Draft created from the published table.")):
        return redirect("grading-table", pk=drafts[0].pk)
    return redirect("grading-tables")


@login_required
@require_POST
def table_run(request, pk: int):
    table = selectors.tables_visible(user=request.user).filter(pk=pk).first() or _missing()
    perform(request, lambda: services.table_run_cases(actor=request.user, table=table), _("The saved cases were run."))
    return redirect("grading-table", pk=pk)


@login_required
@require_POST
def table_publish(request, pk: int):
    table = selectors.tables_visible(user=request.user).filter(pk=pk).first() or _missing()
    perform(request, lambda: services.table_publish(actor=request.user, table=table), _("Table published."))
    return redirect("grading-table", pk=pk)


def _missing():
    raise Http404
