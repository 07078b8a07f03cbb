"""An `OfficialDocument` as PDF (fpdf2), A4 in the proportions of GB/T 9704-2012: the type area
156 x 225 mm, the issuing body's mark in red over a red rule, body text at 16 pt (三号), page numbers
"— 1 —" at 14 pt (四号). The vendored Noto Serif SC is embedded (only the glyphs used), so the file
reads the same on a machine without Chinese fonts, and its text can be extracted (ToUnicode)."""
from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings
from fpdf import FPDF
from fpdf.enums import WrapMode, XPos, YPos

from . import OfficialDocument, format_date

FONTS = Path(__file__).resolve().parent / "fonts"
RED = (200, 16, 16)
logging.getLogger("fontTools.subset").setLevel(logging.WARNING)  # it logs every table it subsets
BODY, TITLE, MARK, SMALL = 16, 20, 26, 12
LINE = 9.5  # mm between body lines (about 28 pt, 22 lines on the type area)


class _Page(FPDF):
    def footer(self) -> None:
        self.set_y(-22)
        self.set_font("serif", size=14)
        self.cell(0, 8, f"— {self.page_no()} —", align="C")


def _font_dir() -> Path:
    return Path(getattr(settings, "DOCUMENT_FONT_DIR", "") or FONTS)


def render_pdf(document: OfficialDocument) -> bytes:
    pdf = _Page(format="A4", unit="mm")
    pdf.set_margins(left=27, top=37, right=27)
    pdf.set_auto_page_break(auto=True, margin=35)
    pdf.add_font("serif", "", str(_font_dir() / "NotoSerifSC-Regular.ttf"))
    pdf.add_font("serif", "B", str(_font_dir() / "NotoSerifSC-Bold.ttf"))
    pdf.set_title(document.title)
    pdf.set_author(document.issuer)
    pdf.set_creator("应急指挥平台")
    pdf.add_page()
    width = pdf.epw

    def write(text: str, *, size: int = BODY, bold: bool = False, align: str = "J", height: float = LINE,
              indent: bool = False) -> None:
        pdf.set_font("serif", "B" if bold else "", size)
        if indent:  # a body paragraph: its first line indented by two characters
            pdf.set_x(pdf.l_margin + 2 * size * 0.3528)
            pdf.write(height, text, wrapmode=WrapMode.CHAR)
            pdf.ln(height)
            return
        pdf.multi_cell(width, height, text, align=align, wrapmode=WrapMode.CHAR, new_x=XPos.LMARGIN,
                       new_y=YPos.NEXT)

    if document.classification or document.urgency:
        write("  ".join(p for p in (document.classification, document.urgency) if p), size=BODY, bold=True,
              align="L")
    pdf.set_text_color(*RED)
    write(document.issuer + "文件" if document.number else document.issuer, size=MARK, bold=True, align="C",
          height=14)
    pdf.set_text_color(0, 0, 0)
    if document.number:
        pdf.ln(2)
        write(document.number, align="C")
    pdf.set_draw_color(*RED)
    pdf.set_line_width(0.6)
    pdf.line(pdf.l_margin, pdf.get_y() + 2, pdf.l_margin + width, pdf.get_y() + 2)
    pdf.ln(10)
    write(document.title, size=TITLE, bold=True, align="C", height=11)
    pdf.ln(4)
    if document.addressee:
        write(document.addressee + "：", align="L")
    for heading, section in document.parts():
        if heading:
            write(heading, bold=True, align="L")
        for paragraph in section.paragraphs:
            write(paragraph, indent=True)
        if section.table:
            pdf.set_font("serif", size=SMALL)
            pdf.set_draw_color(0, 0, 0)
            pdf.set_line_width(0.2)
            with pdf.table(text_align="CENTER", line_height=7, first_row_as_headings=True) as table:
                for row in [section.table.header, *section.table.rows]:
                    cells = table.row()
                    for value in row:
                        cells.cell(str(value))
            pdf.ln(3)
    pdf.ln(8)
    write(document.signature or document.issuer, align="R")
    write(format_date(document.dated), align="R")
    if document.copy_to:
        pdf.ln(6)
        pdf.set_draw_color(0, 0, 0)
        pdf.set_line_width(0.3)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + width, pdf.get_y())
        write("抄送：" + "，".join(document.copy_to) + "。", size=14, align="L")
    return bytes(pdf.output())
