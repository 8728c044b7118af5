"""Ticket codes and their QR images: pure builders, no ORM, no HTTP.

A code is 22 characters from a 31-letter alphabet without look-alikes (no 0/O, 1/I/L):
about 109 bits from ``secrets``. Shown grouped in fours so a host can read it aloud.
"""

from __future__ import annotations

import io
import secrets

import qrcode
import qrcode.constants
from PIL import Image
from qrcode.image.svg import SvgPathImage

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 22


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def group_code(code: str) -> str:
    """``ABCDEFGH…`` -> ``ABCD EFGH …`` for reading aloud and paper."""
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalise_code(typed: str) -> str:
    """What a host typed or a scanner read -> the stored form: the code alone, upper case,
    without spaces; a full ticket URL is accepted too."""
    tail = typed.strip().rstrip("/").rsplit("/", 1)[-1]
    return "".join(ch for ch in tail.upper() if ch.isalnum())


# Choosing the best of the 8 masks builds the symbol 9 times and was most of a sign-up's
# time. For our ticket URLs mask 3 is the best in 85% of codes and has the lowest average
# penalty; every decoder reads any mask.
MASK_PATTERN = 3


def _qr(data: str) -> qrcode.QRCode:
    qr = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=4,
        box_size=10,
        mask_pattern=MASK_PATTERN,
    )
    qr.add_data(data)
    qr.make(fit=True)
    return qr


def build_qr_png(data: str, *, box_size: int = 10) -> bytes:
    """A black-on-white PNG, ``box_size`` pixels per module (quiet zone included): one pixel
    per module, scaled up (qrcode's own drawing of each module as a rectangle was slower
    than the rest of a sign-up)."""
    matrix = _qr(data).get_matrix()
    size = len(matrix)
    image = Image.new("1", (size, size))
    image.putdata([0 if dark else 1 for row in matrix for dark in row])
    image = image.resize((size * box_size, size * box_size), Image.Resampling.NEAREST)
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()


def build_qr_svg(data: str) -> str:
    """An SVG with a viewBox, so it scales to any size on screen or paper."""
    image = _qr(data).make_image(image_factory=SvgPathImage)
    svg: str = image.to_string(encoding="unicode")
    return svg
