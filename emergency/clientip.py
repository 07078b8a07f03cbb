"""The client's address behind a reverse proxy, and the sign-in lock-out's answer.

`X-Forwarded-For` (and `-Proto`, `-Host`) are believed only when the request arrives from one of
`TRUSTED_PROXIES` (addresses or networks); from anyone else they are dropped, since a client can
write them. The ASGI server therefore runs without its own proxy-header handling (daphne's
`--proxy-headers` believes every peer): this middleware, first in the stack, sets `REMOTE_ADDR`
to the address the nearest trusted proxy saw, and django-axes counts failures by that address.
"""
from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _

FORWARDED_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST")


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(proxy.strip(), strict=False) for proxy in proxies if proxy.strip())


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def is_trusted_proxy(address: str) -> bool:
    parsed = _address(address)
    return parsed is not None and any(parsed in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


def client_address(meta) -> str:
    """The peer, or, when the peer is a trusted proxy, the first address from the right of
    X-Forwarded-For that is not itself a trusted proxy (each proxy appends the address it saw)."""
    peer = meta.get("REMOTE_ADDR", "") or ""
    if not is_trusted_proxy(peer):
        return peer
    hops = [hop.strip() for hop in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        if _address(hop) is None:
            return peer  # a garbled chain: the proxy is the last address known to be right
        if not is_trusted_proxy(hop):
            return hop
    return hops[0] if hops else peer


class ClientAddressMiddleware:
    """First in the stack: `REMOTE_ADDR` becomes the client's address; forwarded headers from a
    peer that is not a trusted proxy are removed before anything (HTTPS detection, axes) reads them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        meta = request.META
        peer = meta.get("REMOTE_ADDR", "") or ""
        if is_trusted_proxy(peer):
            meta["REMOTE_ADDR"] = client_address(meta)
        else:
            for header in FORWARDED_HEADERS:
                meta.pop(header, None)
        return self.get_response(request)


def axes_client_ip(request) -> str:
    """django-axes' AXES_CLIENT_IP_CALLABLE: the address the middleware settled on."""
    return request.META.get("REMOTE_ADDR", "") or ""


def lockout_response(request, credentials):
    """django-axes' AXES_LOCKOUT_CALLABLE: the API's JSON error under /api/, the page elsewhere."""
    from emergency.api.errors import error_response, is_api

    status = settings.AXES_HTTP_RESPONSE_CODE
    if is_api(request):
        return error_response("locked_out", _("Too many failed sign-ins: this account is locked for a while."),
                              status)
    return render(request, settings.AXES_LOCKOUT_TEMPLATE, {"failure_limit": settings.AXES_FAILURE_LIMIT},
                  status=status)
