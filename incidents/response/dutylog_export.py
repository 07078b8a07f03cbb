"""The duty log as files: CSV (with a BOM, so spreadsheet programs read the Chinese) and an official
document (PDF, .docx, print page) through `emergency/documents/`. Times in Beijing time, written by
the documents' one formatter of a moment."""
from __future__ import annotations

import csv
import io

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from emergency.documents import (OfficialDocument, Section, Table, classification_mark, format_moment,
                                 spreadsheet_safe)

from .timeline import Item


def _marks(item: Item) -> str:
    marks = []
    if item.corrects:
        marks.append(_("corrects entry #%(n)s") % {"n": item.corrects})
    if item.corrected_by:
        marks.append(_("corrected by entry #%(n)s") % {"n": item.corrected_by})
    return "; ".join(marks)


def _row(item: Item) -> list[str]:
    return [format_moment(item.at), item.kind_label, item.label, item.text, item.actor, item.unit, _marks(item),
            format_moment(item.recorded_at)]


def _print_row(item: Item) -> list[str]:
    """A row of the printed log: the details and the correction marks under the action's name."""
    what = "：".join(part for part in (item.label, item.text) if part)
    marks = _marks(item)
    return [format_moment(item.at), item.kind_label, f"{what}（{marks}）" if marks else what,
            f"{item.actor}（{item.unit}）" if item.unit else item.actor]


def _header() -> list[str]:
    return [_("Time"), _("Kind"), _("What"), _("Details"), _("By"), _("Unit"), _("Correction"), _("Recorded at")]


def timeline_csv(items: list[Item]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(_header())
    for item in items:
        writer.writerow([spreadsheet_safe(cell) for cell in _row(item)])  # entries are typed by people
    return "\ufeff" + out.getvalue()  # BOM: spreadsheet programs then read the Chinese correctly


def timeline_document(items: list[Item], *, incident, response=None) -> OfficialDocument:
    with translation.override("zh-hans"):
        subject = incident.title if response is None else f"{incident.title}（{response.command_unit.name}）"
        table = Table(header=[_("Time"), _("Kind"), _("What"), _("By")], rows=[_print_row(item) for item in items])
        return OfficialDocument(
            issuer=incident.unit.name, title=_("Duty log of %(subject)s") % {"subject": subject},
            number=incident.number, dated=timezone.localdate(),
            sections=[Section(heading=_("What happened, in time order"), paragraphs=[
                _("%(n)s entries.") % {"n": len(items)}], table=table)],
            filename=f"{incident.number}-duty-log" + (f"-{response.pk}" if response else ""),
            classification=classification_mark(incident.classification),
        )
