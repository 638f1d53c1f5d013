"""Open a real PDF the way a reader would: text, metadata, outline, validity, rendering."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

from PIL import Image
from pypdf import PdfReader

from tests.conftest import SCRATCH

PAGES = SCRATCH / "report-pages"
BIDI_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def squash(text: str) -> str:
    """Text without white space or direction marks, so words wrapped across lines still match."""
    return re.sub(r"\s+", "", BIDI_MARKS.sub("", text))


class Pdf:
    def __init__(self, data: bytes, folder: Path):
        assert data.startswith(b"%PDF-"), data[:40]
        self.data = data
        self.reader = PdfReader(io.BytesIO(data))
        self.path = folder / "report.pdf"
        self.path.write_bytes(data)
        # poppler's pdftotext puts right-to-left runs back in logical order, as a reader copying text would get them.
        done = subprocess.run(["pdftotext", "-enc", "UTF-8", str(self.path), "-"], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        self.text = done.stdout
        self.flat = squash(self.text)

    @property
    def pages(self) -> int:
        return len(self.reader.pages)

    def has(self, text: str) -> bool:
        """Whether the text appears, ignoring line wrapping."""
        return squash(text) in self.flat

    def outline_titles(self) -> list[str]:
        return [title for title, _ in self.outline()]

    def outline(self) -> list[tuple[str, int]]:
        """Each outline entry in reading order with the page (from 1) it opens."""
        found = []

        def walk(items):
            for item in items:
                if isinstance(item, list):
                    walk(item)
                else:
                    found.append((item.title, self.reader.get_destination_page_number(item) + 1))

        walk(self.reader.outline)
        return found

    def section_starts(self) -> set[int]:
        """The pages (from 1) where a top-level section of the outline begins."""
        return {self.reader.get_destination_page_number(i) + 1 for i in self.reader.outline if not isinstance(i, list)}

    @staticmethod
    def filled(png: Path) -> float:
        """How far down its body a rendered page is printed: 0 for an empty body, 1 when the text reaches the bottom
        margin (the body lies between 18 mm from the top and 16 mm from the bottom of an A4 page)."""
        image = Image.open(png).convert("L")
        width, height = image.size
        top, bottom = round(height * 18 / 297), round(height * (297 - 16) / 297)
        inked = [y for y in range(top, bottom) if image.crop((0, y, width, y + 1)).getextrema()[0] < 200]
        return (max(inked) - top) / (bottom - top) if inked else 0.0

    def qpdf_check(self) -> subprocess.CompletedProcess:
        return subprocess.run(["qpdf", "--check", str(self.path)], capture_output=True, text=True)

    def render(self, resolution: int = 40, keep_as: str = "") -> list[Path]:
        """Render every page to PNG with pdftoppm; fails on any rendering error. With `keep_as`, the pages are
        written for review to tribewise-tests/report-pages/<keep_as>-N.png in the temporary folder instead."""
        prefix = self.path.with_suffix("")
        if keep_as:
            prefix = PAGES / keep_as
            PAGES.mkdir(parents=True, exist_ok=True)
            for old in PAGES.glob(keep_as + "-*.png"):
                old.unlink()
        done = subprocess.run(
            ["pdftoppm", "-r", str(resolution), "-png", str(self.path), str(prefix)], capture_output=True, text=True
        )
        assert done.returncode == 0 and not done.stderr.strip(), done.stderr
        return sorted(prefix.parent.glob(prefix.name + "-*.png"))
