"""core.pdf: blocks in, a PDF with embedded Fira Sans out; under gevent the rendering leaves the
event loop running."""

from __future__ import annotations

import io
import logging
import subprocess
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import pypdf
import pytest

from peerlab.core import pdf

ROOT = Path(__file__).resolve().parents[2]
WHEN = datetime(2026, 3, 4, 9, 30, tzinfo=UTC)


def sample(paragraphs: int = 3) -> pdf.Document:
    doc = pdf.Document("Programmbericht", "de", WHEN, page_label="Seite {page} von {pages}")
    doc.add(pdf.Heading("Programmbericht", level=1), pdf.Heading("Şahin – „Wärmeplanung“, Łódź"))
    for n in range(paragraphs):
        doc.add(pdf.Paragraph(f"Absatz {n}: " + "Gemeinde " * 60))
    doc.add(
        pdf.BulletList(["Kitaplätze", "Ölheizung ersetzen – ĳ ő ű"], label="Punkte"),
        pdf.Table(("Aufgabe", "Wer"), [("Förderantrag", "Zoë Müller")], widths=(3, 1)),
    )
    return doc


def text_of(body: bytes) -> tuple[pypdf.PdfReader, str]:
    reader = pypdf.PdfReader(io.BytesIO(body))
    return reader, " ".join(" ".join(p.extract_text() for p in reader.pages).split())


def test_blocks_title_language_and_page_numbers():
    reader, text = text_of(pdf.render(sample(paragraphs=8)))
    assert len(reader.pages) == 2
    for expected in (
        "Şahin – „Wärmeplanung“, Łódź",
        "Kitaplätze",
        "Ölheizung ersetzen – ĳ ő ű",
        "Förderantrag",
        "Zoë Müller",
        "Seite 1 von 2",
        "Seite 2 von 2",
    ):
        assert expected in text, expected
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "de" and reader.metadata.title == "Programmbericht"
    assert reader.metadata["/CreationDate"].startswith("D:20260304093000")  # from the clock
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert fonts and all("FiraSans" in name for name in fonts)  # embedded, no core font


def test_a_missing_font_says_what_to_do(tmp_path):
    with pytest.raises(pdf.MissingFont, match="make assets"):
        pdf.render(sample(), font_dir=tmp_path)


def test_download_names():
    assert pdf.safe_filename(' Runde "A/B" ') == "Runde-A-B"
    assert pdf.download_disposition("Bericht-Łódź-Straße.pdf") == (
        'attachment; filename="Bericht-Lodz-Strasse.pdf"; '
        "filename*=UTF-8''Bericht-%C5%81%C3%B3d%C5%BA-Stra%C3%9Fe.pdf"
    )


TICKER = textwrap.dedent(
    """
    import sys, time
    import gevent
    from tests.core.test_pdf import sample
    from peerlab.core import pdf

    ticks = []

    def tick():
        while True:
            ticks.append(time.monotonic())
            gevent.sleep(0.005)

    gevent.spawn(tick)
    gevent.sleep(0.05)
    pdf.render(sample())  # warm the imports: measure rendering only
    start = time.monotonic()
    body = pdf.render_pdf(sample(paragraphs=100), async_mode=sys.argv[1])
    end = time.monotonic()
    assert body.startswith(b"%PDF")
    print(sum(start < t < end for t in ticks), round(end - start, 3))
    """
)


def ticks_during_render(mode: str) -> tuple[int, float]:
    out = subprocess.run(
        [sys.executable, "-c", TICKER, mode],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout.split()
    return int(out[0]), float(out[1])


def test_under_gevent_rendering_leaves_the_event_loop_running():
    """Another greenlet (a live round) keeps running while a long PDF renders; called in the
    greenlet itself (as in threading mode) the same rendering stops it."""
    ticks, seconds = ticks_during_render("gevent")
    assert seconds > 0.1 and ticks >= 5, (ticks, seconds)
    blocked, _seconds = ticks_during_render("threading")
    assert blocked == 0


def test_characters_the_font_lacks_stay_out_of_the_log(caplog):
    """fpdf2 would name each missing glyph: pieces of a topic must not reach the server log."""
    doc = pdf.Document("Bericht", "de", WHEN)
    doc.add(pdf.Paragraph("Partnerstadt 北京 🙂\tTabulator"), pdf.Table(("A",), [("東京",)]))
    with caplog.at_level(logging.DEBUG):
        _reader, text = text_of(pdf.render(doc))
    assert "Partnerstadt" in text and "Tabulator" in text
    assert not any(ch in caplog.text for ch in "北京🙂東")
