"""Languages: Dutch first, English second, through gettext catalogues read with Babel.

Owns the list of locales, the catalogues in ``events/locale/<lang>/LC_MESSAGES/messages.po``,
the per-request current locale (a context variable), and locale-aware date formatting in the
event time zone. Date patterns are compiled once per pattern and the locale's day and month
names read once per locale (Babel re-reads both on every call); a pattern with a field we do
not compile falls back to Babel. Templates get a ``gettext`` that keeps the answer for each
message and locale. Imports no other module of the package.

Message ids are English; the Dutch catalogue translates them, English shows them as written.
"""

from __future__ import annotations

import gettext as stdlib_gettext
import io
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from functools import cache
from pathlib import Path
from typing import cast
from zoneinfo import ZoneInfo

import jinja2
import markupsafe
from babel import Locale
from babel.dates import format_date, format_datetime, parse_pattern
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from jinja2.runtime import Context

LOCALES = ("nl", "en")
DEFAULT_LOCALE = "nl"
LOCALE_DIR = Path(__file__).parent / "locale"

_current: ContextVar[str] = ContextVar("locale", default=DEFAULT_LOCALE)
_catalogues: dict[str, stdlib_gettext.NullTranslations] = {}


def load_catalogues(locale_dir: Path = LOCALE_DIR) -> dict[str, stdlib_gettext.NullTranslations]:
    """Compile each ``messages.po`` in memory (no ``.mo`` files to keep in step)."""
    loaded: dict[str, stdlib_gettext.NullTranslations] = {}
    for locale in LOCALES:
        po = locale_dir / locale / "LC_MESSAGES" / "messages.po"
        if not po.exists():
            loaded[locale] = stdlib_gettext.NullTranslations()
            continue
        with po.open("rb") as fh:
            catalog = read_po(fh, locale=locale)
        buf = io.BytesIO()
        write_mo(buf, catalog)
        buf.seek(0)
        loaded[locale] = stdlib_gettext.GNUTranslations(buf)
    return loaded


def _translations() -> stdlib_gettext.NullTranslations:
    if not _catalogues:
        _catalogues.update(load_catalogues())
    return _catalogues.get(_current.get()) or stdlib_gettext.NullTranslations()


def current_locale() -> str:
    return _current.get()


@contextmanager
def use_locale(locale: str) -> Iterator[None]:
    """Run a block (a request, a mail) in one language."""
    token = _current.set(locale if locale in LOCALES else DEFAULT_LOCALE)
    try:
        yield
    finally:
        _current.reset(token)


def gettext(message: str, **params: object) -> str:
    """Translate into the current language; ``%(name)s`` placeholders are filled from params."""
    text = _translations().gettext(message)
    return text % params if params else text


def ngettext(singular: str, plural: str, n: int, **params: object) -> str:
    text = _translations().ngettext(singular, plural, n)
    return text % {"num": n, **params}


_ = gettext


def mark(message: str) -> str:
    """Mark a string for extraction without translating it yet (translated when shown)."""
    return message


def negotiate(accept_language: str | None) -> str:
    """The best of our locales for an Accept-Language header, Dutch when nothing matches."""
    if not accept_language:
        return DEFAULT_LOCALE
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate(accept_language.split(",")):
        tag, _sep, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        lang = tag.strip().lower().split("-")[0]
        if lang in LOCALES and quality > 0:
            ranked.append((-quality, index, lang))
    return min(ranked)[2] if ranked else DEFAULT_LOCALE


# --- dates --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Names:
    """A locale's day (Monday first) and month (January first) names, as Babel gives them."""

    days: dict[str, tuple[str, ...]]
    months: dict[str, tuple[str, ...]]


@cache
def _names(locale: str) -> _Names:
    data = Locale.parse(locale)
    widths = ("abbreviated", "wide", "narrow", "short")
    days = {w: tuple(data.days["format"][w][i] for i in range(7)) for w in widths}
    months = {w: tuple(data.months["format"][w][i] for i in range(1, 13)) for w in widths[:3]}
    return _Names(days, months)


Field = Callable[[date, _Names], str]
_DAY_WIDTHS = {1: "abbreviated", 2: "abbreviated", 3: "abbreviated", 4: "wide", 5: "narrow"}
_FIELDS: dict[str, Field] = {
    **{
        "E" * n: (lambda w: lambda d, names: names.days[w][d.weekday()])(width)
        for n, width in _DAY_WIDTHS.items()
    },
    "EEEEEE": lambda d, names: names.days["short"][d.weekday()],
    "MMM": lambda d, names: names.months["abbreviated"][d.month - 1],
    "MMMM": lambda d, names: names.months["wide"][d.month - 1],
    "MMMMM": lambda d, names: names.months["narrow"][d.month - 1],
    "M": lambda d, names: str(d.month),
    "MM": lambda d, names: f"{d.month:02d}",
    "d": lambda d, names: str(d.day),
    "dd": lambda d, names: f"{d.day:02d}",
    "y": lambda d, names: str(d.year),
    "yyyy": lambda d, names: f"{d.year:04d}",
}
_TIME_FIELDS: dict[str, Callable[[datetime], str]] = {
    "H": lambda t: str(t.hour),
    "HH": lambda t: f"{t.hour:02d}",
    "m": lambda t: str(t.minute),
    "mm": lambda t: f"{t.minute:02d}",
}


@cache
def _compiled(pattern: str) -> tuple[str, tuple[str, ...]] | None:
    """Babel's parse of a CLDR pattern as a %-format and its fields; None when a field is
    not one we compile (then Babel formats)."""
    template = cast(str, parse_pattern(pattern).format)  # the attribute, not the method
    fields = tuple(re.findall(r"%\((\w+)\)s", template))
    if not all(f in _FIELDS or f in _TIME_FIELDS for f in fields):
        return None
    return template, fields


def format_pattern(value: date | datetime, pattern: str, locale: str, tz: tzinfo | None) -> str:
    """``value`` in ``pattern`` and ``locale``, as ``babel.dates.format_datetime`` (or
    ``format_date`` for a date) would write it; a datetime is shown in ``tz`` (naive ones are
    taken as UTC, as Babel does)."""
    if isinstance(value, datetime) and tz is not None:
        value = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(tz)
    compiled = _compiled(pattern)
    if compiled is None or (not isinstance(value, datetime) and _uses_time(compiled[1])):
        if isinstance(value, datetime):
            return format_datetime(value, pattern, tzinfo=tz, locale=locale)
        return format_date(value, pattern, locale=locale)
    template, fields = compiled
    names = _names(locale)
    values = {}
    for name in fields:
        if name in _FIELDS:
            values[name] = _FIELDS[name](value, names)
        else:
            assert isinstance(value, datetime)
            values[name] = _TIME_FIELDS[name](value)
    return template % values


def _uses_time(fields: tuple[str, ...]) -> bool:
    return any(f in _TIME_FIELDS for f in fields)


class Formatter:
    """Dates and times in one time zone, in the current language ("za 14 mrt, 19:30")."""

    def __init__(self, timezone: str) -> None:
        self.tz = ZoneInfo(timezone)

    def local(self, value: datetime) -> datetime:
        return value.astimezone(self.tz)

    def moment(self, value: datetime) -> str:
        return format_pattern(value, "EEE d MMM, HH:mm", current_locale(), self.tz)

    def day(self, value: date | datetime) -> str:
        if isinstance(value, datetime):
            value = self.local(value).date()
        return format_pattern(value, "EEEE d MMMM", current_locale(), None)

    def short_day(self, value: datetime) -> str:
        return format_pattern(value, "EEE d MMM", current_locale(), self.tz)

    def time(self, value: datetime) -> str:
        return format_pattern(value, "HH:mm", current_locale(), self.tz)

    def full(self, value: datetime) -> str:
        return format_pattern(value, "EEEE d MMMM y, HH:mm", current_locale(), self.tz)


# --- templates ----------------------------------------------------------------------------

_TEMPLATE_TEXTS_LIMIT = 20_000
_template_texts: dict[tuple[str, str, bool], str] = {}


@jinja2.pass_context
def _template_gettext(context: Context, message: str, /, **variables: object) -> str:
    """Jinja2's new-style ``gettext`` (escaped when the template autoescapes, always a format
    string), with the answer for a message without variables kept per locale: a page asks for
    the same labels on every render, and Jinja2's own version builds and formats a ``Markup``
    through two context calls each time."""
    autoescape = bool(context.eval_ctx.autoescape)
    if variables:
        return _newstyle(gettext(message), autoescape, variables)
    key = (_current.get(), message, autoescape)
    found = _template_texts.get(key)
    if found is None:
        if len(_template_texts) >= _TEMPLATE_TEXTS_LIMIT:
            _template_texts.clear()
        found = _template_texts[key] = _newstyle(gettext(message), autoescape, {})
    return found


def _newstyle(text: str, autoescape: bool, variables: Mapping[str, object]) -> str:
    value = markupsafe.Markup(text) if autoescape else text
    return value % variables


def install(env: jinja2.Environment, timezone: str) -> None:
    """Give a Jinja2 environment (pages or mail) our gettext and date formatting."""
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(  # type: ignore[attr-defined]
        lambda message: gettext(message),
        lambda singular, plural, n: ngettext(singular, plural, n),
        newstyle=True,
    )
    env.globals["gettext"] = env.globals["_"] = _template_gettext
    env.globals["fmt"] = Formatter(timezone)


def choices(labels: Mapping[str, str]) -> list[tuple[str, str]]:
    """Translate the labels of a value -> English label mapping, keeping the order."""
    return [(value, gettext(label)) for value, label in labels.items()]
