"""Templates' ``gettext`` from ``events.i18n.install`` answers as Jinja2's new-style one does
(escaping, ``%`` formatting, ``{% trans %}`` blocks), in the current language."""

from __future__ import annotations

import jinja2
import pytest

from events import i18n

SOURCES = (
    '{{ _("We could not find this page") }}',
    '{{ _("100%% sure") }}',
    '{{ _("Hello %(name)s", name=who) }}',
    '{{ gettext("Hello %(name)s", name=who) }}',
    "{% trans %}Hello {{ who }}{% endtrans %}",
    "{% trans num=3 %}one place{% pluralize %}{{ num }} places{% endtrans %}",
    '{{ _("<b>bold</b>") }}',
)


def environment(autoescape: bool, ours: bool) -> jinja2.Environment:
    env = jinja2.Environment(autoescape=autoescape, extensions=["jinja2.ext.i18n"])
    if ours:
        i18n.install(env, "Europe/Amsterdam")
    else:
        env.install_gettext_callables(  # type: ignore[attr-defined]
            lambda m: i18n.gettext(m), lambda s, p, n: i18n.ngettext(s, p, n), newstyle=True
        )
    return env


@pytest.mark.parametrize("autoescape", [True, False])
@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("locale", i18n.LOCALES)
def test_same_answers_as_jinja2(source: str, autoescape: bool, locale: str) -> None:
    ours = environment(autoescape, ours=True).from_string(source)
    theirs = environment(autoescape, ours=False).from_string(source)
    with i18n.use_locale(locale):
        for _ in range(2):  # the second answer comes from the kept one
            assert ours.render(who="<Ann>") == theirs.render(who="<Ann>")


def test_answers_follow_the_current_language() -> None:
    template = environment(True, ours=True).from_string(SOURCES[0])
    with i18n.use_locale("nl"):
        assert template.render() == "We konden deze pagina niet vinden"
    with i18n.use_locale("en"):
        assert template.render() == "We could not find this page"
