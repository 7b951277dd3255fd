"""Data refresh: update the curated tables from the publishers, see what changed, roll back.

    report = update_data(["wb-remittances"], from_dir=None, data_dir=DATA_DIR, client=None,
                         now=datetime.now(UTC))
    rollback(DATA_DIR)

**Steps.** (1) Fetch the chosen publishers (`indicators.connectors`) or take their files from
`from_dir` (one sub-folder per publisher, as `../shared/sources`) into `<data>/.staging/sources/`.
(2) Run the loaders that read those folders; a loader that fails on the new files is reported as
schema drift for that publisher. (3) Build the tables into `<data>/.staging/data/` with
`indicators.build.write_tables` (the validation of `indicators.build.build`: every value checked
against the catalogue's contracts). (4) Record the vintage and compare with the current tables: an
indicator losing more than half of its countries is taken for a format change the loader did not
notice (`max_coverage_drop`). (5) Swap the new tables in, keeping the replaced ones in
`<data>/.previous/`; write the change report to `<data>/changes/`; keep downloaded files in
`<data>/.downloads/`. Any failure in steps 1-4 leaves `data/` untouched (nothing is half-applied);
the staged files stay in `<data>/.staging/` for inspection.

**Partial updates.** An update of one publisher never drops the others:

- with `sources_dir` (the publisher files the current tables were built from, e.g.
  `../shared/sources`), the staging sources folder is that folder with the refreshed publisher
  folders swapped in, and every loader runs: the result is exactly what `python -m indicators.build
  --sources` gives on the updated files;
- without it, only the loaders that read a refreshed folder run; every other indicator keeps its
  rows of the current `values.csv` (and its loader's rows of `skipped.csv`, and the build's row for
  each indicator outside the catalogue that no loader run gave). Indicators belong to the loader
  reading their source's folder (`indicator_loaders`); where several loaders read one folder (the
  two diaspora-voting loaders) `SHARED_MODULE_LOADERS` says which reads what and emits what. A
  loader that also reads a folder that was not refreshed (the UN DESA shares read the UN WPP
  population, diaspora turnout the UN DESA emigrant stock) needs `sources_dir` or both folders. On
  the same files both ways give byte-identical tables. (One exception: an indicator outside the
  catalogue that a refreshed loader no longer gives keeps its "not in the catalogue" row of
  skipped.csv until a run with `sources_dir` or a full build, since which loader gave it is not
  recorded.)

**What update-data rebuilds.** `countries.csv`, `values.csv`, `skipped.csv` and `sources.csv`, as
`indicators.build` writes them, and `vintage.csv`. The published indices
(`published_indices.csv`) and the actor view's dyads (`dyads.csv`) are left to `indicators.build`:
no connector refreshes their folders, and skipped.csv keeps the published indices' rows as they
were.

**The swap.** The tables (`countries.csv`, `values.csv`, `skipped.csv`, `sources.csv`,
`vintage.csv`) are replaced one by one with `os.replace` (atomic per file) after the current ones
were copied to `<data>/.previous/` and a marker `<data>/.swap-in-progress.json` listing the staged
files was written; the marker is removed last. If the process dies in between, the next
`update_data`/`rollback` (or `recover`) finishes the swap from the marker. `rollback(data_dir)`
swaps `.previous` back the same way (so a second rollback redoes the update). An update that
changes no table apart from the vintage does not touch `.previous`.

**Vintage.** `<data>/vintage.csv` has one row per indicator and source it uses (`role` values or
denominator): `edition` (as the publisher stated it at download, else the edition in
`sources.yaml`), `retrieved` (ISO date of the download, or of the update for `--from-dir` files;
empty when unknown) and `how`. `indicators.build` records it with `write_shipped_vintage` (also
`scorecard write-vintage --sources DIR`), with the dates of the copies each folder's PROVENANCE.md
names (empty for hand-compiled files); without any vintage.csv, `load_vintage` gives
sources.yaml's editions with unknown retrieval. The values keep their
own `year`. `stale_indicators` flags indicators whose latest data year or retrieval is older than a
given age.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from indicators import build
from indicators.catalogue import DATA_DIR, Catalogue, load_catalogue, read_table
from indicators.connectors import (
    CONNECTORS,
    Fetch,
    Fetched,
    HttpClient,
    SourceError,
    default_client,
)
from indicators.loaders import SKIPPED_COLUMNS, VALUE_COLUMNS, diaspora_voting
from scoring import limits
from scoring.files import FileRefused, describe, open_regular, read_bounded
from scoring.limits import LimitError, Limits, megabytes
from scoring.method import Method
from scoring.schemas import ContractError

TABLES = ("countries.csv", "values.csv", "skipped.csv", "sources.csv")
VINTAGE = "vintage.csv"
SWAPPED = (*TABLES, VINTAGE)
PREVIOUS = ".previous"
STAGING = ".staging"
DOWNLOADS = ".downloads"
CHANGES = "changes"
MARKER = ".swap-in-progress.json"
LOCK = ".update.lock"
MANIFEST = "previous.json"
BUILD_LOADER = "build"  # skipped.csv's rows for indicators outside the catalogue
VINTAGE_COLUMNS = ["indicator", "source", "role", "folder", "edition", "retrieved", "how"]


class RefreshError(Exception):
    """The update could not start (bad arguments, lock held, no previous dataset to roll back)."""


# ============================================================================ loaders and folders


# Loaders that share their module (so its FOLDER) with another loader: (the folders each reads, the
# catalogue indicators each emits), which the module's constants cannot tell apart. The voting
# rules read the voting file only; diaspora turnout also divides by the UN DESA emigrant stock.
SHARED_MODULE_LOADERS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "diaspora_voting": ((diaspora_voting.FOLDER,), (diaspora_voting.INDICATOR,)),
    "diaspora_turnout": (
        (diaspora_voting.FOLDER, diaspora_voting.STOCK_FOLDER),
        (diaspora_voting.TURNOUT,),
    ),
}


def loader_folders() -> dict[str, tuple[str, ...]]:
    """Publisher folders each loader reads: its module's FOLDER, then any other *_FOLDER; for a
    loader sharing its module with another, the folders SHARED_MODULE_LOADERS declares (a loader
    sharing its module without a declaration is a RuntimeError: its folders would be guessed)."""
    modules = Counter(load.__module__ for load in build.LOADERS.values())
    folders = {}
    for name, load in build.LOADERS.items():
        if name in SHARED_MODULE_LOADERS:
            folders[name] = SHARED_MODULE_LOADERS[name][0]
            continue
        if modules[load.__module__] > 1:
            raise RuntimeError(
                f"the {name} loader shares {load.__module__} with another loader: declare the "
                "folders it reads and the indicators it emits in SHARED_MODULE_LOADERS"
            )
        module = sys.modules[load.__module__]
        extra = sorted(
            getattr(module, attribute)
            for attribute in dir(module)
            if attribute.endswith("_FOLDER") and attribute != "FOLDER"
        )
        folders[name] = (module.FOLDER, *extra)
    return folders


def indicator_loaders(catalogue: Catalogue) -> dict[str, str]:
    """Catalogue indicator -> the loader that emits it: the loader whose main folder is its
    source's folder, or, where several loaders share that folder, the one that declares the
    indicator in SHARED_MODULE_LOADERS. RuntimeError when no loader or several fit."""
    by_folder: dict[str, list[str]] = {}
    for name, folders in loader_folders().items():
        by_folder.setdefault(folders[0], []).append(name)
    source_folder = catalogue.sources.set_index("source")["folder"]
    owners = {}
    for row in catalogue.indicators.itertuples():
        folder = source_folder[row.source]
        candidates = by_folder.get(folder, [])
        if len(candidates) > 1:
            candidates = [
                name
                for name in candidates
                if row.indicator in SHARED_MODULE_LOADERS.get(name, ((), ()))[1]
            ]
        if len(candidates) != 1:
            raise RuntimeError(
                f"{row.indicator}: {len(candidates) or 'no'} loaders of {folder} emit it "
                f"({', '.join(by_folder.get(folder, [])) or 'none registered'}); declare it in "
                "SHARED_MODULE_LOADERS"
            )
        owners[row.indicator] = candidates[0]
    return owners


def resolve_folders(names: Iterable[str], catalogue: Catalogue) -> list[str]:
    """Publisher folders for names given as folders (`wb-remittances`) or source ids."""
    by_id = dict(zip(catalogue.sources["source"], catalogue.sources["folder"], strict=True))
    folders = []
    for name in names:
        folder = name if name in CONNECTORS else by_id.get(name)
        if folder is None:
            known = ", ".join(sorted(CONNECTORS))
            raise RefreshError(f"unknown source '{name}' (publisher folders: {known})")
        if folder not in folders:
            folders.append(folder)
    return folders


# ============================================================================ reports


@dataclass
class SourceOutcome:
    folder: str
    status: str  # updated, failed, skipped
    how: str  # download, from-dir
    message: str = ""
    kind: str = ""  # for failures: offline, http, api, drift, contract, manual, missing
    edition: str = ""
    files: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass
class UpdateReport:
    data_dir: Path
    sources: list[SourceOutcome] = field(default_factory=list)
    applied: bool = False
    changes: ChangeReport | None = None
    change_files: list[Path] = field(default_factory=list)
    previous_dir: Path | None = None
    staging_dir: Path | None = None
    downloads: Path | None = None
    messages: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures

    @property
    def failures(self) -> list[SourceOutcome]:
        return [s for s in self.sources if s.status == "failed"]

    def to_text(self) -> str:
        lines = []
        for source in self.sources:
            line = f"{source.folder}: {source.status} ({source.how})"
            if source.edition:
                line += f", edition {source.edition}"
            if source.message:
                line += f"\n  {source.message}"
            lines.append(line)
            lines += [f"  note: {note}" for note in source.notes]
        lines += self.messages
        if self.applied and self.previous_dir is not None:
            lines.append(f"applied to {self.data_dir}; previous tables in {self.previous_dir}")
        elif self.applied:
            lines.append(f"applied to {self.data_dir} (vintage only)")
        else:
            lines.append(f"nothing was changed in {self.data_dir}")
        if self.changes is not None:
            lines.append(self.changes.summary())
        lines += [f"wrote {path}" for path in self.change_files]
        return "\n".join(lines)


# ============================================================================ update


def update_data(
    sources_names: Iterable[str] | None,
    from_dir: Path | None,
    data_dir: Path = DATA_DIR,
    client: HttpClient | None = None,
    now: datetime | None = None,
    *,
    sources_dir: Path | None = None,
    method: Method | None = None,
    keep_going: bool = False,
    timeout: float = 60.0,
    max_coverage_drop: float | None = 0.5,
) -> UpdateReport:
    """Refresh the named publishers (folders or source ids; None = every folder in `from_dir`, or
    every publisher with a download) and swap the rebuilt tables into `data_dir`.

    `sources_dir`: the publisher files the current tables were built from (see the module doc).
    `keep_going`: apply the publishers that worked when others fail (default: all or nothing).
    A publisher is applied whole: when a loader reading its folder fails, no loader's output from
    that folder is used.
    `max_coverage_drop`: an indicator losing more than this share of its countries is taken for
    an unnoticed format change and nothing is applied (None: no check).
    RefreshError for bad arguments; every publisher-side problem is in the report instead."""
    now = (now or datetime.now(UTC)).astimezone(UTC)
    data_dir = Path(data_dir)
    catalogue = load_catalogue()
    report = UpdateReport(data_dir)
    if from_dir is not None and not Path(from_dir).is_dir():
        raise RefreshError(f"--from-dir {from_dir} is not a folder")
    if sources_dir is not None and not Path(sources_dir).is_dir():
        raise RefreshError(f"--sources {sources_dir} is not a folder")
    folders = _chosen_folders(sources_names, from_dir, catalogue, report)
    if not folders:
        raise RefreshError("no publisher to update")
    data_dir.mkdir(parents=True, exist_ok=True)
    with _lock(data_dir):
        recover(data_dir)
        staging = data_dir / STAGING
        shutil.rmtree(staging, ignore_errors=True)
        (staging / "sources").mkdir(parents=True)
        report.staging_dir = staging
        fetched = _stage(folders, from_dir, sources_dir, staging / "sources", client, now, timeout)
        report.sources += [outcome for outcome, _ in fetched.values()]
        if report.failures and not keep_going:
            return _not_applied(report, "a publisher failed")
        refreshed = {f: got for f, (outcome, got) in fetched.items() if outcome.status == "updated"}
        if not refreshed:
            return _not_applied(report, "no publisher was refreshed")
        built = _build(refreshed, fetched, catalogue, data_dir, sources_dir, staging, keep_going)
        if built is None or (report.failures and not keep_going):
            return _not_applied(report, "the new tables were not built")
        refreshed = {f: got for f, got in refreshed.items() if fetched[f][0].status == "updated"}
        report.messages += _edition_notes(refreshed, catalogue)
        vintage = update_vintage(
            load_vintage(data_dir, catalogue), refreshed, fetched, catalogue, now
        )
        build.write_csv(vintage, staging / "data" / VINTAGE)
        report.changes = _changes(data_dir, staging / "data", catalogue, method)
        dropped = coverage_drops(report.changes.coverage, max_coverage_drop)
        if len(dropped):
            _report_drops(dropped, fetched, catalogue, max_coverage_drop)
            return _not_applied(report, "an indicator lost too many countries")
        _apply(report, staging, now, refreshed)
    return report


def coverage_drops(coverage: pd.DataFrame, max_drop: float | None) -> pd.DataFrame:
    """Rows of a change report's coverage whose indicator lost more than `max_drop` of its
    countries (none when max_drop is None)."""
    if max_drop is None:
        return coverage.iloc[0:0]
    before = coverage["countries_before"].astype("float64")
    after = coverage["countries_after"].astype("float64")
    return coverage[(before > 0) & (after < before * (1 - max_drop))]


def _report_drops(dropped, fetched, catalogue, max_drop) -> None:
    """Mark each refreshed folder the loader of a dropped indicator reads (its source's folder, or
    a denominator's) as failed, naming every indicator of it that would fall."""
    owner, folders_of = indicator_loaders(catalogue), loader_folders()
    falls: dict[str, list[str]] = {}
    for row in dropped.itertuples():
        for folder in folders_of[owner[row.indicator]]:
            if folder in fetched:
                falls.setdefault(folder, []).append(
                    f"{row.indicator} would fall from {row.countries_before} to "
                    f"{row.countries_after} countries"
                )
    for folder, lines in falls.items():
        outcome = fetched[folder][0]
        outcome.status, outcome.kind = "failed", "drift"
        outcome.message = (
            f"{folder}: {'; '.join(lines)} (more than {max_drop:.0%} lost): the publisher's "
            "format may have changed without breaking the loader. Nothing was changed; check the "
            "staged files, or accept with --allow-coverage-drop."
        )


def _edition_notes(refreshed: dict[str, Fetched], catalogue: Catalogue) -> list[str]:
    notes = []
    for folder, got in refreshed.items():
        sources = catalogue.sources[catalogue.sources["folder"] == folder]
        editions = sorted(set(sources["edition"].astype(str)))
        if got.edition and got.edition not in editions:
            notes.append(
                f"{folder}: the publisher's edition is now '{got.edition}' (sources.yaml: "
                f"'{'; '.join(editions)}'); review the change report and update "
                "indicators/sources.yaml"
            )
    return notes


def _chosen_folders(names, from_dir, catalogue, report) -> list[str]:
    if names is not None:
        return resolve_folders(names, catalogue)
    if from_dir is not None:
        return [folder for folder in CONNECTORS if (Path(from_dir) / folder).is_dir()]
    folders = []
    for folder, connector in CONNECTORS.items():
        if connector.automatic:
            folders.append(folder)
        else:
            report.sources.append(
                SourceOutcome(folder, "skipped", "download", f"{connector.manual} Use --from-dir.")
            )
    return folders


def _stage(folders, from_dir, sources_dir, dest, client, now, timeout):
    """{folder: (outcome, Fetched or None)}, the files written into dest/<folder>/."""
    client = client if client is not None or from_dir is not None else default_client()
    staged = {}
    for folder in folders:
        connector = CONNECTORS[folder]
        how = "from-dir" if from_dir is not None else "download"
        try:
            if from_dir is not None:
                got = _copy_from_dir(Path(from_dir), folder, dest / folder)
            else:
                previous = Path(sources_dir) / folder if sources_dir is not None else None
                fetch = Fetch(client, now.date(), timeout, previous)
                got = connector.fetch(fetch, dest / folder)
        except SourceError as error:
            staged[folder] = (SourceOutcome(folder, "failed", how, str(error), error.kind), None)
            continue
        outcome = SourceOutcome(
            folder, "updated", how, edition=got.edition, files=got.files, notes=got.notes
        )
        staged[folder] = (outcome, got)
    return staged


#: How deep and how many entries --from-dir is walked per publisher folder (a real one holds a
#: handful of files, no sub-folder).
MAX_FROM_DIR_DEPTH = 4
MAX_FROM_DIR_ENTRIES = 1_000


def _copy_from_dir(from_dir: Path, folder: str, dest: Path) -> Fetched:
    """Copy the publisher folder's files into `dest`, refusing (SourceError of kind 'refused',
    before anything is copied) special files (FIFOs, devices such as /dev/zero, sockets),
    links that loop, lead nowhere or lead out of `from_dir`, and files over the
    SCORECARD_MAX_SOURCE_MB limit. A link to a file inside `from_dir` is copied as that file."""
    source = from_dir / folder
    if source.is_symlink() and not _inside(source, from_dir):
        raise SourceError(folder, "refused", f"{source} is a link out of {from_dir}; refused")
    if not source.is_dir():
        raise SourceError(folder, "missing", f"{source} is not a folder")
    bound = limits.current()
    files = _safe_files(folder, source, Path(from_dir), bound)
    if not files:
        raise SourceError(folder, "missing", f"{source} holds no file")
    for name, path in files.items():
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with open_regular(path) as reader, open(target, "wb") as writer:
                writer.write(
                    read_bounded(reader, bound.max_source_bytes, str(path), bound, "max_source_mb")
                )
        except (FileRefused, LimitError) as error:  # changed since it was looked at
            raise SourceError(folder, "refused", f"{error}; nothing was changed") from None
    # relative names: a publisher's layout may nest (UIS: inbound_export/data.csv)
    return Fetched(folder, tuple(sorted(files)))


def _inside(path: Path, root: Path) -> bool:
    """`path`, links resolved, is `root` (resolved) or under it; False for a loop or a dangling
    link."""
    try:
        return Path(path).resolve(strict=True).is_relative_to(Path(root).resolve(strict=True))
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop (Python 3.11)
        return False


def _safe_files(folder: str, source: Path, root: Path, bound: Limits) -> dict[str, Path]:
    """{relative name: path to read} for every file under `source`; SourceError naming the first
    entry that is not a regular file within the size limit (links followed only inside
    `root`)."""
    files: dict[str, Path] = {}
    stack = [(source, "", 0)]
    seen = 0

    def refuse(path: Path, what: str) -> SourceError:
        return SourceError(folder, "refused", f"{path} {what}; nothing was changed")

    while stack:
        directory, prefix, depth = stack.pop()
        with os.scandir(directory) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                seen += 1
                if seen > MAX_FROM_DIR_ENTRIES:
                    raise refuse(source, f"holds more than {MAX_FROM_DIR_ENTRIES:,} entries")
                path, name = Path(entry.path), prefix + entry.name
                if entry.is_symlink():
                    try:
                        target = path.resolve(strict=True)
                    except (OSError, RuntimeError):
                        raise refuse(path, "is a link that loops or leads nowhere") from None
                    if not _inside(target, root):
                        raise refuse(path, f"is a link to {target}, outside {root}")
                    mode = target.stat().st_mode
                    if not stat.S_ISREG(mode):
                        raise refuse(path, f"is a link to {describe(mode)}, not a regular file")
                    size, path = target.stat().st_size, target
                elif entry.is_dir(follow_symlinks=False):
                    if depth + 1 >= MAX_FROM_DIR_DEPTH:
                        raise refuse(path, f"is more than {MAX_FROM_DIR_DEPTH} folders deep")
                    stack.append((path, name + "/", depth + 1))
                    continue
                else:
                    info = entry.stat(follow_symlinks=False)
                    if not stat.S_ISREG(info.st_mode):
                        raise refuse(path, f"is {describe(info.st_mode)}, not a regular file")
                    size = info.st_size
                if size > bound.max_source_bytes:
                    raise SourceError(
                        folder,
                        "refused",
                        bound.refusal(f"{path} is too large", megabytes(size), "max_source_mb"),
                    )
                files[name] = path
    return files


def _build(refreshed, fetched, catalogue, data_dir, sources_dir, staging, keep_going):
    """Run the loaders on the staged sources and write the tables into staging/data; None when a
    loader or a contract failed (the failing publishers are marked in `fetched`)."""
    sources = staging / "sources"
    folders_of = loader_folders()
    if sources_dir is not None:
        for folder in sorted({f for fs in folders_of.values() for f in fs} - set(refreshed)):
            _link(Path(sources_dir) / folder, sources / folder)
        run = list(build.LOADERS)
    else:
        run = [name for name, fs in folders_of.items() if set(fs) & set(refreshed)]
        if not (data_dir / "values.csv").exists() and len(run) < len(build.LOADERS):
            _fail_all(
                fetched,
                refreshed,
                "missing",
                f"{data_dir} has no values.csv to keep the "
                "other publishers' values from: give --sources DIR (all publisher files)",
            )
            return None
        incomplete = []
        for name in run:
            missing = [f for f in folders_of[name] if f not in refreshed]
            if missing:
                incomplete.append(name)
                message = (
                    f"the {name} loader also reads {', '.join(missing)}: give --sources DIR "
                    f"(the current publisher files) or update {', '.join(missing)} too"
                )
                _fail_all(
                    fetched, [f for f in folders_of[name] if f in refreshed], "missing", message
                )
        if incomplete and not keep_going:
            return None
    while True:
        run = _without_failed(run, folders_of, refreshed, fetched)
        if not run:
            return None
        results, failed = _run_loaders(run, sources, folders_of, refreshed, fetched)
        if failed and not keep_going:
            return None
        run = _without_failed(run, folders_of, refreshed, fetched)
        if not run:
            return None
        values, skipped = _combined(results, run, catalogue, data_dir, sources_dir)
        try:
            build.write_tables(values, skipped, staging / "data")
            return staging / "data"
        except ContractError as error:
            # the rows write_tables checked: catalogue indicators, then the zeros it adds
            checked = build.absent_as_zero(build.outside_catalogue(values, catalogue)[0], catalogue)
            bad = _contract_loaders(error, checked, catalogue)
            for name in bad:
                _fail_all(
                    fetched,
                    [f for f in folders_of[name] if f in refreshed] or list(refreshed),
                    "contract",
                    f"{error} in the values of the {name} loader; nothing was changed:\n"
                    + _failure_lines(error, checked),
                )
            if not keep_going or not bad:
                return None


def _without_failed(run, folders_of, refreshed, fetched) -> list[str]:
    """The loaders of `run` that read no refreshed publisher folder that has failed since. A
    publisher is applied whole or not at all: a loader left out here also fails the other
    refreshed folders it reads (so the other loaders of those folders are left out too). Folders
    that failed before staging are not among `refreshed`: their current files are read, if any."""
    while True:
        failed = {folder for folder in refreshed if fetched[folder][0].status == "failed"}
        left_out = [name for name in run if set(folders_of[name]) & failed]
        if not left_out:
            return list(run)
        run = [name for name in run if name not in left_out]
        for name in left_out:
            reason = sorted(set(folders_of[name]) & failed)
            for folder in folders_of[name]:
                if folder in refreshed and folder not in failed:
                    _fail_all(
                        fetched,
                        [folder],
                        "missing",
                        f"not applied: the {name} loader also reads {', '.join(reason)}, which "
                        "failed (a publisher is applied whole or not at all)",
                    )


def _run_loaders(run, sources, folders_of, refreshed, fetched):
    results, failed = {}, []
    for name in run:
        try:
            results[name] = build.LOADERS[name](sources)
        except FileNotFoundError as error:
            failed.append(name)
            _fail_all(
                fetched,
                [f for f in folders_of[name] if f in refreshed] or list(refreshed),
                "missing",
                f"the {name} loader needs {Path(error.filename or str(error)).name}, which is "
                f"not among the files ({error.filename}); nothing was changed",
            )
        except Exception as error:  # a loader failing on new files is schema drift
            failed.append(name)
            _fail_all(
                fetched,
                [f for f in folders_of[name] if f in refreshed] or list(refreshed),
                "drift",
                f"the {name} loader cannot read the new files ({type(error).__name__}: {error}); "
                "the publisher may have changed its format. Nothing was changed.",
            )
    return results, failed


def _combined(results, run, catalogue, data_dir, sources_dir):
    """(values, skipped rows) for `build.write_tables`: the output of the loaders run and, for the
    loaders not run, their rows of the current tables; skipped rows of tables update-data does not
    rebuild (the published indices) are kept as they are."""
    values = [results[name].values for name in run]
    skipped = [results[name].skipped.assign(loader=name) for name in run]
    old = None
    if (data_dir / "skipped.csv").exists():
        old = read_table(data_dir / "skipped.csv").fillna("")
        skipped.append(old[~old["loader"].isin([*build.LOADERS, BUILD_LOADER])])
    kept_loaders = set(build.LOADERS) - set(run)
    if kept_loaders:
        owner = indicator_loaders(catalogue)
        if (data_dir / "values.csv").exists():
            previous = read_values(data_dir)
            values.append(previous[previous["indicator"].map(owner).isin(kept_loaders)])
        if old is not None:
            skipped.append(old[old["loader"].isin(kept_loaders)])
            # The build's row for an indicator outside the catalogue: write_tables writes it anew
            # for the loaders run; the others' rows (values that are not in values.csv) stay.
            given = set().union(*(set(results[name].values["indicator"]) for name in run))
            outside = (old["loader"] == BUILD_LOADER) & ~old["row"].isin(given)
            skipped.append(old[outside & ~old["row"].isin(set(owner))])
    return (
        pd.concat(values, ignore_index=True),
        pd.concat(skipped, ignore_index=True)[["loader", *SKIPPED_COLUMNS]],
    )


def _contract_loaders(error: ContractError, values: pd.DataFrame, catalogue) -> list[str]:
    owner = indicator_loaders(catalogue)
    rows = [row for row in error.failures["row"] if row in values.index]
    indicators = values.loc[rows, "indicator"].map(owner).dropna()
    return sorted(set(indicators)) or sorted(set(owner.values()))


def _failure_lines(error: ContractError, values: pd.DataFrame, limit: int = 5) -> str:
    lines = []
    for failure in error.failures.head(limit).itertuples():
        where = ""
        if failure.row in values.index:
            row = values.loc[failure.row]
            where = f"{row['iso3']} {row['indicator']} {row['year']}: "
        lines.append(f"  {where}{failure.reason}")
    more = len(error.failures) - limit
    return "\n".join(lines + ([f"  ... and {more} more"] if more > 0 else []))


def _fail_all(fetched, folders, kind, message):
    for folder in folders:
        outcome = fetched[folder][0]
        outcome.status, outcome.kind = "failed", kind
        outcome.message = f"{folder}: {message}"


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    else:
        shutil.rmtree(path)


def _link(source: Path, dest: Path) -> None:
    if not source.exists():
        return
    try:
        dest.symlink_to(source.resolve(), target_is_directory=True)
    except OSError:
        shutil.copytree(source, dest)


def _not_applied(report: UpdateReport, why: str) -> UpdateReport:
    report.messages.append(f"not applied: {why}; staged files kept in {report.staging_dir}")
    return report


def _changes(data_dir: Path, new_dir: Path, catalogue: Catalogue, method: Method | None):
    old = read_values(data_dir) if (data_dir / "values.csv").exists() else _empty_values()
    countries = _countries(new_dir)
    return change_report(old, read_values(new_dir), catalogue, method, countries)


def _apply(report: UpdateReport, staging: Path, now: datetime, refreshed: Iterable[str]) -> None:
    """Swap the staged tables in (or only the vintage when no table changed), write the change
    report, keep downloaded publisher files in data_dir/.downloads/ (files from --from-dir are
    the user's own)."""
    refreshed = set(refreshed)
    data_dir = report.data_dir
    new = staging / "data"
    same = all(_same_file(new / name, data_dir / name) for name in TABLES)
    if same and (data_dir / "values.csv").exists():
        os.replace(new / VINTAGE, data_dir / VINTAGE)
        report.messages.append("no value changed: only vintage.csv was updated")
    else:
        swap(data_dir, {name: new / name for name in SWAPPED}, now)
        report.previous_dir = data_dir / PREVIOUS
    report.applied = True
    if not same:
        report.change_files = report.changes.write(data_dir / CHANGES, _stamp(now))
    if all(source.how == "download" for source in report.sources if source.folder in refreshed):
        downloads = data_dir / DOWNLOADS
        shutil.rmtree(downloads, ignore_errors=True)
        for entry in (staging / "sources").iterdir():
            if entry.is_symlink() or entry.name not in refreshed:
                _remove(entry)
        (staging / "sources").replace(downloads)
        report.downloads = downloads
        report.messages.append(f"downloaded files kept in {downloads}")
    shutil.rmtree(staging, ignore_errors=True)
    report.staging_dir = None


# ============================================================================ swap and rollback


def swap(data_dir: Path, staged: dict[str, Path | None], now: datetime) -> None:
    """Replace data_dir/<name> by each staged file (None: remove it), keeping the replaced files in
    data_dir/.previous/. The marker makes an interrupted swap finish on the next `recover`."""
    previous_new = data_dir / f"{PREVIOUS}.new"
    shutil.rmtree(previous_new, ignore_errors=True)
    previous_new.mkdir()
    kept = []
    for name in SWAPPED:
        if (data_dir / name).exists():
            shutil.copy2(data_dir / name, previous_new / name)
            kept.append(name)
    manifest = {"files": kept, "replaced_at": now.isoformat(timespec="seconds")}
    (previous_new / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n")
    _fsync_dir(previous_new)
    previous, old = data_dir / PREVIOUS, data_dir / f"{PREVIOUS}.old"
    shutil.rmtree(old, ignore_errors=True)
    if previous.exists():
        previous.replace(old)
    previous_new.replace(previous)
    shutil.rmtree(old, ignore_errors=True)

    marker = {
        "replace": {name: str(path) for name, path in staged.items() if path is not None},
        "remove": [name for name, path in staged.items() if path is None],
    }
    (data_dir / MARKER).write_text(json.dumps(marker, indent=1) + "\n")
    _finish_swap(data_dir, marker)


def _finish_swap(data_dir: Path, marker: dict) -> None:
    for name, path in marker["replace"].items():
        if Path(path).exists():
            os.replace(path, data_dir / name)
    for name in marker["remove"]:
        (data_dir / name).unlink(missing_ok=True)
    _fsync_dir(data_dir)
    (data_dir / MARKER).unlink(missing_ok=True)


def recover(data_dir: Path) -> str:
    """Finish a swap interrupted by a crash (from its marker); '' when there was nothing to do."""
    data_dir = Path(data_dir)
    marker_path = data_dir / MARKER
    done = []
    if (data_dir / f"{PREVIOUS}.new").exists() and not marker_path.exists():
        # the swap had not started: the current tables are intact
        if not (data_dir / PREVIOUS).exists() and (data_dir / f"{PREVIOUS}.old").exists():
            (data_dir / f"{PREVIOUS}.old").replace(data_dir / PREVIOUS)
        shutil.rmtree(data_dir / f"{PREVIOUS}.new", ignore_errors=True)
        done.append("discarded an unfinished copy of the previous tables")
    if marker_path.exists():
        _finish_swap(data_dir, json.loads(marker_path.read_text()))
        done.append("finished an interrupted swap")
    shutil.rmtree(data_dir / f"{PREVIOUS}.old", ignore_errors=True)
    return "; ".join(done)


def rollback(data_dir: Path = DATA_DIR, now: datetime | None = None) -> list[str]:
    """Put the previous tables back (the current ones become the previous: rolling back twice
    redoes the update). Returns the restored file names; RefreshError if there is nothing to
    restore."""
    data_dir = Path(data_dir)
    now = (now or datetime.now(UTC)).astimezone(UTC)
    previous = data_dir / PREVIOUS
    if not data_dir.is_dir():
        raise RefreshError(f"{data_dir} is not a folder")
    with _lock(data_dir):
        recover(data_dir)
        if not (previous / MANIFEST).exists():
            raise RefreshError(f"no previous dataset in {previous}: nothing to roll back")
        files = json.loads((previous / MANIFEST).read_text())["files"]
        staging = data_dir / STAGING / "rollback"
        shutil.rmtree(data_dir / STAGING, ignore_errors=True)
        staging.mkdir(parents=True)
        for name in files:
            shutil.copy2(previous / name, staging / name)
        staged = {name: (staging / name if name in files else None) for name in SWAPPED}
        swap(data_dir, staged, now)
        shutil.rmtree(data_dir / STAGING, ignore_errors=True)
    return files


class _lock:
    """One update or rollback of a data folder at a time: an exclusive flock on
    `<data>/.update.lock`. The system releases a flock when its process ends, however it ends
    (Ctrl-C, kill -9, a crash), so a killed update never leaves a lock that blocks the next one;
    the file may stay behind, holding the last holder's process id."""

    def __init__(self, data_dir: Path):
        self.path = Path(data_dir) / LOCK
        self.fd: int | None = None

    def __enter__(self):
        import fcntl

        while True:
            fd = os.open(self.path, os.O_CREAT | os.O_RDWR, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.read(fd, 32).decode(errors="replace").strip()
                os.close(fd)
                raise RefreshError(
                    f"another update of {self.path.parent} is running"
                    f"{f' (process {holder})' if holder.isdigit() else ''}; wait for it to finish"
                ) from None
            try:  # the holder before may have removed the file after we opened it: start again
                same = os.path.samestat(os.fstat(fd), os.stat(self.path))
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(fd)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self.fd = fd
        return self

    def __exit__(self, *exc):
        self.path.unlink(missing_ok=True)  # while still holding it: no one else is inside
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


def _same_file(a: Path, b: Path) -> bool:
    return a.exists() and b.exists() and a.read_bytes() == b.read_bytes()


def _stamp(now: datetime) -> str:
    return now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


# ============================================================================ tables


def read_values(data_dir: Path) -> pd.DataFrame:
    """values.csv typed (iso3, indicator, year int, value float, note '' when empty)."""
    values = read_table(Path(data_dir) / "values.csv")
    return values.assign(
        year=values["year"].astype("int64"),
        value=values["value"].astype("float64"),
        note=values["note"].fillna("").astype(str),
    )[VALUE_COLUMNS]


def _empty_values() -> pd.DataFrame:
    return pd.DataFrame(
        {
            c: pd.Series(dtype="int64" if c == "year" else "float64" if c == "value" else "str")
            for c in VALUE_COLUMNS
        }
    )


def _countries(data_dir: Path) -> pd.DataFrame | None:
    from indicators.catalogue import load_countries

    return load_countries(data_dir) if (data_dir / "countries.csv").exists() else None


# ============================================================================ vintage


def initial_vintage(catalogue: Catalogue) -> pd.DataFrame:
    """Vintage of tables built before any update: sources.yaml's editions, retrieval unknown."""
    sources = catalogue.sources.set_index("source")
    rows = []
    for indicator in catalogue.indicators.itertuples():
        roles = [("values", indicator.source)]
        if indicator.denominator_source:
            roles.append(("denominator", indicator.denominator_source))
        for role, source in roles:
            rows.append(
                {
                    "indicator": indicator.indicator,
                    "source": source,
                    "role": role,
                    "folder": sources.loc[source, "folder"],
                    "edition": str(sources.loc[source, "edition"]),
                    "retrieved": "",
                    "how": "initial build",
                }
            )
    return pd.DataFrame(rows, columns=VINTAGE_COLUMNS)


def load_vintage(data_dir: Path = DATA_DIR, catalogue: Catalogue | None = None) -> pd.DataFrame:
    """data_dir/vintage.csv, or the initial vintage when the tables were never updated. Rows of
    indicators added to the catalogue since get the initial row."""
    catalogue = catalogue or load_catalogue()
    initial = initial_vintage(catalogue)
    path = Path(data_dir) / VINTAGE
    if not path.exists():
        return initial
    vintage = read_table(path).fillna("").astype(str)[VINTAGE_COLUMNS]
    have, wanted = _vintage_keys(vintage), _vintage_keys(initial)
    kept = vintage[[key in set(wanted) for key in have]]
    added = initial[[key not in set(have) for key in wanted]]
    return pd.concat([kept, added], ignore_index=True).sort_values(
        ["indicator", "role", "source"], ignore_index=True, key=_role_order
    )


def _vintage_keys(vintage: pd.DataFrame) -> list[tuple[str, str, str]]:
    return list(zip(vintage["indicator"], vintage["source"], vintage["role"], strict=True))


def update_vintage(
    vintage: pd.DataFrame,
    refreshed: dict[str, Fetched],
    fetched: dict[str, tuple[SourceOutcome, Fetched | None]],
    catalogue: Catalogue,
    now: datetime,
) -> pd.DataFrame:
    """The rows of refreshed folders get the edition seen (or sources.yaml's), today's date and
    how the files came; the others stay as they were."""
    vintage = vintage.copy()
    editions = dict(zip(catalogue.sources["source"], catalogue.sources["edition"], strict=True))
    for folder, got in refreshed.items():
        rows = vintage["folder"] == folder
        stated = got.edition if got is not None else ""
        vintage.loc[rows, "edition"] = (
            stated if stated else vintage.loc[rows, "source"].map(editions).astype(str)
        )
        vintage.loc[rows, "retrieved"] = now.date().isoformat()
        vintage.loc[rows, "how"] = fetched[folder][0].how
    return vintage.sort_values(["indicator", "role", "source"], ignore_index=True, key=_role_order)


def _role_order(column: pd.Series) -> pd.Series:
    return (
        column.map({"values": "0", "denominator": "1"}).fillna(column)
        if column.name == "role"
        else column
    )


def stale_indicators(
    vintage: pd.DataFrame, values: pd.DataFrame, today: date, max_age_years: float = 3
) -> pd.DataFrame:
    """Per indicator: edition, retrieval date, latest data year and whether it is stale.

    Stale when the latest year with a value is more than `max_age_years` before today's year, when
    it has no value at all, or when the files were retrieved more than `max_age_years` ago. An
    unknown retrieval date alone does not make an indicator stale.

    >>> vintage = pd.DataFrame({"indicator": ["a", "b"], "source": ["s", "t"],
    ...     "role": ["values"] * 2, "edition": ["2025", "2020"],
    ...     "retrieved": ["2026-01-05", ""]})
    >>> values = pd.DataFrame({"indicator": ["a", "b"], "year": [2025, 2019]})
    >>> stale_indicators(vintage, values, date(2026, 6, 1))[["indicator", "stale"]].values.tolist()
    [['a', False], ['b', True]]
    """
    rows = vintage
    if "role" in rows:
        rows = rows[rows["role"].fillna("values") == "values"]
    latest = values.groupby("indicator")["year"].max()
    out = []
    for row in rows.itertuples():
        year = latest.get(row.indicator)
        retrieved = _parse_date(getattr(row, "retrieved", ""))
        data_age = None if year is None or pd.isna(year) else today.year - int(year)
        retrieval_age = None if retrieved is None else (today - retrieved).days / 365.25
        reasons = []
        if data_age is None:
            reasons.append("no value")
        elif data_age > max_age_years:
            reasons.append(f"latest value is for {int(year)}, {data_age} years ago")
        if retrieval_age is not None and retrieval_age > max_age_years:
            reasons.append(f"retrieved {retrieved.isoformat()}, {retrieval_age:.1f} years ago")
        out.append(
            {
                "indicator": row.indicator,
                "source": row.source,
                "edition": row.edition,
                "retrieved": "" if retrieved is None else retrieved.isoformat(),
                "latest_year": pd.NA if data_age is None else int(year),
                "data_age_years": pd.NA if data_age is None else data_age,
                "stale": bool(reasons),
                "reason": "; ".join(reasons),
            }
        )
    table = pd.DataFrame(
        out,
        columns=[
            "indicator",
            "source",
            "edition",
            "retrieved",
            "latest_year",
            "data_age_years",
            "stale",
            "reason",
        ],
    )
    return table.astype({"latest_year": "Int64", "data_age_years": "Int64", "stale": "bool"})


def _parse_date(text) -> date | None:
    try:
        return date.fromisoformat(str(text)[:10]) if text and not pd.isna(text) else None
    except ValueError:
        return None


# ============================================================================ change report


@dataclass
class ChangeReport:
    """What an update changed: values (added, removed, revised), coverage and ranks."""

    values: pd.DataFrame  # change, indicator, iso3, year, old, new, delta
    coverage: pd.DataFrame  # indicator, countries/values/latest_year before and after
    ranks: pd.DataFrame  # iso3, rank_before, rank_after, rank_change, overall_before/after
    method: Method
    ranking_note: str = ""

    @property
    def added(self) -> pd.DataFrame:
        return self.values[self.values["change"] == "added"]

    @property
    def removed(self) -> pd.DataFrame:
        return self.values[self.values["change"] == "removed"]

    @property
    def revised(self) -> pd.DataFrame:
        return self.values[self.values["change"] == "revised"]

    @property
    def moved(self) -> pd.DataFrame:
        """Countries whose rank changed, entered or left the ranking."""
        changed = self.ranks["rank_change"].fillna(1) != 0
        return self.ranks[changed.astype(bool)]

    def summary(self) -> str:
        text = (
            f"{len(self.added)} values added, {len(self.removed)} removed, "
            f"{len(self.revised)} revised; {len(self.moved)} countries moved in the ranking"
        )
        return text + (f" ({self.ranking_note})" if self.ranking_note else "")

    def to_markdown(self, limit: int = 25) -> str:
        parts = ["# Data update: what changed", "", self.summary() + ".", ""]
        per_indicator = (
            self.values.groupby(["indicator", "change"]).size().unstack(fill_value=0)
            if len(self.values)
            else pd.DataFrame()
        )
        before = self.coverage.filter(like="_before").astype("float64").fillna(-1).to_numpy()
        after = self.coverage.filter(like="_after").astype("float64").fillna(-1).to_numpy()
        changed = self.coverage[
            (before != after).any(axis=1) | self.coverage["indicator"].isin(per_indicator.index)
        ]
        parts += ["## Coverage per indicator (changed indicators)", ""]
        if len(changed):
            table = changed.set_index("indicator").join(per_indicator).fillna(0)
            parts.append(_markdown_table(table.reset_index()))
        else:
            parts.append("No indicator changed.")
        for title, rows in (
            ("Revised", self.revised),
            ("Added", self.added),
            ("Removed", self.removed),
        ):
            if len(rows):
                parts += ["", f"## {title} values ({len(rows)})", ""]
                shown = rows.drop(columns="change").head(limit)
                parts.append(_markdown_table(shown))
                if len(rows) > limit:
                    parts.append(f"\n... {len(rows) - limit} more in the CSV file.")
        parts += ["", "## Ranking", "", f"Method: {_method_line(self.method)}.", ""]
        if self.ranking_note:
            parts.append(self.ranking_note)
        elif len(self.moved):
            moved = self.moved.reindex(
                self.moved["rank_change"]
                .abs()
                .sort_values(ascending=False, na_position="first")
                .index
            ).head(limit)
            parts.append(_markdown_table(moved))
            if len(self.moved) > limit:
                parts.append(f"\n... {len(self.moved) - limit} more in the CSV file.")
        else:
            parts.append("No country changed rank.")
        return "\n".join(parts) + "\n"

    def write(self, directory: Path, stamp: str) -> list[Path]:
        """<stamp>.md, <stamp>-values.csv, <stamp>-coverage.csv, <stamp>-ranks.csv."""
        directory.mkdir(parents=True, exist_ok=True)
        paths = [
            directory / f"{stamp}{suffix}"
            for suffix in (".md", "-values.csv", "-coverage.csv", "-ranks.csv")
        ]
        paths[0].write_text(self.to_markdown(), encoding="utf-8")
        build.write_csv(self.values, paths[1])
        build.write_csv(self.coverage, paths[2])
        build.write_csv(self.ranks, paths[3])
        return paths


def change_report(
    old_values: pd.DataFrame,
    new_values: pd.DataFrame,
    catalogue: Catalogue,
    method: Method | None = None,
    countries: pd.DataFrame | None = None,
) -> ChangeReport:
    """Values added, removed and revised per indicator, country and year (old, new, delta),
    coverage per indicator before and after, and the ranking under `method` before and after
    (rank_change > 0: moved up)."""
    method = method or Method()
    key = ["indicator", "iso3", "year"]
    old = old_values[[*key, "value"]].rename(columns={"value": "old"})
    new = new_values[[*key, "value"]].rename(columns={"value": "new"})
    both = old.merge(new, on=key, how="outer", indicator=True)
    both["change"] = (
        both["_merge"]
        .map({"left_only": "removed", "right_only": "added", "both": "revised"})
        .astype(str)
    )
    same = (both["change"] == "revised") & np.isclose(
        both["old"].fillna(0), both["new"].fillna(0), rtol=0, atol=10**-build.DECIMALS / 2
    )
    changes = both[~same].assign(delta=lambda t: (t["new"] - t["old"]).round(build.DECIMALS))
    order = {"revised": 0, "added": 1, "removed": 2}
    changes = changes.sort_values(
        [*key, "change"], key=lambda c: c.map(order) if c.name == "change" else c
    )
    changes = changes[["change", *key, "old", "new", "delta"]].reset_index(drop=True)
    coverage = _coverage_change(old_values, new_values, catalogue)
    ranks, note = _rank_change(old_values, new_values, catalogue, method, countries)
    return ChangeReport(changes, coverage, ranks, method, note)


def _coverage_change(old_values, new_values, catalogue) -> pd.DataFrame:
    def coverage(values):
        grouped = values.groupby("indicator")
        return pd.DataFrame(
            {
                "countries": grouped["iso3"].nunique(),
                "values": grouped.size(),
                "latest_year": grouped["year"].max(),
            }
        )

    indicators = pd.Index(catalogue.indicators["indicator"], name="indicator")
    before = coverage(old_values).reindex(indicators)
    after = coverage(new_values).reindex(indicators)
    table = pd.DataFrame(index=indicators)
    for column in ("countries", "values", "latest_year"):
        table[f"{column}_before"] = before[column].astype("Int64")
        table[f"{column}_after"] = after[column].astype("Int64")
    for column in ("countries", "values"):
        table[[f"{column}_before", f"{column}_after"]] = table[
            [f"{column}_before", f"{column}_after"]
        ].fillna(0)
    return table.reset_index()


def _rank_change(old_values, new_values, catalogue, method, countries):
    from scoring.pipeline import build_scorecard
    from scoring.tables import rank_changes

    columns = [
        "iso3",
        "rank_before",
        "rank_after",
        "rank_change",
        "overall_before",
        "overall_after",
    ]
    try:
        before = build_scorecard(old_values, catalogue, method, countries).results
        after = build_scorecard(new_values, catalogue, method, countries).results
    except ValueError as error:
        return pd.DataFrame(columns=columns), f"ranking not computed: {error}"
    index = before.index.union(after.index)
    rank_before = before["rank"].reindex(index)
    rank_after = after["rank"].reindex(index)
    table = pd.DataFrame(
        {
            "rank_before": rank_before,
            "rank_after": rank_after,
            "rank_change": rank_changes(rank_after, rank_before),
            "overall_before": before["overall"].reindex(index),
            "overall_after": after["overall"].reindex(index),
        },
        index=index,
    )
    table = table.sort_values(["rank_after", "rank_before"], na_position="last")
    return table.rename_axis("iso3").reset_index()[columns], ""


def _markdown_table(frame: pd.DataFrame) -> str:
    def cell(value) -> str:
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return ""
        if isinstance(value, float | np.floating):
            return f"{value:.6g}"
        return str(value).replace("|", "\\|")

    header = "| " + " | ".join(str(c) for c in frame.columns) + " |"
    rule = "|" + "---|" * len(frame.columns)
    body = ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([header, rule, *body])


def _method_line(method: Method) -> str:
    changed = method.to_dict(only_changes=True)
    return ", ".join(f"{k} = {v}" for k, v in changed.items()) or "catalogue defaults"


# ============================================================================ shipped vintage and saved reports


def provenance_retrieved(provenance: str) -> tuple[str, str]:
    """(date, origin) of a publisher folder's files as its PROVENANCE.md states them: the date of
    the commit the files were taken from ('Taken from: GitHub `owner/repo`, commit `sha` (date'),
    '' when the text gives none (files compiled by hand): an unknown date is never guessed.

    >>> provenance_retrieved("- **Taken from:** GitHub `a/b`, commit `0123456789ab` (2025-08-08).")
    ('2025-08-08', 'GitHub a/b@0123456')
    >>> provenance_retrieved('- **Taken from:** GitHub `a/b`, commit `0123456789ab` ("Update 12 January 2025")')
    ('2025-01-12', 'GitHub a/b@0123456')
    >>> provenance_retrieved("- **How compiled:** read in public pages")
    ('', 'compiled by hand')
    """
    import re

    line = next((ln for ln in provenance.splitlines() if "**Taken from:**" in ln), "")
    taken = re.search(
        r"GitHub `([^`]+)`.*?commit `([0-9a-f]{7,40})` \(([^)]*)\)", line, flags=re.DOTALL
    )
    if taken is None:
        return "", "compiled by hand" if "compiled" in provenance.lower() else ""
    repo, sha, note = taken.groups()
    origin = f"GitHub {repo}@{sha[:7]}"
    iso = re.search(r"\d{4}-\d{2}-\d{2}", note)
    if iso:
        return iso.group(0), origin
    spelled = re.search(r"\d{1,2} [A-Z][a-z]+ \d{4}", note)
    if spelled:
        try:
            return datetime.strptime(spelled.group(0), "%d %B %Y").date().isoformat(), origin
        except ValueError:
            pass
    return "", origin


def shipped_vintage(sources_dir: Path, catalogue: Catalogue | None = None) -> pd.DataFrame:
    """Vintage of tables built by `python -m indicators.build --sources sources_dir`: the initial
    vintage (sources.yaml's editions) with `retrieved` = the date of the copy each folder's
    PROVENANCE.md names (empty when unknown) and `how` = 'initial build (<origin>)'."""
    catalogue = catalogue or load_catalogue()
    vintage = initial_vintage(catalogue)
    for folder in sorted(set(vintage["folder"])):
        path = Path(sources_dir) / folder / "PROVENANCE.md"
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        retrieved, origin = provenance_retrieved(text)
        rows = vintage["folder"] == folder
        vintage.loc[rows, "retrieved"] = retrieved
        vintage.loc[rows, "how"] = f"initial build ({origin})" if origin else "initial build"
    return vintage.sort_values(["indicator", "role", "source"], ignore_index=True, key=_role_order)


def write_shipped_vintage(sources_dir: Path, data_dir: Path = DATA_DIR) -> Path:
    """Write data_dir/vintage.csv for tables just built from `sources_dir` (same input, same bytes).
    `indicators.build` writes it after the tables; `update-data` keeps it up to date afterwards."""
    path = Path(data_dir) / VINTAGE
    build.write_csv(shipped_vintage(sources_dir), path)
    return path


@dataclass
class SavedChanges:
    """A change report as `ChangeReport.write` left it in <data>/changes/."""

    stamp: str
    markdown: str
    values: pd.DataFrame
    coverage: pd.DataFrame
    ranks: pd.DataFrame
    paths: list[Path]

    def count(self, change: str) -> int:
        """Values with this change ('added', 'removed', 'revised')."""
        return int((self.values["change"] == change).sum()) if "change" in self.values else 0

    @property
    def when(self) -> str:
        """The stamp as a readable UTC time ('20260401T120000Z' -> '2026-04-01 12:00 UTC')."""
        try:
            moment = datetime.strptime(self.stamp, "%Y%m%dT%H%M%SZ")
        except ValueError:
            return self.stamp
        return moment.strftime("%Y-%m-%d %H:%M UTC")


def latest_changes(data_dir: Path = DATA_DIR) -> SavedChanges | None:
    """The newest change report in data_dir/changes/ (stamps sort by time), None when there is
    none."""
    directory = Path(data_dir) / CHANGES
    if not directory.is_dir():
        return None
    stamps = sorted(path.stem for path in directory.glob("*.md"))
    if not stamps:
        return None
    stamp = stamps[-1]
    paths = [
        directory / f"{stamp}{suffix}"
        for suffix in (".md", "-values.csv", "-coverage.csv", "-ranks.csv")
    ]

    def table(path: Path) -> pd.DataFrame:
        if not path.exists():
            return pd.DataFrame()
        return pd.read_csv(path, keep_default_na=False, na_values=[""], dtype={"iso3": str})

    return SavedChanges(
        stamp,
        paths[0].read_text(encoding="utf-8"),
        table(paths[1]),
        table(paths[2]),
        table(paths[3]),
        [path for path in paths if path.exists()],
    )
