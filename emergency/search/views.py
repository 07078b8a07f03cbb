"""The results page `/search/?q=`, reached from the top bar's search box."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from emergency.errors import DomainError
from emergency.ui.actions import error_message

from . import selectors
from .sources import KINDS

PER_KIND = 10


@login_required
def results(request):
    query = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    kinds = [kind] if kind in KINDS or kind == selectors.UNIT else None
    limit = 50 if kinds else PER_KIND
    groups, error = [], ""
    if query:
        try:
            groups = selectors.search(user=request.user, query=query, kinds=kinds, limit=limit)
        except DomainError as refused:
            error = error_message(refused)
    return render(request, "search/results.html", {
        "q": query, "kind": kind, "groups": groups, "error": error,
        "found": sum(len(g.hits) for g in groups),
    })
