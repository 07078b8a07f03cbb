"""A page's form post over DATA_UPLOAD_MAX_MEMORY_SIZE (2 MB): the officer's typing is not lost.

The API answers 413 in its JSON format (`emergency.limits`). A page's form post that is too large, up
to a few times the limit, is read once here: the fields that made it too large are named and dropped,
the rest is kept in the session for the operation's form (as a refused post is, see
`emergency.operations.pages`), and the browser goes back to the form with the message. A larger post,
or one from another site, gets a styled page saying what the limit is.
"""
from __future__ import annotations

from urllib.parse import parse_qsl, quote_plus

from django.conf import settings
from django.contrib.messages import constants
from django.contrib.messages.storage import default_storage
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import Resolver404, resolve
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from emergency.operations.pages import remember

READ_AT_MOST = 8  # times the limit: larger posts are not read at all (a Chinese character is 9 bytes encoded)
FORM = "application/x-www-form-urlencoded"


class _Target:
    def __init__(self, pk):
        self.pk = pk


def _same_site(request, url: str | None) -> bool:
    return bool(url) and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()},
                                                         require_https=request.is_secure())


def _operation(request):
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None, None
    name = getattr(match.func, "operation", None)
    return name, (_Target(match.kwargs["pk"]) if "pk" in match.kwargs else None)


def oversized_form(request, length: int):
    """The answer to a page's form post of `length` bytes, over the limit."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    back = request.META.get("HTTP_REFERER")
    too_large = _("The form is larger than %(size)s and was not saved.") % {"size": filesizeformat(limit)}
    name, target = _operation(request)
    if (name is None or request.content_type != FORM or length > READ_AT_MOST * limit
            or not _same_site(request, back)):
        return render(request, "413.html", {"message": too_large, "back": back if _same_site(request, back) else ""},
                      status=413)
    fields = parse_qsl(request.read(length).decode("utf-8", "replace"), keep_blank_values=True)
    sent = {id(item): len(quote_plus(item[0])) + len(quote_plus(item[1])) + 1 for item in fields}  # as posted
    kept, errors, size = QueryDict(mutable=True), {}, sum(sent.values())
    for item in sorted(fields, key=lambda item: -sent[id(item)]):  # drop the largest until the rest fits
        key, value = item
        if size > limit and key != "csrfmiddlewaretoken":
            size -= sent[id(item)]
            errors[key] = [_("This text is %(size)s; the form takes at most %(limit)s. Shorten it, or attach it "
                             "as a file elsewhere and link it.") % {"size": filesizeformat(sent[id(item)]),
                                                                     "limit": filesizeformat(limit)}]
        else:
            kept.appendlist(key, value)
    remember(request, name, target, kept, errors)
    storage = default_storage(request)
    storage.add(constants.ERROR, too_large + " " + _("The rest of what you typed is kept below."))
    response = redirect(back)
    storage.update(response)
    return response
