"""Domain errors raised by services. The API and the pages turn them into responses
with a message in the user's language (messages are lazy translations)."""
from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base class: a request the platform refuses, with a message for the user."""

    status_code = 400
    code = "invalid"

    def __init__(self, message: Any, *, code: str | None = None, fields: dict[str, list[Any]] | None = None):
        super().__init__(str(message))
        self.message = message
        self.fields = fields or {}
        if code:
            self.code = code


class ValidationFailed(DomainError):
    status_code = 400
    code = "invalid"


class NotPermitted(DomainError):
    """The object is visible to the user, but this action is not theirs to take."""

    status_code = 403
    code = "not_permitted"


class NotFound(DomainError):
    """Absent, or outside the user's units (which must look the same)."""

    status_code = 404
    code = "not_found"


class Conflict(DomainError):
    """The state changed under the request (a concurrent transition, a wrong state)."""

    status_code = 409
    code = "conflict"
