"""Demo data: two organisations, five venues of different kinds in three towns, a dozen
events over the next four weeks, an organiser and a host account. Idempotent: running it
again changes nothing that is already there (matched by slug and email).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from events.models import Event, EventStatus, Organisation, PhoneStorage, Role, StaffUser, Venue
from events.models import VenueKind as K
from events.services.staff import create_user

DEMO_PASSWORD = "samen-offline-demo"
ORGANISER_EMAIL = "organisator@example.org"
HOST_EMAIL = "gastvrouw@example.org"

ORGANISATIONS = [
    (
        "stichting-samen",
        "Stichting Samen Zutphen",
        "Welzijnsstichting die jong en oud met elkaar in gesprek brengt.",
    ),
    (
        "bieb-en-buurt",
        "Bieb & Buurt Achterhoek",
        "Bibliotheken en dorpshuizen in de Achterhoek, samen tegen eenzaamheid.",
    ),
]
# Whom participants can reach (shown on pages, tickets and paper, and as Reply-To).
CONTACTS = {
    "stichting-samen": {
        "email": "info@stichting-samen.example",
        "contact_name": "Inge",
        "contact_phone": "0575 123 456",
    },
    "bieb-en-buurt": {
        "email": "hallo@bieb-en-buurt.example",
        "contact_name": "Mehmet",
        "contact_phone": "0314 765 432",
    },
}
# slug, organisation, name, kind, address, postcode, town, facts, storage, capacity
VENUES = [
    (
        "cafe-de-zwaan",
        "stichting-samen",
        "Café De Zwaan",
        K.CAFE,
        "Houtmarkt 12",
        "7201 KL",
        "Zutphen",
        (True, True, False, False),
        PhoneStorage.POUCHES,
        40,
    ),
    (
        "theater-hanzehof",
        "stichting-samen",
        "Theater Hanzehof",
        K.THEATRE,
        "Coehoornsingel 1",
        "7201 AA",
        "Zutphen",
        (True, True, True, True),
        PhoneStorage.LOCKERS,
        120,
    ),
    (
        "bibliotheek-lochem",
        "bieb-en-buurt",
        "Bibliotheek Lochem",
        K.LIBRARY,
        "Kastanjelaan 2",
        "7241 GM",
        "Lochem",
        (True, True, True, True),
        PhoneStorage.BASKET,
        35,
    ),
    (
        "dorpshuis-de-linde",
        "bieb-en-buurt",
        "Dorpshuis De Linde",
        K.VILLAGE_HALL,
        "Dorpsstraat 5",
        "7234 SK",
        "Wichmond",
        (False, False, True, False),
        PhoneStorage.POUCHES,
        60,
    ),
    (
        "buurthuis-het-anker",
        "bieb-en-buurt",
        "Buurthuis Het Anker",
        K.COMMUNITY_CENTRE,
        "Molenweg 33",
        "7241 HV",
        "Lochem",
        (True, True, False, True),
        PhoneStorage.NONE,
        30,
    ),
]
RULES = (
    "Bij binnenkomst gaat je telefoon in een zakje dat pas bij vertrek weer opengaat. "
    "Wie gebeld moet kunnen worden, geeft het nummer van het café door."
)


@dataclass(frozen=True)
class DemoEvent:
    slug: str
    venue: str
    title: str
    summary: str
    day_offset: int
    start: time
    hours: float
    places: tuple[int, int, int]
    tables: bool = True


EVENTS = [
    DemoEvent(
        "spelletjesavond-de-zwaan",
        "cafe-de-zwaan",
        "Spelletjesavond zonder scherm",
        "Sjoelen, kaarten en rummikub met jong en oud.",
        2,
        time(19, 30),
        2.5,
        (12, 12, 4),
    ),
    DemoEvent(
        "verhalentafel-bibliotheek",
        "bibliotheek-lochem",
        "Verhalentafel",
        "Vertel elkaar over vroeger en nu, aan kleine tafels.",
        3,
        time(14, 0),
        2,
        (8, 8, 0),
    ),
    DemoEvent(
        "filmavond-hanzehof",
        "theater-hanzehof",
        "Filmavond met nagesprek",
        "Een film kijken en daarna praten in kleine groepjes.",
        5,
        time(20, 0),
        3,
        (20, 20, 10),
    ),
    DemoEvent(
        "koffie-en-kletsen-de-linde",
        "dorpshuis-de-linde",
        "Koffie en kletsen",
        "Gewoon een kop koffie en een goed gesprek.",
        6,
        time(10, 0),
        2,
        (6, 10, 4),
    ),
    DemoEvent(
        "muziekquiz-het-anker",
        "buurthuis-het-anker",
        "Muziekquiz door de jaren heen",
        "Welke generatie kent de meeste liedjes?",
        8,
        time(19, 0),
        2.5,
        (12, 12, 0),
    ),
    DemoEvent(
        "breien-en-gamen-bibliotheek",
        "bibliotheek-lochem",
        "Breien en bordspellen",
        "Leer elkaar iets nieuws: breien of een bordspel.",
        10,
        time(15, 0),
        2,
        (8, 8, 4),
    ),
    DemoEvent(
        "spelletjesavond-de-zwaan-2",
        "cafe-de-zwaan",
        "Spelletjesavond zonder scherm",
        "Sjoelen, kaarten en rummikub met jong en oud.",
        16,
        time(19, 30),
        2.5,
        (12, 12, 4),
    ),
    DemoEvent(
        "toneel-en-thee-hanzehof",
        "theater-hanzehof",
        "Toneel en thee",
        "Kijk samen naar een korte voorstelling en praat na bij de thee.",
        13,
        time(14, 30),
        2.5,
        (16, 16, 8),
    ),
    DemoEvent(
        "dorpsdiner-de-linde",
        "dorpshuis-de-linde",
        "Dorpsdiner aan lange tafels",
        "Samen koken en eten, jong en oud door elkaar.",
        15,
        time(18, 0),
        3,
        (10, 10, 10),
    ),
    DemoEvent(
        "schrijfcafe-bibliotheek",
        "bibliotheek-lochem",
        "Schrijfcafé: brieven aan later",
        "Schrijf een brief aan iemand van een andere generatie.",
        20,
        time(19, 30),
        2,
        (8, 8, 0),
    ),
    DemoEvent(
        "repair-cafe-het-anker",
        "buurthuis-het-anker",
        "Repaircafé en praatje",
        "Samen repareren wat kapot is, en intussen kletsen.",
        23,
        time(13, 0),
        3,
        (6, 6, 12),
        tables=False,
    ),
    DemoEvent(
        "kerstverhalen-de-zwaan",
        "cafe-de-zwaan",
        "Verhalen bij de kachel",
        "Verhalen vertellen bij kaarslicht, zonder telefoon.",
        26,
        time(20, 0),
        2,
        (10, 10, 0),
    ),
]


async def load_demo(*, timezone: str, today: date | None = None) -> dict[str, int]:
    """Create what is missing of the demo data; return how many rows of each kind were made."""
    tz = ZoneInfo(timezone)
    today = today or datetime.now(tz).date()
    made = {"organisations": 0, "venues": 0, "events": 0, "users": 0}
    orgs: dict[str, Organisation] = {}
    for slug, name, description in ORGANISATIONS:
        contact = CONTACTS[slug]
        orgs[slug], created = await Organisation.get_or_create(
            slug=slug, defaults={"name": name, "description": description, **contact}
        )
        made["organisations"] += created
    venues: dict[str, Venue] = {}
    for slug, org, name, kind, address, postcode, town, facts, storage, cap in VENUES:
        venues[slug], created = await Venue.get_or_create(
            slug=slug,
            defaults={
                "organisation": orgs[org],
                "name": name,
                "kind": kind,
                "address": address,
                "postcode": postcode,
                "town": town,
                "step_free_entrance": facts[0],
                "accessible_toilet": facts[1],
                "hearing_loop": facts[2],
                "quiet_room": facts[3],
                "phone_storage": storage,
                "capacity": cap,
            },
        )
        made["venues"] += created
    for spec in EVENTS:
        made["events"] += await _demo_event(spec, venues[spec.venue], today, tz)
    made["users"] += await _demo_users(orgs["stichting-samen"], venues)
    return made


async def _demo_event(spec: DemoEvent, venue: Venue, today: date, tz: ZoneInfo) -> int:
    if await Event.filter(slug=spec.slug).exists():
        return 0
    starts = datetime.combine(today + timedelta(days=spec.day_offset), spec.start, tzinfo=tz)
    young, older, open_ = spec.places
    await Event.create(
        slug=spec.slug,
        title=spec.title,
        summary=spec.summary,
        description=spec.summary + "\n\nIedereen is welkom: kom alleen of neem iemand mee.",
        venue=venue,
        organisation_id=venue.organisation_id,
        starts_at=starts.astimezone(UTC),
        ends_at=(starts + timedelta(hours=spec.hours)).astimezone(UTC),
        status=EventStatus.PUBLISHED,
        published_at=datetime.now(UTC),
        places_young=young,
        places_older=older,
        places_open=open_,
        phone_rules=RULES,
        has_tables=spec.tables,
        table_size=4,
        table_rounds=2 if spec.tables else 1,
    )
    return 1


async def _demo_users(organisation: Organisation, venues: dict[str, Venue]) -> int:
    made = 0
    if not await StaffUser.filter(email=ORGANISER_EMAIL).exists():
        await create_user(
            ORGANISER_EMAIL,
            DEMO_PASSWORD,
            role=Role.ORGANISER,
            organisation=organisation,
            name="Inge",
        )
        made += 1
    if not await StaffUser.filter(email=HOST_EMAIL).exists():
        await create_user(
            HOST_EMAIL,
            DEMO_PASSWORD,
            role=Role.HOST,
            organisation=organisation,
            venues=[venues["cafe-de-zwaan"], venues["theater-hanzehof"]],
            name="Fatima",
        )
        made += 1
    return made
