"""Command line for the data refresh: ``update-data`` and ``rollback-data``.

    uv run python -m indicators.refresh_cli update-data [--source NAME ...] [--from-dir DIR]
        [--data-dir DIR] [--sources DIR] [--method M.toml] [--keep-going] [--timeout S]
        [--allow-coverage-drop]
    uv run python -m indicators.refresh_cli rollback-data [--data-dir DIR]
    uv run python -m indicators.refresh_cli write-vintage --sources DIR [--data-dir DIR]

``write-vintage`` records the vintage of tables built from a sources folder, as
``python -m indicators.build`` does itself after writing them (retrieval dates from each folder's
PROVENANCE.md); ``update-data`` keeps it up to date. ``update-data`` rewrites countries, values,
skipped rows, sources and the vintage; the published indices and the actor view's dyads are the
build's.

``--source`` takes publisher folders (``wb-remittances``) or source ids (``wdi_remittances``) of
``indicators/sources.yaml``; without it every publisher with a download is fetched, or, with
``--from-dir``, every publisher folder found there. ``--sources`` names the publisher files the
current tables were built from (e.g. ``../shared/sources``): publishers not updated are then
re-read from there; without it their values are kept from ``values.csv``. ``--method`` is the
Method (TOML or JSON) under which the change report ranks countries before and after.

Exit status: 0 when the update was applied (or there was nothing to change), 1 when a publisher
failed (nothing applied, unless --keep-going applied the others), 2 for bad arguments.

``register(subparsers)`` adds both commands to another argparse parser (the ``scorecard`` command).
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

from indicators.catalogue import DATA_DIR

EXIT_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130  # as a shell reports Ctrl-C


def register(subparsers) -> None:
    """Add ``update-data`` and ``rollback-data`` to an argparse subparsers object."""
    update = subparsers.add_parser(
        "update-data",
        help="update the data from the publishers (or from downloaded files), report what changed",
        description="Fetch publishers' files (or take them from --from-dir), rebuild and validate "
        "the tables, swap them into the data folder and write a change report.",
    )
    update.add_argument(
        "--source",
        dest="sources_names",
        action="extend",
        nargs="+",
        metavar="NAME",
        help="publisher folder or source id to update (repeatable; default: all)",
    )
    update.add_argument(
        "--from-dir",
        type=Path,
        metavar="DIR",
        help="take files downloaded by hand from DIR/<publisher folder>/ instead of downloading",
    )
    update.add_argument("--data-dir", type=Path, default=DATA_DIR, help="the tables to update")
    update.add_argument(
        "--sources",
        dest="sources_dir",
        type=Path,
        metavar="DIR",
        help="publisher files the current tables were built from (re-read for the others)",
    )
    update.add_argument("--method", help="Method file (.toml or .json) for the rank changes")
    update.add_argument(
        "--keep-going", action="store_true", help="apply the publishers that worked"
    )
    update.add_argument(
        "--timeout", type=float, default=60.0, help="seconds per request (default 60)"
    )
    update.add_argument(
        "--allow-coverage-drop",
        action="store_true",
        help="apply even when an indicator loses more than half of its countries",
    )
    update.set_defaults(func=cmd_update)

    back = subparsers.add_parser(
        "rollback-data", help="put back the tables replaced by the last update"
    )
    back.add_argument("--data-dir", type=Path, default=DATA_DIR, help="the tables to restore")
    back.set_defaults(func=cmd_rollback)

    vintage = subparsers.add_parser(
        "write-vintage",
        help="write vintage.csv for tables built from --sources (dates from PROVENANCE.md)",
        description="Write DATA_DIR/vintage.csv for tables built from --sources DIR: editions from "
        "sources.yaml, retrieval dates from each publisher folder's PROVENANCE.md (empty when it "
        "states none).",
    )
    vintage.add_argument(
        "--sources",
        dest="sources_dir",
        type=Path,
        required=True,
        metavar="DIR",
        help="the publisher files the tables were built from",
    )
    vintage.add_argument("--data-dir", type=Path, default=DATA_DIR, help="where to write it")
    vintage.set_defaults(func=cmd_write_vintage)


def cmd_update(args: argparse.Namespace) -> int:
    from exports.score_cli import InputError, read_method
    from indicators.refresh import MAX_COVERAGE_DROP, update_data
    from indicators.swap import RefreshError

    try:
        with _interruptible():
            method = read_method(args.method) if args.method else None
            report = update_data(
                args.sources_names,
                args.from_dir,
                args.data_dir,
                None,
                None,
                sources_dir=args.sources_dir,
                method=method,
                keep_going=args.keep_going,
                timeout=args.timeout,
                max_coverage_drop=None if args.allow_coverage_drop else MAX_COVERAGE_DROP,
            )
    except KeyboardInterrupt:
        print(f"error: interrupted; {_after_interrupt(args.data_dir)}", file=sys.stderr)
        return EXIT_INTERRUPTED
    except (RefreshError, InputError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as error:  # e.g. a read-only data folder
        print(f"error: {_os_error(error)}", file=sys.stderr)
        return EXIT_FAILED
    print(report.to_text(), file=sys.stdout if report.ok else sys.stderr)
    return 0 if report.ok else EXIT_FAILED


def cmd_rollback(args: argparse.Namespace) -> int:
    from indicators.swap import RefreshError, rollback

    try:
        with _interruptible():
            files = rollback(args.data_dir)
    except KeyboardInterrupt:
        print(f"error: interrupted; {_after_interrupt(args.data_dir)}", file=sys.stderr)
        return EXIT_INTERRUPTED
    except RefreshError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as error:
        print(f"error: {_os_error(error)}", file=sys.stderr)
        return EXIT_FAILED
    print(f"restored {', '.join(files)} in {args.data_dir}; run rollback-data again to redo")
    return 0


def cmd_write_vintage(args: argparse.Namespace) -> int:
    from indicators.vintage import write_shipped_vintage

    if not args.sources_dir.is_dir():
        print(f"error: --sources {args.sources_dir} is not a folder", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(f"wrote {write_shipped_vintage(args.sources_dir, args.data_dir)}")
    return 0


@contextlib.contextmanager
def _interruptible():
    """SIGTERM (kill, a service stopping) ends the command as Ctrl-C does: the lock and the
    staged files are let go through the usual exits instead of the process vanishing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _after_interrupt(data_dir: Path) -> str:
    """What an interrupted update left: the tables as they were, or a swap the next run ends."""
    from indicators.swap import MARKER

    if (Path(data_dir) / MARKER).exists():
        return (
            f"the swap into {data_dir} was cut short; the next update-data or rollback-data "
            "finishes it"
        )
    return f"nothing was changed in {data_dir}"


def _os_error(error: OSError) -> str:
    """'cannot write data/.update.lock: Permission denied' rather than a traceback."""
    where = f" {error.filename}" if error.filename else ""
    return f"cannot write{where}: {error.strerror or error}"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m indicators.refresh_cli", description=__doc__.splitlines()[0]
    )
    register(parser.add_subparsers(dest="command", required=True))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:  # outside the commands' own handling (e.g. while importing)
        print("error: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
