"""Ticket codes and their QR codes: alphabet, length, entropy, and real decoding."""

from __future__ import annotations

import io
import math

import zxingcpp
from PIL import Image

from events.tickets import ALPHABET, CODE_LENGTH, build_qr_png, group_code, new_code, normalise_code


def test_codes_avoid_look_alikes_and_carry_over_100_bits() -> None:
    assert not set("0O1IL") & set(ALPHABET)
    assert CODE_LENGTH * math.log2(len(ALPHABET)) >= 100
    codes = {new_code() for _ in range(2000)}
    assert len(codes) == 2000 and all(len(c) == CODE_LENGTH for c in codes)
    assert all(set(c) <= set(ALPHABET) for c in codes)


def test_typed_codes_and_scanned_urls_normalise_to_the_code() -> None:
    code = new_code()
    assert normalise_code(group_code(code).lower()) == code
    assert normalise_code(f"https://samen.example.nl/tickets/{code}/") == code


def test_qr_codes_decode_back_to_the_ticket_url() -> None:
    for _ in range(50):
        url = f"https://samen-offline.nl/tickets/{new_code()}"
        image = Image.open(io.BytesIO(build_qr_png(url, box_size=4)))
        (found,) = zxingcpp.read_barcodes(image)
        assert found.text == url
