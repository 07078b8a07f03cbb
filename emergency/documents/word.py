"""An `OfficialDocument` as .docx (python-docx), for the recipients who edit it further: A4, the
margins of GB/T 9704-2012, 仿宋 body at 16 pt (三号) and a 小标宋-style title at 22 pt (二号). Word
documents name their fonts instead of embedding them: the East Asian font is set to 仿宋_GB2312 / 方正
小标宋简体 (what the recipients' machines have), falling back to any Song face."""
from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from . import OfficialDocument, format_date

BODY_FONT, TITLE_FONT = "仿宋_GB2312", "方正小标宋简体"
ALIGN = {"L": WD_ALIGN_PARAGRAPH.LEFT, "C": WD_ALIGN_PARAGRAPH.CENTER, "R": WD_ALIGN_PARAGRAPH.RIGHT,
         "J": WD_ALIGN_PARAGRAPH.JUSTIFY}


def _run(paragraph, text: str, *, size: int = 16, bold: bool = False, font: str = BODY_FONT,
         colour: RGBColor | None = None):
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = font
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    if colour is not None:
        run.font.color.rgb = colour
    return run


def render_docx(document: OfficialDocument) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    doc.core_properties.title = document.title
    doc.core_properties.author = document.issuer

    def para(text: str, *, align: str = "J", indent: bool = False, **style):
        paragraph = doc.add_paragraph()
        paragraph.alignment = ALIGN[align]
        if indent:
            paragraph.paragraph_format.first_line_indent = Pt(32)
        _run(paragraph, text, **style)
        return paragraph

    if document.classification or document.urgency:
        para("　".join(p for p in (document.classification, document.urgency) if p), align="L", bold=True)
    para(document.issuer + "文件" if document.number else document.issuer, align="C", size=26, bold=True,
         font=TITLE_FONT, colour=RGBColor(0xC8, 0x10, 0x10))
    if document.number:
        para(document.number, align="C")
    para(document.title, align="C", size=22, font=TITLE_FONT)
    if document.addressee:
        para(document.addressee + "：", align="L")
    for heading, part in document.parts():
        if heading:
            para(heading, align="L", bold=True)
        for paragraph in part.paragraphs:
            para(paragraph, indent=True)
        if part.table:
            table = doc.add_table(rows=1 + len(part.table.rows), cols=len(part.table.header))
            table.style = "Table Grid"
            for r, row in enumerate([part.table.header, *part.table.rows]):
                for c, value in enumerate(row):
                    cell = table.cell(r, c)
                    cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
                    _run(cell.paragraphs[0], str(value), size=12, bold=r == 0)
    para(document.signature or document.issuer, align="R")
    para(format_date(document.dated), align="R")
    if document.copy_to:
        para("抄送：" + "，".join(document.copy_to) + "。", align="L", size=14)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
