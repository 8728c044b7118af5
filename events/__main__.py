"""The command line: ``python -m events serve|migrate|demo|worker|purge|backup|createuser|
makemigrations``.

Settings come from the environment (see DESIGN.md); ``--help`` on each command says more.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import os
import sqlite3
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

from tortoise import Tortoise

from events.db import migrate_database, tortoise_config
from events.settings import Settings


async def _with_db(settings: Settings, work: Callable[[], Awaitable[None]]) -> None:
    await Tortoise.init(config=tortoise_config(settings))
    try:
        await work()
    finally:
        await Tortoise.close_connections()


def cmd_serve(settings: Settings, args: argparse.Namespace) -> int:
    """Migrate, then serve with ``events.serving`` (one TCP_NODELAY socket shared by the
    workers, httptools and uvloop when installed). Without EVENTS_BASE_URL, links in mails
    and feeds point at the host and port served on."""
    from events.serving import serve

    asyncio.run(migrate_database(settings))
    if not os.environ.get("EVENTS_BASE_URL"):
        link_host = "127.0.0.1" if args.host in ("0.0.0.0", "::", "") else args.host
        link_host = f"[{link_host}]" if ":" in link_host else link_host
        os.environ["EVENTS_BASE_URL"] = f"http://{link_host}:{args.port}"
    print(f"Serving Samen Offline on http://{args.host}:{args.port}/ ({args.workers} worker(s))")
    serve(
        "events.app:app_from_env",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level="info",
        proxy_headers=True,
    )
    return 0


def cmd_migrate(settings: Settings, args: argparse.Namespace) -> int:
    asyncio.run(migrate_database(settings))
    print("Database is up to date.")
    return 0


def cmd_makemigrations(settings: Settings, args: argparse.Namespace) -> int:
    """For developers: write a migration for model changes (runs Tortoise's own command)."""
    from tortoise.cli import cli

    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump(tortoise_config(settings, for_migrations=True), fh)
    try:
        asyncio.run(cli.makemigrations(cli.CLIContext(None, fh.name), (), False, args.name))
    finally:
        Path(fh.name).unlink()
    return 0


def cmd_demo(settings: Settings, args: argparse.Namespace) -> int:
    from events.services.demo import DEMO_PASSWORD, HOST_EMAIL, ORGANISER_EMAIL, load_demo

    async def work() -> None:
        made = await load_demo(timezone=settings.timezone)
        print("Demo data loaded: " + ", ".join(f"{n} new {k}" for k, n in made.items()))

    asyncio.run(migrate_database(settings))
    asyncio.run(_with_db(settings, work))
    print(f"Sign in as organiser: {ORGANISER_EMAIL} / {DEMO_PASSWORD}")
    print(f"Sign in as host:      {HOST_EMAIL} / {DEMO_PASSWORD}")
    return 0


def cmd_worker(settings: Settings, args: argparse.Namespace) -> int:
    """Send queued mail, queue reminders and release expired guardian holds."""
    import logging
    import signal

    from events.services import worker
    from events.services.mailer import mailer_from_settings

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    log = logging.getLogger("events.mail")
    mailer = mailer_from_settings(settings)
    if mailer is None:
        log.warning(
            "EVENTS_SMTP_HOST is not set: mail stays in the outbox (see /organise/outbox) "
            "until an SMTP server is configured"
        )
    else:
        log.info(
            "sending through %s:%s (%s)", settings.smtp_host, settings.smtp_port, settings.smtp_tls
        )

    async def once() -> None:
        worker.log_report(await worker.run_once(mailer, settings=settings))

    async def forever() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await worker.run_forever(settings, mailer, interval=args.interval, stop=stop)

    asyncio.run(migrate_database(settings))
    asyncio.run(_with_db(settings, once if args.once else forever))
    return 0


def cmd_createuser(settings: Settings, args: argparse.Namespace) -> int:
    from events.models import Organisation, Role, Venue
    from events.services.errors import FormError
    from events.services.staff import create_user

    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else getpass.getpass()
    failed: list[str] = []

    async def work() -> None:
        organisation = None
        if args.organisation:
            organisation = await Organisation.get_or_none(slug=args.organisation)
            if organisation is None:
                failed.append(f"no organisation with slug {args.organisation!r}")
                return
        venues = await Venue.filter(slug__in=args.venue or [])
        if len(venues) != len(set(args.venue or [])):
            failed.append("one of the --venue slugs does not exist")
            return
        foreign = [
            v.slug for v in venues if organisation is None or v.organisation_id != organisation.id
        ]
        if foreign:
            failed.append(
                f"--venue {', '.join(foreign)} belongs to another organisation than "
                f"--organisation {args.organisation or '(none)'}"
            )
            return
        try:
            user = await create_user(
                args.email,
                password,
                role=Role(args.role),
                organisation=organisation,
                venues=list(venues),
                name=args.name,
            )
        except FormError as exc:
            failed.extend(f"{field}: {code}" for field, code in exc.errors.items())
            return
        print(f"Created {user.role} {user.email}")

    asyncio.run(migrate_database(settings))
    asyncio.run(_with_db(settings, work))
    for problem in failed:
        print(f"error: {problem}", file=sys.stderr)
    return 1 if failed else 0


def cmd_purge(settings: Settings, args: argparse.Namespace) -> int:
    """Retention: erase personal data of activities that ended long enough ago."""
    from datetime import UTC, datetime

    from events.services.retention import purge_all

    days = args.days if args.days is not None else settings.retention_days

    async def work() -> None:
        counts = await purge_all(now=datetime.now(UTC), retention_days=days)
        print(
            f"Erased personal data older than {days} days: "
            f"{counts['registrations']} sign-up(s), {counts['mails']} mail(s), "
            f"{counts['people']} person record(s), {counts['addresses']} pick-up "
            f"address(es), {counts['referrals']} referral(s) and the people behind old "
            "ideas. Counts per activity are kept."
        )

    asyncio.run(migrate_database(settings))
    asyncio.run(_with_db(settings, work))
    return 0


def cmd_backup(settings: Settings, args: argparse.Namespace) -> int:
    """A consistent copy of the running SQLite database (PostgreSQL: see docs/deploy.md)."""
    from datetime import UTC, datetime

    from events.services.backup import backup_sqlite, sqlite_path

    source = sqlite_path(settings.database_url)
    if source is None:
        print(
            "backup copies SQLite databases; for PostgreSQL use pg_dump (see docs/deploy.md)",
            file=sys.stderr,
        )
        return 2
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    target = Path(args.to) if args.to else settings.data_dir / "backups" / f"events-{stamp}.sqlite3"
    try:
        report = backup_sqlite(source, target)
    except (OSError, sqlite3.Error) as exc:
        print(f"error: backup failed: {exc}", file=sys.stderr)
        return 1
    print(
        f"Backed up {source} to {report.path} ({report.size} bytes, integrity {report.integrity})"
    )
    return 0 if report.integrity == "ok" else 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m events", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="migrate, then serve the site with uvicorn")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.set_defaults(run=cmd_serve)
    sub.add_parser("migrate", help="apply database migrations").set_defaults(run=cmd_migrate)
    make = sub.add_parser("makemigrations", help="(developers) write a migration")
    make.add_argument("--name", default=None)
    make.set_defaults(run=cmd_makemigrations)
    sub.add_parser("demo", help="load demo data (idempotent)").set_defaults(run=cmd_demo)
    work = sub.add_parser("worker", help="send queued mail, with retries (runs until stopped)")
    work.add_argument("--once", action="store_true", help="one pass, then exit")
    work.add_argument("--interval", type=float, default=2.0, help="seconds between passes")
    work.set_defaults(run=cmd_worker)
    purge = sub.add_parser("purge", help="erase personal data past the retention period")
    purge.add_argument(
        "--days",
        type=int,
        default=None,
        help="retention in days after an activity ended (EVENTS_RETENTION_DAYS, default 180)",
    )
    purge.set_defaults(run=cmd_purge)
    backup = sub.add_parser("backup", help="copy the running SQLite database (online backup)")
    backup.add_argument(
        "--to",
        default=None,
        help="file to write (default <data dir>/backups/events-<time>.sqlite3)",
    )
    backup.set_defaults(run=cmd_backup)
    user = sub.add_parser("createuser", help="create a staff account")
    user.add_argument("--email", required=True)
    user.add_argument("--role", choices=["organiser", "host", "admin"], required=True)
    user.add_argument("--organisation", help="organisation slug (organisers and hosts)")
    user.add_argument("--venue", action="append", help="venue slug a host serves (repeat)")
    user.add_argument("--name", default="")
    user.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    user.set_defaults(run=cmd_createuser)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = Settings.from_env()
    result: int = args.run(settings, args)
    return result


if __name__ == "__main__":
    sys.exit(main())
