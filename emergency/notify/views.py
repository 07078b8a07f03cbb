"""The inbox page `/notifications/`: a "to act on" section, then everything, filtered and paged."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from emergency.errors import DomainError
from emergency.ui.actions import error_message

from . import hooks, selectors, services

TO_ACT_ON_SHOWN = 20


def _filters(request) -> tuple[selectors.InboxFilters, dict]:
    raw = {"unread": request.GET.get("unread") == "1", "kind": request.GET.get("kind", "")[:80]}
    subject, subject_id = "", None
    for item in hooks.subjects():
        value = request.GET.get(item.name, "")
        if value:
            subject, subject_id = item.name, int(value) if value.isdigit() else 0
            raw[item.name] = value
    return selectors.InboxFilters(unread=raw["unread"], kind=raw["kind"], subject=subject,
                                  subject_id=subject_id), raw


@login_required
def inbox(request):
    filters, chosen = _filters(request)
    try:
        rows = selectors.notification_list(user=request.user, filters=filters)
    except DomainError as error:  # an incident not the user's to see reads as one that does not exist
        messages.error(request, error_message(error))
        return redirect("notification-inbox")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    waiting = selectors.notification_to_act_on(user=request.user)
    shown = list(waiting[:TO_ACT_ON_SHOWN])
    for item in [*page, *shown]:
        item.kind_label = hooks.label_of(item.kind)
    return render(request, "notify/inbox.html", {
        "page": page,
        "waiting": shown,
        "waiting_count": waiting.count(),
        "kinds": hooks.kinds(),
        "subjects": [{"name": s.name, "label": s.label, "choices": s.choices(request.user)}
                     for s in hooks.subjects()],
        "chosen": chosen,
    })


@login_required
@require_POST
def mark_read(request):
    if request.POST.get("all") == "1":
        marked = services.notification_mark_all_read(user=request.user)
    else:
        ids = [int(v) for v in request.POST.getlist("id") if v.isdigit()]
        marked = services.notification_mark_read(user=request.user, notification_ids=ids)
    messages.success(request, _("%(count)d notification(s) marked read.") % {"count": marked})
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    return redirect(back or "notification-inbox")


def bell(request) -> dict:
    """Context processor: the signed-in user's unread count for the top bar (one indexed count)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"bell_unread": selectors.notification_unread_count(user=user)}
