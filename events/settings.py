"""Settings: one frozen object, read once from the environment.

Owns the names and defaults of every ``EVENTS_*`` variable. Imports nothing of the package.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

SMTP_TLS_MODES = ("none", "starttls", "tls")


@dataclass(frozen=True)
class Settings:
    """Everything the app needs from its environment. Build with :meth:`from_env`."""

    data_dir: Path
    database_url: str
    secret_key: str = field(repr=False)
    base_url: str = "http://127.0.0.1:8000"
    timezone: str = "Europe/Amsterdam"
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_username: str = ""
    smtp_password: str = field(default="", repr=False)
    smtp_tls: str = "none"
    mail_from: str = "Samen Offline <noreply@localhost>"
    guardian_hold_hours: int = 48
    signup_rate_limit: int = 60
    retention_days: int = 180
    session_idle_hours: int = 12
    frame_ancestors: tuple[str, ...] = ()
    run_worker_in_process: bool = True

    @property
    def session_idle(self) -> timedelta:
        """How long a staff session may go unused before it ends."""
        return timedelta(hours=self.session_idle_hours)

    @property
    def secure_cookies(self) -> bool:
        return self.base_url.startswith("https://")

    def but(self, **changes: Any) -> Settings:
        """A copy with some fields changed (for tests and the command line)."""
        return replace(self, **changes)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read the ``EVENTS_*`` variables; create the data folder and secret key if needed."""
        env = os.environ if environ is None else environ
        data_dir = Path(env.get("EVENTS_DATA_DIR") or "data").resolve()
        data_dir.mkdir(parents=True, exist_ok=True)
        database_url = env.get("EVENTS_DATABASE_URL") or f"sqlite://{data_dir / 'events.sqlite3'}"
        tls = env.get("EVENTS_SMTP_TLS", "none").strip().lower() or "none"
        if tls not in SMTP_TLS_MODES:
            raise ValueError(f"EVENTS_SMTP_TLS must be one of {', '.join(SMTP_TLS_MODES)}")
        return cls(
            data_dir=data_dir,
            database_url=database_url,
            secret_key=env.get("EVENTS_SECRET_KEY") or _stored_secret(data_dir),
            base_url=(env.get("EVENTS_BASE_URL") or "http://127.0.0.1:8000").rstrip("/"),
            timezone=env.get("EVENTS_TIMEZONE") or "Europe/Amsterdam",
            smtp_host=env.get("EVENTS_SMTP_HOST", ""),
            smtp_port=int(env.get("EVENTS_SMTP_PORT") or 25),
            smtp_username=env.get("EVENTS_SMTP_USERNAME", ""),
            smtp_password=env.get("EVENTS_SMTP_PASSWORD", ""),
            smtp_tls=tls,
            mail_from=env.get("EVENTS_MAIL_FROM") or "Samen Offline <noreply@localhost>",
            guardian_hold_hours=int(env.get("EVENTS_GUARDIAN_HOLD_HOURS") or 48),
            signup_rate_limit=int(env.get("EVENTS_SIGNUP_RATE_LIMIT") or 60),
            retention_days=int(env.get("EVENTS_RETENTION_DAYS") or 180),
            session_idle_hours=int(env.get("EVENTS_SESSION_IDLE_HOURS") or 12),
            frame_ancestors=tuple(env.get("EVENTS_FRAME_ANCESTORS", "").split()),
        )


def _stored_secret(data_dir: Path) -> str:
    """The secret key kept in the data folder, created (mode 600) on first use."""
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_urlsafe(48)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another worker wrote it first
        return path.read_text().strip()
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key
