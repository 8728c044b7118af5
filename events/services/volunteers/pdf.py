"""A small PDF writer for one-page documents: lines of text in Helvetica (regular or bold),
a link, and a QR code drawn as vector squares. Enough for a statement of hours, without a
PDF library: PDF 1.4, the standard fonts with WinAnsiEncoding (so Dutch accents work and
text can be searched and copied), uncompressed content so a reader can check it.

Pure: imports only the standard library and ``qrcode`` (already used for tickets); takes
plain values, does no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import qrcode

PAGE_WIDTH, PAGE_HEIGHT = 595, 842  # A4 in points
MARGIN = 56
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN


@dataclass(frozen=True)
class Line:
    """One paragraph: wrapped to the page width, ``space`` points above it."""

    text: str
    size: float = 11
    bold: bool = False
    space: float = 4
    link: str | None = None


def _width(text: str, size: float) -> float:
    """An estimate of Helvetica's width of ``text`` (wide enough never to overrun)."""
    total = 0.0
    for char in text:
        if char == " ":
            total += 0.278
        elif char.isupper() or char in "mwMW@%":
            total += 0.72
        elif char.isdigit():
            total += 0.556
        elif char in "iljtf.,:;'!|()[]":
            total += 0.3
        else:
            total += 0.556
    return total * size


def wrap(text: str, size: float, width: float = TEXT_WIDTH) -> list[str]:
    """Words to lines no wider than ``width``; a word longer than a line is cut."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if _width(candidate, size) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        while _width(word, size) > width:
            cut = max(1, int(len(word) * width / _width(word, size)))
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current or not lines:
        lines.append(current)
    return lines


def _literal(text: str) -> bytes:
    """A PDF string literal in WinAnsiEncoding (cp1252); other characters become '?'."""
    raw = text.encode("cp1252", "replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _qr_squares(data: str, *, x: float, y: float, size: float) -> bytes:
    matrix = qrcode.QRCode(border=0, error_correction=qrcode.constants.ERROR_CORRECT_M)
    matrix.add_data(data)
    matrix.make(fit=True)
    cells = matrix.get_matrix()
    cell = size / len(cells)
    out = [b"0 g"]
    for row, values in enumerate(cells):
        for column, dark in enumerate(values):
            if dark:
                left, top = x + column * cell, y + size - (row + 1) * cell
                out.append(f"{left:.2f} {top:.2f} {cell:.2f} {cell:.2f} re".encode())
    out.append(b"f")
    return b"\n".join(out)


def build_pdf(
    lines: Sequence[Line], *, title: str, qr_data: str | None = None, qr_size: float = 110
) -> bytes:
    """One A4 page with these paragraphs from the top, and the QR code (if any) at the
    bottom right. Text past the bottom of the page is cut off: callers keep it short."""
    content: list[bytes] = []
    annotations: list[tuple[float, float, float, float, str]] = []
    y: float = PAGE_HEIGHT - MARGIN
    for line in lines:
        y -= line.space
        font = b"/F2" if line.bold else b"/F1"
        for part in wrap(line.text, line.size):
            y -= line.size * 1.3
            if y < MARGIN:
                break
            content.append(
                b"BT " + font + f" {line.size:g} Tf {MARGIN} {y:.2f} Td ".encode()
                + _literal(part) + b" Tj ET"
            )  # fmt: skip
            if line.link:
                width = _width(part, line.size)
                annotations.append((MARGIN, y - 2, MARGIN + width, y + line.size, line.link))
    if qr_data:
        content.append(
            _qr_squares(qr_data, x=PAGE_WIDTH - MARGIN - qr_size, y=MARGIN, size=qr_size)
        )
    stream = b"\n".join(content)
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"",  # the page, filled in below once the annotations have numbers
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Title " + _literal(title) + b" /Producer (Samen Offline) >>",
    ]
    annotation_refs = []
    for left, bottom, right, top, uri in annotations:
        objects.append(
            f"<< /Type /Annot /Subtype /Link /Border [0 0 0] "
            f"/Rect [{left:.2f} {bottom:.2f} {right:.2f} {top:.2f}] /A << /S /URI /URI ".encode()
            + _literal(uri) + b" >> >>"
        )  # fmt: skip
        annotation_refs.append(f"{len(objects)} 0 R".encode())
    objects[2] = (
        b"<< /Type /Page /Parent 2 0 R "
        + f"/MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] ".encode()
        + b"/Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R"
        + (b" /Annots [" + b" ".join(annotation_refs) + b"]" if annotation_refs else b"")
        + b" >>"
    )
    return _assemble(objects, info=7)


def _assemble(objects: list[bytes], *, info: int) -> bytes:
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info {info} 0 R >>\n"
        f"startxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(out)
