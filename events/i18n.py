"""Languages: Dutch first, English second, through gettext catalogues read with Babel.

Owns the list of locales, the catalogues in ``events/locale/<lang>/LC_MESSAGES/messages.po``,
the per-request current locale (a context variable), and locale-aware date formatting in the
event time zone. Imports no other module of the package.

Message ids are English; the Dutch catalogue translates them, English shows them as written.
"""

from __future__ import annotations

import gettext as stdlib_gettext
import io
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import jinja2
from babel.dates import format_date, format_datetime, format_time
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

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


class Formatter:
    """Dates and times in one time zone, in the current language ("za 14 mrt, 19:30")."""

    def __init__(self, timezone: str) -> None:
        self.tz = ZoneInfo(timezone)

    def local(self, value: datetime) -> datetime:
        return value.astimezone(self.tz)

    def moment(self, value: datetime) -> str:
        return format_datetime(value, "EEE d MMM, HH:mm", tzinfo=self.tz, locale=current_locale())

    def day(self, value: date | datetime) -> str:
        if isinstance(value, datetime):
            value = self.local(value).date()
        return format_date(value, "EEEE d MMMM", locale=current_locale())

    def short_day(self, value: datetime) -> str:
        return format_datetime(value, "EEE d MMM", tzinfo=self.tz, locale=current_locale())

    def time(self, value: datetime) -> str:
        return format_time(value, "HH:mm", tzinfo=self.tz, locale=current_locale())

    def full(self, value: datetime) -> str:
        return format_datetime(
            value, "EEEE d MMMM y, HH:mm", tzinfo=self.tz, locale=current_locale()
        )


def install(env: jinja2.Environment, timezone: str) -> None:
    """Give a Jinja2 environment (pages or mail) our gettext and date formatting."""
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(  # type: ignore[attr-defined]
        lambda message: gettext(message),
        lambda singular, plural, n: ngettext(singular, plural, n),
        newstyle=True,
    )
    env.globals["fmt"] = Formatter(timezone)


def choices(labels: Mapping[str, str]) -> list[tuple[str, str]]:
    """Translate the labels of a value -> English label mapping, keeping the order."""
    return [(value, gettext(label)) for value, label in labels.items()]
