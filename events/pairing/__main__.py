"""``python -m events.pairing < instance.json``: print the plan and scorecard as JSON.

May import: the standard library and ``events.pairing.jsonio``.
"""

from __future__ import annotations

import sys

from events.pairing.jsonio import main

raise SystemExit(main(sys.argv[1:]))
