"""The catalogues keep up with the code: every UI string has Dutch, placeholders survive.

Runs the same check as ``scripts/translations check``, in-process: the script is loaded as a
module, extracts the msgids from the current sources with Babel and compares them with
``events/locale/nl/LC_MESSAGES/messages.po``. A red test here means: run
``scripts/translations update`` and translate what it lists (see docs/translations.md).
"""

from __future__ import annotations

import functools
import importlib.machinery
import importlib.util
from pathlib import Path
from types import ModuleType

from babel.messages.catalog import Catalog

from events import i18n

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "translations"


@functools.cache
def _script() -> ModuleType:
    loader = importlib.machinery.SourceFileLoader("scripts_translations", str(SCRIPT))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


@functools.cache
def _template() -> Catalog:
    template: Catalog = _script().extract()
    return template


def _problems(locale: str) -> list[str]:
    script = _script()
    found: list[str] = script.problems(
        _template(), script.read_catalogue(locale), required=locale == script.REQUIRED
    )
    return found


def test_sources_have_strings_to_translate() -> None:
    ids = {m.id for m in _template() if m.id}
    assert "We could not find this page" in ids
    assert len(ids) > 50


def test_every_ui_string_has_a_dutch_translation() -> None:
    missing = [p for p in _problems("nl") if not p.startswith(("placeholders", "a lone %"))]
    assert not missing, (
        "Run scripts/translations update, then translate these in "
        "events/locale/nl/LC_MESSAGES/messages.po:\n  " + "\n  ".join(missing)
    )


def test_placeholders_match_in_every_language() -> None:
    wrong = [
        f"{locale}: {p}"
        for locale in _script().LOCALES
        for p in _problems(locale)
        if p.startswith(("placeholders", "a lone %"))
    ]
    assert not wrong, "\n".join(wrong)


def test_the_check_finds_untranslated_fuzzy_and_broken_entries() -> None:
    script = _script()
    template = Catalog()
    for msgid in ("Fine", "Empty", "Unsure", "Hello %(name)s", "Gone"):
        template.add(msgid)
    template.add(("%(num)s place", "%(num)s places"))
    catalogue = Catalog(locale="nl")
    catalogue.add("Fine", "Goed")
    catalogue.add("Empty", "")
    catalogue.add("Unsure", "Twijfel", flags=["fuzzy"])
    catalogue.add("Hello %(name)s", "Hallo %(naam)s")
    catalogue.add(("%(num)s place", "%(num)s places"), ("%(num)s plek", "100% vol"))

    found = script.problems(template, catalogue)

    assert "untranslated: 'Empty'" in found
    assert "fuzzy: 'Unsure'" in found
    assert "placeholders %(naam)s instead of %(name)s: 'Hello %(name)s'" in found
    assert "placeholders none instead of %(num)s: '%(num)s place'" in found
    assert "a lone % (write %% for a percent sign): '%(num)s place'" in found
    assert any(p.startswith("not in messages.po") and "'Gone'" in p for p in found)
    assert not any("'Fine'" in p for p in found)


def test_dutch_is_translated_and_english_shows_the_msgid() -> None:
    with i18n.use_locale("nl"):
        assert i18n.gettext("We could not find this page") == "We konden deze pagina niet vinden"
        assert i18n.gettext("Sign in") == "Inloggen"
    with i18n.use_locale("en"):
        assert i18n.gettext("We could not find this page") == "We could not find this page"
        assert i18n.gettext("Sign in") == "Sign in"


def test_every_dutch_translation_fills_its_placeholders() -> None:
    catalogue = i18n.load_catalogues()["nl"]
    for message in _template():
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        names = {n for msgid in ids for n in _script()._NAMED.findall(msgid)}
        if not names:
            continue
        params = {name: 9001 + i for i, name in enumerate(sorted(names))}
        if len(ids) > 1:
            for n in (1, 2):
                text = catalogue.ngettext(ids[0], ids[1], n) % {**params, "num": n}
                assert "%" not in text, (ids, text)
        else:
            text = catalogue.gettext(ids[0]) % params
            assert all(str(value) in text for value in params.values()), (ids[0], text)
