"""Dates written by ``events.i18n``'s compiled patterns read exactly as Babel writes them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date, format_datetime

from events import i18n

TZ = ZoneInfo("Europe/Amsterdam")
PATTERNS = ("EEE d MMM, HH:mm", "EEEE d MMMM", "EEE d MMM", "HH:mm", "EEEE d MMMM y, HH:mm")


@pytest.mark.parametrize("locale", i18n.LOCALES)
@pytest.mark.parametrize("pattern", PATTERNS)
def test_compiled_patterns_match_babel(locale: str, pattern: str) -> None:
    start = datetime(2026, 1, 1, 0, 7, tzinfo=UTC)
    for hours in range(0, 24 * 366, 11):  # every weekday, month and hour; both DST changes
        moment = start + timedelta(hours=hours)
        expected = format_datetime(moment, pattern, tzinfo=TZ, locale=locale)
        assert i18n.format_pattern(moment, pattern, locale, TZ) == expected


@pytest.mark.parametrize("locale", i18n.LOCALES)
def test_dates_match_babel(locale: str) -> None:
    for days in range(0, 366, 5):
        day = date(2026, 1, 1) + timedelta(days=days)
        expected = format_date(day, "EEEE d MMMM", locale=locale)
        assert i18n.format_pattern(day, "EEEE d MMMM", locale, None) == expected


def test_a_pattern_with_other_fields_falls_back_to_babel() -> None:
    moment = datetime(2026, 3, 14, 18, 30, tzinfo=UTC)
    expected = format_datetime(moment, "QQQ h:mm a zzzz", tzinfo=TZ, locale="en")
    assert i18n.format_pattern(moment, "QQQ h:mm a zzzz", "en", TZ) == expected


def test_formatter_speaks_the_current_language() -> None:
    formatter = i18n.Formatter("Europe/Amsterdam")
    moment = datetime(2026, 3, 14, 18, 30, tzinfo=UTC)
    with i18n.use_locale("nl"):
        assert formatter.moment(moment) == "za 14 mrt, 19:30"
    with i18n.use_locale("en"):
        assert formatter.moment(moment) == "Sat 14 Mar, 19:30"
