"""Shared by the pages' POST handlers: run a service call, turn its refusal into a message in the
user's language, and report success. Views stay a few lines each."""
from __future__ import annotations

from datetime import MAXYEAR, MINYEAR
from typing import Any, Callable

from django.contrib import messages
from django.utils.translation import gettext as _

from emergency.errors import DomainError


class FormInvalid(ValueError):
    """A form did not validate; the message lists the fields."""


def valid(form) -> dict[str, Any]:
    """The form's cleaned data, or FormInvalid naming each field and its errors."""
    if not form.is_valid():
        raise FormInvalid("; ".join(f"{form.fields[n].label if n in form.fields else n}: {', '.join(e)}"
                                    for n, e in form.errors.items()))
    return form.cleaned_data


def error_message(error: DomainError) -> str:
    details = "; ".join(", ".join(str(m) for m in ms) for ms in error.fields.values())
    return f"{error.message} {details}".strip()


def perform(request, action: Callable[[], Any], success: str) -> bool:
    """Run `action`; flash `success` (when given), or the refusal. True when it succeeded."""
    try:
        action()
    except DomainError as error:
        messages.error(request, error_message(error))
        return False
    except FormInvalid as error:
        messages.error(request, _("Some fields are missing or invalid.") + f" {error}")
        return False
    if success:
        messages.success(request, success)
    return True


def form_errors(form, error: DomainError, *, aliases: dict[str, str] | None = None) -> None:
    """Put a service's refusal on a bound form: the message on top, each field's under its field
    (`aliases` maps a service's field name to the form's), the rest on top with their names."""
    form.add_error(None, error.message)
    for name, messages_ in error.fields.items():
        field = (aliases or {}).get(name, name)
        for message in messages_:
            if field in form.fields:
                form.add_error(field, message)
            else:
                form.add_error(None, f"{name}: {message}")


def int_or_none(value: Any) -> int | None:
    """A query parameter as an int; absent or not a number is None."""
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def year_or_none(value: Any) -> int | None:
    """A query parameter as a year that dates can have (1 to 9999); anything else is None."""
    year = int_or_none(value)
    return year if year is not None and MINYEAR <= year <= MAXYEAR else None
