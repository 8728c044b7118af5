"""Secrets in URL paths never reach the logs."""

from __future__ import annotations

import logging

import pytest

from events.logs import install_redaction, redact


def test_redact_hides_codes_and_tokens_but_keeps_the_shape() -> None:
    assert (
        redact('"GET /tickets/ABCDEFGH/print HTTP/1.1" 200')
        == '"GET /tickets/…/print HTTP/1.1" 200'
    )
    assert redact("/consent/tok_en-123") == "/consent/…"
    assert redact("/feeds/secret.ics?x=1") == "/feeds/…?x=1"
    assert redact("/events/avond") == "/events/avond"


def test_access_log_lines_are_redacted(caplog: pytest.LogCaptureFixture) -> None:
    install_redaction("test.access")
    logger = logging.getLogger("test.access")
    with caplog.at_level(logging.INFO, logger="test.access"):
        logger.info(
            '%s - "%s %s HTTP/%s" %d', "127.0.0.1", "GET", "/tickets/SECRET22CODE", "1.1", 200
        )
    assert "SECRET22CODE" not in caplog.text and "/tickets/…" in caplog.text
