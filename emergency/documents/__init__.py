"""Documents a government body files (公文): the reports to the superior, a response's situation
report, the investigation and assessment report, the annual review, a plan's edition.

A domain app builds an `OfficialDocument` from its records (what it says); this package lays it out
(how it looks), in the order and parts of the national format for official documents (GB/T 9704:
密级 at the top left, the issuing body's mark in red over a red rule, the document number, the title,
the addressee, the body, the issuing body and date at the bottom right, then the copies), as a print
page, a PDF with its Chinese font embedded, and a .docx for those who edit it further.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Classification(models.TextChoices):
    """密级 (GB/T 9704-2012 7.2.2), kept on the record its documents are made of; printed at the top
    left of each of them, in Chinese whatever the reader's interface language."""

    NONE = "", _("Not classified")
    SECRET = "secret", _("Secret")
    CONFIDENTIAL = "confidential", _("Confidential")
    TOP_SECRET = "top_secret", _("Top secret")


def classification_mark(value: str) -> str:
    """What a document prints for a record's 密级 ('' when none is set), in Chinese."""
    from django.utils import translation

    if not value:
        return ""
    with translation.override("zh-hans"):
        return str(Classification(value).label)


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]


@dataclass
class Section:
    heading: str = ""
    paragraphs: list[str] = field(default_factory=list)
    table: Table | None = None


@dataclass
class OfficialDocument:
    issuer: str                      # 发文机关: the unit that issues it
    title: str                       # 标题
    number: str = ""                 # 发文字号, e.g. 贵港市应急〔2026〕12号
    dated: date | None = None        # 成文日期
    classification: str = ""         # 密级 (and 保密期限), shown only when set
    urgency: str = ""                # 紧急程度, e.g. 特急
    addressee: str = ""              # 主送机关
    sections: list[Section] = field(default_factory=list)
    signature: str = ""              # 署名 (defaults to the issuer)
    copy_to: list[str] = field(default_factory=list)  # 抄送
    filename: str = "document"       # without the extension
    numbered: bool = True            # the headings numbered 一、二、三、 (a plan's chapters carry their own)

    def parts(self) -> list[tuple[str, Section]]:
        """Each section with its heading as printed."""
        out, n = [], 0
        for section in self.sections:
            heading = section.heading
            if heading and self.numbered:
                n += 1
                heading = f"{chinese_number(n)}、{heading}"
            out.append((heading, section))
        return out

    def text(self) -> str:
        """Everything the document says, in reading order (tests and search read it)."""
        parts = [self.classification, self.urgency, self.issuer, self.number, self.title, self.addressee]
        for heading, section in self.parts():
            parts.append(heading)
            parts.extend(section.paragraphs)
            if section.table:
                parts.extend(" ".join(row) for row in [section.table.header, *section.table.rows])
        parts += [self.signature or self.issuer, format_date(self.dated), *self.copy_to]
        return "\n".join(p for p in parts if p)




def spreadsheet_safe(value: str) -> str:
    """A CSV cell a spreadsheet program shows as text: one starting like a formula (=, +, -, @, a tab
    or a carriage return) is kept from running by a leading apostrophe (OWASP's CSV injection advice)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def format_moment(moment) -> str:
    """A time in a document's text, in local time: 2026年12月02日 09:15."""
    return timezone.localtime(moment).strftime("%Y年%m月%d日 %H:%M") if moment else ""


def format_date(value: date | None) -> str:
    """成文日期 in figures, as GB/T 9704-2012 7.3.5.1 prescribes: 2026年12月2日."""
    if value is None:
        return ""
    return f"{value.year}年{value.month}月{value.day}日"


def chinese_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 23 -> 二十三 (headings rarely pass 99)."""
    digits = "〇一二三四五六七八九"
    tens, units = divmod(n, 10)
    if n < 10:
        return digits[n]
    return (digits[tens] if tens > 1 else "") + "十" + (digits[units] if units else "")
