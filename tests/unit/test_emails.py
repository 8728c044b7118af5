"""Suggestions for mistyped email addresses: common Dutch and international providers,
swapped or missing letters, a wrong top-level domain, a missing dot; and no suggestion for
an address that is fine."""

from __future__ import annotations

import pytest

from events.services.emails import suggest


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("anna@gmial.con", "anna@gmail.com"),
        ("anna@gmial.com", "anna@gmail.com"),
        ("anna@gmail.con", "anna@gmail.com"),
        ("Kees@Hotmal.com", "kees@hotmail.com"),
        ("kees@hotmail.cm", "kees@hotmail.com"),
        ("kees@hotmailcom", "kees@hotmail.com"),
        ("kees@gmailcom", "kees@gmail.com"),
        ("jan@ziggonl", "jan@ziggo.nl"),
        ("jan@zigo.nl", "jan@ziggo.nl"),
        ("jan@kpnmail.nll", "jan@kpnmail.nl"),
        ("oma@outlok.com", "oma@outlook.com"),
        ("oma@yaho.com", "oma@yahoo.com"),
        ("oma@icloud.co", "oma@icloud.com"),
        ("oma@gmail", "oma@gmail.com"),
    ],
)
def test_typos_get_a_suggestion(typed: str, meant: str) -> None:
    assert suggest(typed) == meant


@pytest.mark.parametrize(
    "fine",
    [
        "anna@gmail.com",
        "kees@hotmail.nl",
        "info@example.org",
        "piet@mail.com",
        "piet@mac.com",
        "juf@school.example",
        "a@web.de",
        "someone@gemeente-zutphen.nl",
        "not an address",
        "",
        "@gmail.con",
    ],
)
def test_good_or_hopeless_addresses_get_none(fine: str) -> None:
    assert suggest(fine) is None
