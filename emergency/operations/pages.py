"""The pages' edge: a form post runs one operation, the browser comes back to the page it came from.

A refusal keeps what the user typed: the submitted values and each field's error are kept in the
session for the next render of the same operation's form (`{% operation_form %}`), so a long
situation report is never lost to one wrong field.
"""
from __future__ import annotations

from typing import Any, Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.encoding import force_str
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from rest_framework import serializers

from emergency.errors import DomainError

from . import get

SESSION_KEY = "operation_forms"

# lookup(user, **url kwargs) -> the target, already scoped (a missing or foreign id raises Http404)
Lookup = Callable[..., Any]
# where the browser goes after success: a URL or a callable(target, result) -> URL
Next = str | Callable[[Any, Any], str] | None


def _field_errors(detail) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        return {name: [force_str(m) for m in (v if isinstance(v, list) else [v])] for name, v in detail.items()}
    return {"non_field_errors": [force_str(m) for m in (detail if isinstance(detail, list) else [detail])]}


def _summary(message: str, errors: dict[str, list[str]]) -> str:
    """The refusal with each field's reason, for the message at the top of the page (a form laid out
    by hand shows no errors of its own)."""
    details = "; ".join(dict.fromkeys(m for ms in errors.values() for m in ms if m != message))
    return f"{message} {details}".strip()


def _key(name: str, target) -> str:
    return f"{name}:{getattr(target, 'pk', '')}"


def remember(request, name: str, target, data, errors: dict[str, list[str]]) -> None:
    kept = {k: (data.getlist(k) if hasattr(data, "getlist") else data[k]) for k in data
            if k != "csrfmiddlewaretoken" and "password" not in k  # a password is never kept in the session,
            and k not in getattr(request, "FILES", {})}  # and a file is chosen again
    request.session.setdefault(SESSION_KEY, {})[_key(name, target)] = {"data": kept, "errors": errors}
    request.session.modified = True


def recall(request, name: str, target) -> dict | None:
    """The values and errors of this form's last refused post (once)."""
    forms = request.session.get(SESSION_KEY) or {}
    state = forms.pop(_key(name, target), None)
    if state is not None:
        request.session.modified = True
    return state


def _back(request, fallback: str) -> str:
    nxt = request.POST.get("next") or request.META.get("HTTP_REFERER") or fallback
    if url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return nxt
    return fallback


def operation_view(name: str, *, lookup: Lookup | None = None, next: Next = None):
    """The page route of operation `name`: POST only, signed in; success goes to `next` (or back),
    a refusal goes back with the message and the form as typed."""

    @login_required
    @require_POST
    def view(request, **kwargs):
        operation = get(name)
        target = lookup(request.user, **kwargs) if lookup else None
        fallback = target.get_absolute_url() if hasattr(target, "get_absolute_url") else "/"
        data = request.POST.copy()
        data.update(request.FILES)
        bound = operation.bind(data=data, request=request, target=target)
        try:
            bound.is_valid(raise_exception=True)
            result = operation.execute(user=request.user, target=target, validated=dict(bound.validated_data))
        except serializers.ValidationError as error:
            errors = _field_errors(error.detail)
            remember(request, name, target, request.POST, errors)
            messages.error(request, _summary(_("Some fields are missing or invalid."), errors))
            return redirect(_back(request, fallback))
        except DomainError as error:
            errors = _field_errors({k: list(v) for k, v in error.fields.items()}) if error.fields else {}
            remember(request, name, target, request.POST, errors)
            messages.error(request, _summary(force_str(error.message), errors))
            return redirect(_back(request, fallback))
        if operation.success:
            said = operation.success(result) if callable(operation.success) else operation.success
            messages.success(request, force_str(said))
        if callable(next):
            return redirect(next(target, result))
        if next:
            return redirect(next)
        if hasattr(result, "get_absolute_url"):
            return redirect(result.get_absolute_url())
        return redirect(_back(request, fallback))

    view.operation = name
    return view


def page(view):
    """A page that only shows (GET/HEAD): every write on it posts to an operation's route."""
    wrapped = login_required(require_safe(view))
    wrapped.page = True
    return wrapped
