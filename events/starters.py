"""Conversation starters: our own questions for the table cards, in Dutch and English, and
the choice of which ones each table gets in each round.

Owns ``STARTERS`` (content, not interface text: they do not go through gettext) and
``starters_for``. Pure: imports only the standard library; no database, no clock.

The questions suit a 15-year-old and an 80-year-old at one table: memories, places, music,
food, advice, firsts and the future. None of them needs a phone, asks what someone earns, about
health, family status or looks, or has a right answer.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

LOCALES = ("nl", "en")

STARTERS: tuple[tuple[str, str], ...] = (
    # (Dutch, English)
    (
        "Wat was het eerste dat je ooit met je eigen geld kocht?",
        "What was the first thing you ever bought with your own money?",
    ),
    (
        "Welk liedje zet je op als je vrolijk wilt worden?",
        "Which song do you put on when you want to cheer up?",
    ),
    (
        "Wat kun je goed dat bijna niemand van je weet?",
        "What are you good at that hardly anyone knows about?",
    ),
    (
        "Welk gerecht uit je jeugd zou je nu nog willen eten?",
        "Which dish from your childhood would you still love to eat?",
    ),
    (
        "Wat is het beste advies dat je ooit hebt gekregen?",
        "What is the best advice anyone ever gave you?",
    ),
    (
        "Welke plek in deze buurt of dit dorp betekent iets voor jou?",
        "Which place in this neighbourhood or village means something to you?",
    ),
    (
        "Waar speelde je het liefst toen je tien was?",
        "Where did you most like to play when you were ten?",
    ),
    (
        "Wat zou je graag nog eens willen leren?",
        "What would you still love to learn?",
    ),
    (
        "Welk boek, film of verhaal is je altijd bijgebleven?",
        "Which book, film or story has always stayed with you?",
    ),
    (
        "Wat was je eerste baantje of klusje, en wat leerde je ervan?",
        "What was your first job or chore, and what did it teach you?",
    ),
    (
        "Welk geluid doet je meteen aan vroeger denken?",
        "Which sound takes you straight back to the past?",
    ),
    (
        "Als je één dag terug in de tijd kon, welke dag zou je kiezen?",
        "If you could go back in time for one day, which day would you pick?",
    ),
    (
        "Wat hoop je dat er over twintig jaar nog steeds bestaat?",
        "What do you hope will still be around in twenty years?",
    ),
    (
        "Welk spel speelde je vroeger eindeloos?",
        "Which game did you play endlessly when you were younger?",
    ),
    (
        "Wie was je held of heldin toen je klein was?",
        "Who was your hero when you were little?",
    ),
    (
        "Wat maakt een dag voor jou een goede dag?",
        "What makes a day a good day for you?",
    ),
    (
        "Welke uitvinding vind jij het handigst, behalve de telefoon?",
        "Which invention do you find most useful, apart from the phone?",
    ),
    (
        "Wat is het mooiste cadeau dat je ooit hebt gekregen of gegeven?",
        "What is the nicest present you ever received or gave?",
    ),
    (
        "Welke traditie in je familie of vriendengroep vind je het leukst?",
        "Which tradition with your family or friends do you like best?",
    ),
    (
        "Wat zou je een tiener van nu willen meegeven?",
        "What would you like to pass on to a teenager today?",
    ),
    (
        "Wat zou je iemand van tachtig willen vragen?",
        "What would you like to ask someone who is eighty?",
    ),
    (
        "Waar ben je trots op, groot of klein?",
        "What are you proud of, big or small?",
    ),
    (
        "Welk seizoen vind je het mooist, en waarom?",
        "Which season do you like best, and why?",
    ),
    (
        "Wat is de verste reis die je ooit hebt gemaakt, of nog wilt maken?",
        "What is the furthest you have ever travelled, or still want to?",
    ),
    (
        "Welk dier zou je willen zijn voor een dag?",
        "Which animal would you like to be for a day?",
    ),
    (
        "Wat was het eerste concert, feest of optreden waar je naartoe ging?",
        "What was the first concert, party or show you went to?",
    ),
    (
        "Welk woord of gezegde gebruik je vaak?",
        "Which word or saying do you use a lot?",
    ),
    (
        "Wat kookte of bakte je voor het eerst zelf, en hoe ging dat?",
        "What was the first thing you cooked or baked yourself, and how did it go?",
    ),
    (
        "Wat is iets kleins waar je blij van wordt?",
        "What is a small thing that makes you happy?",
    ),
    (
        "Welke les leerde je op school die je nog steeds gebruikt?",
        "Which lesson from school do you still use?",
    ),
    (
        "Hoe zag je slaapkamer eruit toen je vijftien was?",
        "What did your bedroom look like when you were fifteen?",
    ),
    (
        "Als je een nieuwe feestdag mocht bedenken, wat zouden we dan vieren?",
        "If you could invent a new holiday, what would we celebrate?",
    ),
    (
        "Welke vaardigheid van vroeger zouden meer mensen moeten kennen?",
        "Which skill from the old days should more people know?",
    ),
    (
        "Wat is de grappigste vergissing die je ooit hebt gemaakt?",
        "What is the funniest mistake you ever made?",
    ),
    (
        "Welke muziek hoorde je thuis toen je opgroeide?",
        "What music did you hear at home when you were growing up?",
    ),
    (
        "Wat zou je doen met een hele dag zonder plannen?",
        "What would you do with a whole day and no plans?",
    ),
    (
        "Welke plek zou je iedereen aanraden om een keer te bezoeken?",
        "Which place would you recommend everyone visits once?",
    ),
    (
        "Wie heeft jou iets geleerd waar je nog steeds dankbaar voor bent?",
        "Who taught you something you are still grateful for?",
    ),
    (
        "Wat verzamelde je vroeger, of verzamel je nu?",
        "What did you collect when you were younger, or do you collect now?",
    ),
    (
        "Hoe ziet jouw ideale zondag eruit?",
        "What does your ideal Sunday look like?",
    ),
    (
        "Welke geur brengt je meteen terug naar een bepaald moment?",
        "Which smell takes you straight back to a certain moment?",
    ),
    (
        "Wat wilde je vroeger worden toen je groot was?",
        "What did you want to be when you grew up?",
    ),
    (
        "Wat vind je mooi aan de tijd waarin jij jong was, of jong bent?",
        "What do you like about the time when you were young, or are young now?",
    ),
    (
        "Welk gerecht kun jij het best maken?",
        "Which dish do you make best?",
    ),
    (
        "Wat is een goede manier om een nieuwe vriend te maken?",
        "What is a good way to make a new friend?",
    ),
    (
        "Over welk onderwerp zou je een uur kunnen praten?",
        "Which subject could you talk about for an hour?",
    ),
    (
        "Wat zou je willen uitvinden als alles mogelijk was?",
        "What would you invent if anything were possible?",
    ),
    (
        "Welke sport of beweging doe of deed je het liefst?",
        "Which sport or kind of exercise do or did you like best?",
    ),
    (
        "Wat zou je over deze buurt willen vertellen aan iemand die hier nieuw is?",
        "What would you tell someone new about this neighbourhood?",
    ),
    (
        "Welk moment van vandaag of deze week wil je onthouden?",
        "Which moment of today or this week would you like to remember?",
    ),
)


def builtin(locale: str) -> list[str]:
    """Our own starters in one language (Dutch for any locale we do not know)."""
    column = 1 if locale == "en" else 0
    return [pair[column] for pair in STARTERS]


def starters_for(
    table: int,
    round: int,
    *,
    locale: str,
    extra: Sequence[str] = (),
    per_table: int = 3,
    seed: int = 0,
    tables: int | None = None,
) -> list[str]:
    """``per_table`` different starters for ``table`` in ``round`` (both counting from 1).

    The pool is our own starters in ``locale`` plus ``extra`` (an organisation's own, mixed
    in), shuffled once by ``seed``. Each (table, round) takes the next ``per_table`` of the
    pool from its own slot, so every card of an event differs, and no starter appears twice
    in one event while the pool lasts. Give ``tables`` (the number of tables) for dense
    slots; without it the slots follow a pairing of (table, round) that is still unique.
    The same arguments always give the same starters.
    """
    if table < 1 or round < 1 or per_table < 1:
        raise ValueError("table, round and per_table count from 1")
    pool = list(dict.fromkeys([*builtin(locale), *(s.strip() for s in extra if s.strip())]))
    random.Random(f"starters:{seed}").shuffle(pool)
    a, b = table - 1, round - 1
    # Dense slots when the table count is known, else Cantor pairing: one slot per pair.
    slot = b * tables + a if tables else (a + b) * (a + b + 1) // 2 + b
    start = slot * per_table
    count = min(per_table, len(pool))
    return [pool[(start + i) % len(pool)] for i in range(count)]
