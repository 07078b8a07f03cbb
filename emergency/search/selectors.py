"""The search: each source's rows the user may see that match, newest first, a page per source."""
from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from emergency.errors import ValidationFailed
from emergency.org.scope import unit_scope

from . import documents
from .sources import KINDS, SOURCES, Hit

UNIT = "unit"


@dataclass
class Group:
    kind: str
    label: str
    hits: list[Hit] = field(default_factory=list)
    more: bool = False


def clean_query(query: str) -> str:
    """The query, or a clear refusal: empty, nothing searchable in it, or too long."""
    query = (query or "").strip()
    if len(query) > documents.MAX_QUERY:
        raise ValidationFailed(_("Some fields are missing or invalid."), fields={"q": [
            _("Search for at most %(n)d characters.") % {"n": documents.MAX_QUERY}]})
    if not documents.terms(query):
        raise ValidationFailed(_("Some fields are missing or invalid."), fields={"q": [
            _("Type a number, a name or a few words to search for.")]})
    return query


def search(*, user, query: str, kinds: list[str] | None = None, limit: int = 10, offset: int = 0) -> list[Group]:
    """Hits per kind (incidents, reports, warnings, plans, people, units) among what `user` may see."""
    query = clean_query(query)
    wanted = [k for k in (kinds or [*KINDS, UNIT]) if k in KINDS or k == UNIT]
    units = _units(user, query)
    groups = []
    for source in SOURCES:
        if source.kind not in wanted:
            continue
        also = source.by_unit([u.pk for u in units]) if source.by_unit and units else None
        rows = _found(source, source.rows(user), query, also, offset, limit + 1)
        groups.append(Group(source.kind, str(source.label), [source.hit(r) for r in rows[:limit]], len(rows) > limit))
    if UNIT in wanted:
        shown = units[offset:offset + limit + 1]
        groups.append(Group(UNIT, str(_("Units")), [
            Hit(UNIT, u.pk, str(u), u.get_kind_display(), reverse("unit-detail", args=[u.pk]), None)
            for u in shown[:limit]], len(shown) > limit))
    return groups


def _found(source, rows, query: str, also: Q | None, offset: int, count: int) -> list:
    """`count` matching rows of `rows` after `offset`: among the newest first, else by the index."""
    ids = source.newest_matching(rows, query, offset + count, also)
    if ids is not None:
        return list(rows.filter(pk__in=ids[offset:]))  # in `rows`' own order, the window's
    condition = source.matching(query) | also if also is not None else source.matching(query)
    return list(rows.filter(condition)[offset:offset + count])


def _units(user, query: str) -> list:
    """The visible units whose name (Chinese or English) holds the whole query."""
    from emergency.org.models import OrgUnit

    return list(OrgUnit.objects.filter(pk__in=unit_scope(user).visible)
                .filter(Q(name__icontains=query) | Q(name_en__icontains=query)).order_by("position", "id"))
