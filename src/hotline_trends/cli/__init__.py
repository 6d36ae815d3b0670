"""``python -m hotline_trends`` / ``hotline-trends``: build the store, ingest files, ask questions.

Every command has ``--help`` and ``--json``. Bad input exits with code 2 and a message naming the file,
line and column; nothing is written.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from hotline_trends import __version__
from hotline_trends.cli import analysis_cmds, brief_cmds, fetch_cmds, monitor_cmds, query_cmds, store_cmds
from hotline_trends.cli.output import fail
from hotline_trends.errors import UserError

COMMAND_MODULES = (store_cmds, query_cmds, fetch_cmds, analysis_cmds, monitor_cmds, brief_cmds)

DESCRIPTION = """\
Hotline Trends: U.S. human-trafficking hotline and police counts, population and big events, with
honest answers about spikes around events.

The store lives in data/store (or $HOTLINE_TRENDS_STORE). Start with `build`, then look around with
`datasets`, `coverage`, `query`, `events`; bring your own data with `ingest`.
"""


def parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", help="print machine-readable JSON on stdout")
    top = argparse.ArgumentParser(
        prog="hotline-trends",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    top.add_argument("--version", action="version", version=f"hotline-trends {__version__}")
    sub = top.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(sub, common)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if not getattr(args, "func", None):
        parser().print_help()
        return 2
    try:
        return args.func(args)
    except UserError as exc:
        return fail(exc, getattr(args, "json", False))
    except KeyboardInterrupt:
        print("interrupted; nothing was written by an unfinished ingest", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
