"""Our own conversation starters and how each table card gets its own."""

from __future__ import annotations

import itertools
import re

import pytest

from events import starters


def test_at_least_forty_starters_in_dutch_and_english() -> None:
    assert len(starters.STARTERS) >= 40
    for nl, en in starters.STARTERS:
        assert nl.endswith("?") and en.endswith("?")
        assert nl != en and 10 < len(nl) <= 120 and 10 < len(en) <= 120
    assert len({nl for nl, _ in starters.STARTERS}) == len(starters.STARTERS)
    assert len({en for _, en in starters.STARTERS}) == len(starters.STARTERS)


def test_no_starter_needs_a_phone_or_asks_about_income_or_health() -> None:
    words = r"\b(instagram|tiktok|app|selfie|salary|salaris|earn|verdien|ziek|ill|weight)\b"
    for pair in starters.STARTERS:
        for text in pair:
            assert not re.search(words, text.lower()), text


def test_locale_picks_the_language_and_falls_back_to_dutch() -> None:
    assert starters.builtin("en")[0] == starters.STARTERS[0][1]
    assert starters.builtin("nl")[0] == starters.STARTERS[0][0]
    assert starters.builtin("fy") == starters.builtin("nl")


def test_every_table_and_round_gets_different_starters() -> None:
    cards = {
        (t, r): starters.starters_for(t, r, locale="nl", seed=7, tables=5)
        for t, r in itertools.product(range(1, 6), range(1, 4))
    }
    assert all(len(card) == 3 and len(set(card)) == 3 for card in cards.values())
    seen = [text for card in cards.values() for text in card]
    assert len(seen) == len(set(seen))  # 45 starters, none twice while the pool lasts


def test_without_table_count_cards_still_differ() -> None:
    cards = [
        tuple(starters.starters_for(t, r, locale="en", seed=1))
        for t, r in itertools.product(range(1, 8), range(1, 5))
    ]
    assert len(set(cards)) == len(cards)


def test_same_arguments_same_starters_and_seed_changes_them() -> None:
    one = starters.starters_for(2, 1, locale="nl", seed=3)
    assert one == starters.starters_for(2, 1, locale="nl", seed=3)
    assert one != starters.starters_for(2, 1, locale="nl", seed=4)


def test_organisation_starters_are_mixed_in() -> None:
    extra = [f"Eigen vraag {i}?" for i in range(10)]
    cards = [
        starters.starters_for(t, r, locale="nl", extra=extra, seed=2, tables=6)
        for t, r in itertools.product(range(1, 7), range(1, 4))
    ]
    shown = {text for card in cards for text in card}
    assert shown & set(extra)
    assert shown - set(extra)
    blank = starters.starters_for(1, 1, locale="nl", extra=["  ", ""], seed=2)
    assert all(text.strip() for text in blank)


def test_small_pool_and_bad_numbers() -> None:
    card = starters.starters_for(1, 1, locale="nl", per_table=100, seed=0)
    assert len(card) == len(starters.STARTERS) == len(set(card))
    with pytest.raises(ValueError):
        starters.starters_for(0, 1, locale="nl")
