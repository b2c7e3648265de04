"""``kompass serve``: run the HTTP service (kompass_core.service) until interrupted.

Writes to the store need ``KOMPASS_TOKEN`` in the environment: a token on
the command line would show in the process list.
"""

from __future__ import annotations

import argparse
import importlib.util

from kompass_core import InputError


def serve(args: argparse.Namespace) -> int:
    if importlib.util.find_spec("starlette") is None or importlib.util.find_spec("uvicorn") \
            is None:
        raise InputError("kompass serve needs the service extra: pip install "
                         "'kommunkompass[service]'")
    if not 0 <= args.port <= 65535:
        raise InputError(f"--port {args.port}: not a port (0 to 65535)")
    if args.time_limit <= 0:
        raise InputError(f"--time-limit {args.time_limit:g}: must be more than 0 seconds")
    from kompass_core import serve as run

    run(args.host, args.port, db=args.db, cors_origins=tuple(args.cors_origin),
        time_limit=args.time_limit, profiles=args.profile)
    return 0
