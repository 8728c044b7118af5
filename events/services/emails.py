"""Likely typos in email addresses (``gmial.con``, ``hotmal.com``, ``hotmailcom``): a
suggestion to show before a sign-up is accepted, which the person may take or refuse.

Only the part after the ``@`` is corrected, and only towards a short list of providers
people in the Netherlands use: a wrong top-level domain (``.con``, ``.nll``), a missing dot,
a missing or extra letter or two swapped ones (one edit for short domains, two for longer
ones). Known providers that look alike (``mail.com``, ``me.com``, ``web.de``) are left alone.
Pure: no I/O, imports only the standard library.
"""

from __future__ import annotations

COMMON_DOMAINS = (
    "gmail.com",
    "hotmail.com",
    "hotmail.nl",
    "outlook.com",
    "outlook.nl",
    "live.nl",
    "live.com",
    "icloud.com",
    "yahoo.com",
    "ziggo.nl",
    "kpnmail.nl",
    "planet.nl",
    "home.nl",
    "xs4all.nl",
    "upcmail.nl",
    "casema.nl",
    "hetnet.nl",
    "telfort.nl",
    "quicknet.nl",
    "chello.nl",
    "zeelandnet.nl",
    "protonmail.com",
    "msn.com",
)
"""Providers a suggestion may point to, the most used first (ties go to the first)."""

KNOWN_DOMAINS = frozenset(
    {
        *COMMON_DOMAINS,
        "mail.com",
        "me.com",
        "mac.com",
        "aol.com",
        "gmx.net",
        "gmx.de",
        "web.de",
        "proton.me",
        "online.nl",
        "tele2.nl",
        "caiway.nl",
        "solcon.nl",
        "kpnplanet.nl",
        "zonnet.nl",
        "wanadoo.nl",
        "yahoo.nl",
        "hotmail.be",
        "telenet.be",
        "skynet.be",
    }
)
"""Domains that are right as typed, even when they look like a common one."""

TLD_FIXES = {
    "con": "com",
    "cmo": "com",
    "ocm": "com",
    "comm": "com",
    "vom": "com",
    "xom": "com",
    "cpm": "com",
    "nll": "nl",
}


def _distance(a: str, b: str) -> int:
    """Edits between two strings: insert, delete, replace, or swap two neighbours."""
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            row[j] = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


def _corrected(domain: str) -> str | None:
    if domain in KNOWN_DOMAINS:
        return None
    for common in COMMON_DOMAINS:  # a missing dot: "hotmailcom", "ziggonl"
        if domain == common.replace(".", ""):
            return common
    if "." not in domain:  # no top-level domain at all: "gmail"
        return next((c for c in COMMON_DOMAINS if c.split(".")[0] == domain), None)
    name, _dot, tld = domain.rpartition(".")
    fixed = f"{name}.{TLD_FIXES.get(tld, tld)}"
    if fixed in KNOWN_DOMAINS:
        return fixed
    allowed = 1 if len(fixed) <= 9 else 2
    best = min(COMMON_DOMAINS, key=lambda common: _distance(fixed, common))
    if _distance(fixed, best) <= allowed:
        return best
    return fixed if fixed != domain else None


def suggest(address: str) -> str | None:
    """The address probably meant, or None when it looks right (or hopeless)."""
    local, at, domain = address.strip().lower().rpartition("@")
    if not at or not local or not domain or " " in address.strip():
        return None
    corrected = _corrected(domain)
    return f"{local}@{corrected}" if corrected and corrected != domain else None
