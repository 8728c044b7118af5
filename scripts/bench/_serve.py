"""Serve an app for the benchmarks, the way the project serves itself.

``python scripts/bench/_serve.py APP --port P --workers N [--factory] [--plain] [--h11]``

By default through ``events.serving.serve`` (a NODELAY socket, httptools and uvloop when
installed); with ``--plain``, or before that module existed, through ``uvicorn.run`` with
the options ``python -m events serve`` passed it (the multi-worker socket without
``TCP_NODELAY``). ``--h11`` forces h11 and asyncio's loop (what uvicorn picks without
``uvicorn[standard]``). The access log stays on (``log_level="info"``) as in production.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("app")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--factory", action="store_true")
    parser.add_argument("--plain", action="store_true")
    parser.add_argument("--h11", action="store_true")
    args = parser.parse_args()
    options = {"host": "127.0.0.1", "port": args.port, "workers": args.workers}
    if args.h11:
        options.update(http="h11", loop="asyncio")
    if not args.plain:
        try:
            from events.serving import serve
        except ImportError:
            pass
        else:
            serve(args.app, factory=args.factory, log_level="info", **options)
            return
    import uvicorn

    uvicorn.run(args.app, factory=args.factory, log_level="info", proxy_headers=True, **options)


if __name__ == "__main__":
    main()
