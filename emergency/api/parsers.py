"""The API's body parsers: JSON as DRF reads it, refusing what PostgreSQL or the services cannot hold.

- A lone surrogate (`"\\ud800"`, an unpaired UTF-16 half) is valid JSON but no UTF-8 text: PostgreSQL
  cannot store it, so it is refused here, in keys as in values, instead of failing on save.
- Nesting deeper than MAX_DEPTH is refused: Python's decoder overflows its recursion limit near 1,000
  levels, and no document of the platform needs more than a few.
"""
from __future__ import annotations

import json

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 32


def _bad_text(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def check_json(data) -> None:
    """Raise ParseError when `data` nests deeper than MAX_DEPTH or holds a lone surrogate."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            if _bad_text(value):
                raise ParseError(_("Text may not contain a lone surrogate (half of a UTF-16 pair)."))
            continue
        if isinstance(value, (dict, list)):
            if depth > MAX_DEPTH:
                raise ParseError(_("The JSON is nested too deeply (at most %(depth)s levels).") % {"depth": MAX_DEPTH})
            items = value.items() if isinstance(value, dict) else ((None, item) for item in value)
            for key, item in items:
                if key is not None:
                    stack.append((key, depth))
                stack.append((item, depth + 1))


class StrictJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = stream.read().decode(encoding) if stream is not None else ""
        except UnicodeDecodeError:
            raise ParseError(_("The body is not valid %(encoding)s text.") % {"encoding": encoding}) from None
        try:
            data = json.loads(text, parse_constant=self._refuse_constant)
        except RecursionError:
            raise ParseError(_("The JSON is nested too deeply (at most %(depth)s levels).")
                             % {"depth": MAX_DEPTH}) from None
        except ValueError as error:
            raise ParseError(_("The body is not valid JSON: %(error)s") % {"error": error}) from None
        check_json(data)
        return data

    @staticmethod
    def _refuse_constant(name: str):
        raise ValueError(_("%(name)s is not a JSON number") % {"name": name})
