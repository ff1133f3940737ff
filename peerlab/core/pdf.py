"""PDF documents from plain blocks: headings, paragraphs, lists and tables, in Fira Sans.

A feature maps its content to a `Document` (all text already translated, no database objects),
and `render_pdf` turns it into bytes. Rendering needs no app context, so under gevent it runs
in the hub's thread pool: a long document never stops the event loop that carries live rounds.

The font is Fira Sans (KERN UX's typeface) as TrueType from the npm package
`@expo-google-fonts/fira-sans` (SIL Open Font License 1.1), copied into static/vendor/pdf-fonts
by scripts/build_assets.py; it covers Latin Extended-A (ł, ş, ő …) and German quotation marks.

A PDF made here is a copy to print or file: it carries title, language and an outline, but it
is not a tagged PDF. The HTML page it comes from stays the accessible version.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

# fpdf2 names every character the font lacks in a warning: that would put pieces of people's
# topics into the server log. Those characters are left out of the PDF; the page shows them.
logging.getLogger("fpdf.output").setLevel(logging.ERROR)

ROOT = Path(__file__).resolve().parents[2]
FONT_DIR = ROOT / "static" / "vendor" / "pdf-fonts"
FAMILY = "FiraSans"
FONT_FILES = {"": "FiraSans-Regular.ttf", "B": "FiraSans-SemiBold.ttf"}

TEXT_SIZE = 10.5
LINE = 5.2  # mm per text line
HEADING_SIZES = {1: 18, 2: 14, 3: 12}
INK = (26, 26, 26)
MUTED = (80, 80, 80)
ACCENT = (18, 53, 105)
RULE = (170, 170, 170)
PAGES_ALIAS = "{peerlab-pages}"  # replaced by the page count; fpdf2's "{nb}" could be a topic
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")  # a tab and the like: a space (no glyph)


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 2  # 1 = the document's title, 2 = section, 3 = item


@dataclass(frozen=True)
class Paragraph:
    text: str
    muted: bool = False
    link: str = ""  # the whole paragraph links there (e.g. the accessible page)


@dataclass(frozen=True)
class BulletList:
    items: Sequence[str]
    label: str = ""  # a short bold line above the list ("Erkenntnisse")


@dataclass(frozen=True)
class Table:
    header: Sequence[str]
    rows: Sequence[Sequence[str]]
    widths: Sequence[int] = ()  # relative column widths; equal when empty
    label: str = ""


Block = Heading | Paragraph | BulletList | Table


@dataclass
class Document:
    title: str
    lang: str  # "de" or "en": the PDF's /Lang
    created_at: datetime  # from the caller's clock, so the file does not depend on today
    page_label: str = "{page} / {pages}"  # footer; {page} and {pages} are filled in
    blocks: list[Block] = field(default_factory=list)

    def add(self, *blocks: Block) -> Document:
        self.blocks.extend(blocks)
        return self


class MissingFont(RuntimeError):
    """The TrueType files are not built (run `make assets`)."""


def render(doc: Document, *, font_dir: Path = FONT_DIR) -> bytes:
    """The document as PDF bytes (pure CPU work: no app context, no database)."""
    from fpdf import FPDF

    class _Pdf(FPDF):
        def footer(self) -> None:
            self.set_y(-14)
            self.set_font(FAMILY, "", 8.5)
            self.set_text_color(*MUTED)
            label = doc.page_label.format(page=self.page_no(), pages=PAGES_ALIAS)
            self.cell(0, 6, label, align="R")

    pdf = _Pdf(format="A4", unit="mm")
    pdf.alias_nb_pages(PAGES_ALIAS)
    pdf.set_margins(20, 18, 20)
    pdf.set_auto_page_break(auto=True, margin=20)
    for style, name in FONT_FILES.items():
        path = font_dir / name
        if not path.exists():
            raise MissingFont(f"{path} is missing: run `make assets`")
        pdf.add_font(FAMILY, style, str(path))
    pdf.set_lang(doc.lang)
    pdf.set_title(doc.title)
    pdf.set_creator("peerlab")
    pdf.set_creation_date(doc.created_at)
    pdf.set_display_mode("fullwidth")
    pdf.add_page()
    for block in doc.blocks:
        _BLOCKS[type(block)](pdf, block)
    return bytes(pdf.output())


def _text(pdf, size: float = TEXT_SIZE, style: str = "", color=INK) -> None:
    pdf.set_font(FAMILY, style, size)
    pdf.set_text_color(*color)


def _lines(pdf, text: str, *, indent: float = 0, height: float = LINE, link: str = "") -> None:
    from fpdf.enums import XPos, YPos

    pdf.set_x(pdf.l_margin + indent)
    pdf.multi_cell(
        0,
        height,
        _CONTROL.sub(" ", text),
        align="L",
        link=link or None,
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )


def _heading(pdf, block: Heading) -> None:
    size = HEADING_SIZES.get(block.level, TEXT_SIZE)
    # Keep a heading with at least three lines of what follows it.
    if pdf.get_y() + size * 0.5 + 3 * LINE > pdf.page_break_trigger:
        pdf.add_page()
    pdf.ln(2 if block.level >= 3 else 4)
    if block.level > 1:
        pdf.start_section(block.text, level=block.level - 2)
    _text(pdf, size, "B", ACCENT if block.level < 3 else INK)
    _lines(pdf, block.text, height=size * 0.5)
    pdf.ln(1.5)


def _paragraph(pdf, block: Paragraph) -> None:
    _text(pdf, TEXT_SIZE, "", MUTED if block.muted else INK)
    _lines(pdf, block.text, link=block.link)
    pdf.ln(1.5)


def _label(pdf, label: str) -> None:
    if label:
        _text(pdf, TEXT_SIZE, "B")
        _lines(pdf, label)
        pdf.ln(0.5)


def _bullets(pdf, block: BulletList) -> None:
    _label(pdf, block.label)
    for item in block.items:
        _text(pdf)
        pdf.set_x(pdf.l_margin + 2)
        pdf.cell(4, LINE, "•")
        _lines(pdf, item, indent=6)
        pdf.ln(0.6)
    pdf.ln(1.5)


def _table(pdf, block: Table) -> None:
    _label(pdf, block.label)
    _text(pdf, TEXT_SIZE - 0.5)
    widths = tuple(block.widths) or (1,) * len(block.header)
    pdf.set_draw_color(*RULE)
    pdf.set_line_width(0.2)
    with pdf.table(
        col_widths=widths,
        text_align="LEFT",
        line_height=LINE,
        padding=1.2,
        headings_style=_heading_style(),
        first_row_as_headings=True,
    ) as table:
        for values in (block.header, *block.rows):
            row = table.row()
            for value in values:
                row.cell(_CONTROL.sub(" ", value))
    pdf.ln(2)


def _heading_style():
    from fpdf.fonts import FontFace

    return FontFace(emphasis="BOLD", fill_color=(235, 238, 244))


_BLOCKS = {Heading: _heading, Paragraph: _paragraph, BulletList: _bullets, Table: _table}


_POOL = None  # gevent's thread pool for PDFs, made on first use (only in gevent mode)
POOL_SIZE = 2  # at most two documents at once: the event loop keeps its share of the GIL


def render_pdf(doc: Document, *, async_mode: str) -> bytes:
    """Render without blocking the event loop: under gevent in a small pool of OS threads of its
    own (this greenlet waits, every other one goes on; gevent's own pool stays free for DNS),
    otherwise right here (threading mode: this request has its own thread anyway)."""
    if async_mode != "gevent":
        return render(doc)
    global _POOL
    if _POOL is None:
        from gevent.threadpool import ThreadPool

        _POOL = ThreadPool(POOL_SIZE)
    return _POOL.apply(render, (doc,))


# Letters NFKD does not take apart, and the German spelling of umlauts without them.
_ASCII = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss", "Ł": "L",
     "ł": "l", "Đ": "D", "đ": "d", "Ø": "O", "ø": "o", "Æ": "Ae", "æ": "ae", "Œ": "Oe",
     "œ": "oe", "ı": "i"}
)  # fmt: skip
_NOT_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_filename(name: str) -> str:
    """`name` with everything but letters, digits, dot, dash and underscore replaced by `-`."""
    return re.sub(r"[^\w.-]+", "-", unicodedata.normalize("NFC", name)).strip("-._")


def download_disposition(filename: str) -> str:
    """`Content-Disposition` of a download: an ASCII name for old clients ("Waermeplanung",
    not "Wrmeplanung") and the real one as RFC 6266 `filename*`."""
    plain = unicodedata.normalize("NFKD", filename.translate(_ASCII))
    plain = plain.encode("ascii", "ignore").decode()
    plain = _NOT_SAFE.sub("-", plain).strip("-") or "download.pdf"
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(filename, safe='')}"
