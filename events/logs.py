"""Logging that keeps secrets out: ticket codes, consent tokens and private feed tokens sit
in URL paths, and access logs would otherwise keep them. Imports nothing of the package."""

from __future__ import annotations

import logging
import re

SECRET_PATHS = re.compile(r"(/(?:tickets|consent|feeds)/)[^/\s?\"]+")


def redact(text: str) -> str:
    """``/tickets/ABCD…/print`` -> ``/tickets/…/print`` (likewise consent and feeds)."""
    return SECRET_PATHS.sub(r"\1…", text)


class RedactSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if record.args:
            args = record.args if isinstance(record.args, tuple) else (record.args,)
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in args)
        return True


def install_redaction(*names: str) -> None:
    """Add the filter to these loggers once (uvicorn's access log, our own)."""
    for name in names:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactSecrets) for f in logger.filters):
            logger.addFilter(RedactSecrets())
