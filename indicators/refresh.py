"""Data refresh: update the curated tables from the publishers.

    report = update_data(["wb-remittances"], from_dir=None, data_dir=DATA_DIR, client=None,
                         now=datetime.now(UTC))

**Steps.** (1) Fetch the chosen publishers (`indicators.connectors`) or take their files from
`from_dir` (one sub-folder per publisher, as `../shared/sources`) into `<data>/.staging/sources/`.
(2) Run the loaders that read those folders; a loader that fails on the new files is reported as
schema drift for that publisher. (3) Build the tables into `<data>/.staging/data/` with
`indicators.build.write_tables` (the validation of `indicators.build.build`: every value checked
against the catalogue's contracts). (4) Record the vintage (`indicators.vintage`) and compare with
the current tables (`indicators.changes`): an indicator losing more than half of its countries is
taken for a format change the loader did not notice (`max_coverage_drop`). (5) Swap the new tables
in (`indicators.swap`), keeping the replaced ones in `<data>/.previous/`; write the change report
to `<data>/changes/`; keep downloaded files in `<data>/.downloads/`. Any failure in steps 1-4
leaves `data/` untouched (nothing is half-applied); the staged files stay in `<data>/.staging/`
for inspection. Each step returns the publishers it failed; the report is made from them once.

**Partial updates.** An update of one publisher never drops the others:

- with `sources_dir` (the publisher files the current tables were built from, e.g.
  `../shared/sources`), the staging sources folder is that folder with the refreshed publisher
  folders swapped in, and every loader runs: the result is exactly what `python -m indicators.build
  --sources` gives on the updated files;
- without it, only the loaders that read a refreshed folder run; every other indicator keeps its
  rows of the current `values.csv` (and its loader's rows of `skipped.csv`, and the build's row for
  each indicator outside the catalogue that no loader run gave). Indicators belong to the loader
  reading their source's folder (`indicator_loaders`); where several loaders read one folder (the
  two diaspora-voting loaders) their registry entries say what each emits
  (`indicators.loaders.registry`). A loader that also reads a folder that was not refreshed (the
  UN DESA shares read the UN WPP population, diaspora turnout the UN DESA emigrant stock) needs
  `sources_dir` or both folders. On the same files both ways give byte-identical tables. (One
  exception: an indicator outside the catalogue that a refreshed loader no longer gives keeps its
  "not in the catalogue" row of skipped.csv until a run with `sources_dir` or a full build, since
  which loader gave it is not recorded.)

**What update-data rebuilds.** `countries.csv`, `values.csv`, `skipped.csv` and `sources.csv`, as
`indicators.build` writes them, and `vintage.csv`. The published indices
(`published_indices.csv`) and the actor view's dyads (`dyads.csv`) are left to `indicators.build`:
no connector refreshes their folders, and skipped.csv keeps the published indices' rows as they
were. An update that changes no table apart from the vintage does not touch `.previous`.
"""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from indicators import build
from indicators.catalogue import DATA_DIR, Catalogue, load_catalogue, read_table
from indicators.changes import (
    CHANGES,
    ChangeReport,
    change_report,
    countries_of,
    empty_values,
    read_values,
)
from indicators.connectors import (
    CONNECTORS,
    Fetch,
    Fetched,
    HttpClient,
    SourceError,
    default_client,
)
from indicators.loaders import SKIPPED_COLUMNS
from indicators.loaders.registry import LOADERS
from indicators.swap import (
    PREVIOUS,
    STAGING,
    SWAPPED,
    TABLES,
    VINTAGE,
    RefreshError,
    recover,
    swap,
    update_lock,
)
from indicators.vintage import (
    load_vintage,
    update_vintage,
)
from scoring import limits
from scoring.files import FileRefused, describe, open_regular, read_bounded
from scoring.limits import LimitError, Limits, megabytes
from scoring.method import Method
from scoring.schemas import ContractError

DOWNLOADS = ".downloads"
#: An indicator losing more than this share of its countries is taken for a format change.
MAX_COVERAGE_DROP = 0.5
BUILD_LOADER = "build"  # skipped.csv's rows for indicators outside the catalogue

#: {publisher folder: (kind, message)}: what a step of the update failed, returned to the caller.
Failures = dict[str, tuple[str, str]]


# ============================================================================ loaders and folders


def loader_folders() -> dict[str, tuple[str, ...]]:
    """Publisher folders each loader reads, its own first (`indicators.loaders.registry`)."""
    return {name: loader.folders for name, loader in LOADERS.items()}


def indicator_loaders(catalogue: Catalogue) -> dict[str, str]:
    """Catalogue indicator -> the loader that emits it: the loader whose own folder is its
    source's folder, or, where several loaders share that folder, the one whose registry entry
    lists the indicator in `emits`. RuntimeError when no loader or several fit."""
    by_folder: dict[str, list[str]] = {}
    for name, loader in LOADERS.items():
        by_folder.setdefault(loader.folders[0], []).append(name)
    source_folder = catalogue.sources.set_index("source")["folder"]
    owners = {}
    for row in catalogue.indicators.itertuples():
        folder = source_folder[row.source]
        candidates = by_folder.get(folder, [])
        if len(candidates) > 1:
            candidates = [name for name in candidates if row.indicator in LOADERS[name].emits]
        if len(candidates) != 1:
            raise RuntimeError(
                f"{row.indicator}: {len(candidates) or 'no'} loaders of {folder} emit it "
                f"({', '.join(by_folder.get(folder, [])) or 'none registered'}); list it in the "
                "emits of one loader's registry entry"
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


@dataclass(frozen=True)
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
    max_coverage_drop: float | None = MAX_COVERAGE_DROP,
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
    if from_dir is not None and not Path(from_dir).is_dir():
        raise RefreshError(f"--from-dir {from_dir} is not a folder")
    if sources_dir is not None and not Path(sources_dir).is_dir():
        raise RefreshError(f"--sources {sources_dir} is not a folder")
    folders, manual = _chosen_folders(sources_names, from_dir, catalogue)
    if not folders:
        raise RefreshError("no publisher to update")
    data_dir.mkdir(parents=True, exist_ok=True)
    with update_lock(data_dir):
        recover(data_dir)
        staging = data_dir / STAGING
        shutil.rmtree(staging, ignore_errors=True)
        (staging / "sources").mkdir(parents=True)
        staged = _stage(folders, from_dir, sources_dir, staging / "sources", client, now, timeout)
        outcomes = {folder: outcome for folder, (outcome, _) in staged.items()}

        def not_applied(why: str, messages=(), changes=None) -> UpdateReport:
            return UpdateReport(
                data_dir,
                [*manual, *outcomes.values()],
                changes=changes,
                staging_dir=staging,
                messages=[*messages, f"not applied: {why}; staged files kept in {staging}"],
            )

        if _any_failed(outcomes) and not keep_going:
            return not_applied("a publisher failed")
        fetched = {f: got for f, (outcome, got) in staged.items() if outcome.status == "updated"}
        if not fetched:
            return not_applied("no publisher was refreshed")
        built, failures = _build(
            set(fetched), catalogue, data_dir, sources_dir, staging, keep_going
        )
        outcomes = _marked(outcomes, failures)
        if built is None or (_any_failed(outcomes) and not keep_going):
            return not_applied("the new tables were not built")
        refreshed = {f: got for f, got in fetched.items() if outcomes[f].status == "updated"}
        messages = _edition_notes(refreshed, catalogue)
        seen = {f: (got.edition, outcomes[f].how) for f, got in refreshed.items()}
        vintage = update_vintage(load_vintage(data_dir, catalogue), seen, catalogue, now)
        build.write_csv(vintage, staging / "data" / VINTAGE)
        changes = _changes(data_dir, staging / "data", catalogue, method)
        dropped = coverage_drops(changes.coverage, max_coverage_drop)
        if len(dropped):
            outcomes = _marked(
                outcomes, _drop_failures(dropped, set(staged), catalogue, max_coverage_drop)
            )
            return not_applied("an indicator lost too many countries", messages, changes)
        sources = [*manual, *outcomes.values()]
        return _apply(data_dir, staging, now, changes, sources, set(refreshed), messages)


def _any_failed(outcomes: Mapping[str, SourceOutcome]) -> bool:
    return any(outcome.status == "failed" for outcome in outcomes.values())


def _marked(outcomes: Mapping[str, SourceOutcome], failures: Failures) -> dict[str, SourceOutcome]:
    """The outcomes with each folder of `failures` marked failed, with its kind and message."""
    return {
        folder: (
            replace(
                outcome,
                status="failed",
                kind=failures[folder][0],
                message=f"{folder}: {failures[folder][1]}",
            )
            if folder in failures
            else outcome
        )
        for folder, outcome in outcomes.items()
    }


def coverage_drops(coverage: pd.DataFrame, max_drop: float | None) -> pd.DataFrame:
    """Rows of a change report's coverage whose indicator lost more than `max_drop` of its
    countries (none when max_drop is None)."""
    if max_drop is None:
        return coverage.iloc[0:0]
    before = coverage["countries_before"].astype("float64")
    after = coverage["countries_after"].astype("float64")
    return coverage[(before > 0) & (after < before * (1 - max_drop))]


def _drop_failures(dropped, staged, catalogue, max_drop) -> Failures:
    """Each staged folder the loader of a dropped indicator reads (its source's folder, or a
    denominator's), failed as drift, naming every indicator of it that would fall."""
    owner, folders_of = indicator_loaders(catalogue), loader_folders()
    falls: dict[str, list[str]] = {}
    for row in dropped.itertuples():
        for folder in folders_of[owner[row.indicator]]:
            if folder in staged:
                falls.setdefault(folder, []).append(
                    f"{row.indicator} would fall from {row.countries_before} to "
                    f"{row.countries_after} countries"
                )
    return {
        folder: (
            "drift",
            f"{'; '.join(lines)} (more than {max_drop:.0%} lost): the publisher's format may "
            "have changed without breaking the loader. Nothing was changed; check the staged "
            "files, or accept with --allow-coverage-drop.",
        )
        for folder, lines in falls.items()
    }


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


def _chosen_folders(names, from_dir, catalogue) -> tuple[list[str], list[SourceOutcome]]:
    """(folders to update, a skipped outcome for each publisher without a download when every
    publisher with one is updated)."""
    if names is not None:
        return resolve_folders(names, catalogue), []
    if from_dir is not None:
        return [folder for folder in CONNECTORS if (Path(from_dir) / folder).is_dir()], []
    folders, manual = [], []
    for folder, connector in CONNECTORS.items():
        if connector.automatic:
            folders.append(folder)
        else:
            manual.append(
                SourceOutcome(folder, "skipped", "download", f"{connector.manual} Use --from-dir.")
            )
    return folders, manual


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


def _build(refreshed, catalogue, data_dir, sources_dir, staging, keep_going):
    """Run the loaders on the staged sources (the `refreshed` folders staged anew) and write the
    tables into staging/data: (that folder, or None when a loader or a contract failed; the
    publishers that failed)."""
    sources = staging / "sources"
    folders_of = loader_folders()
    failures: Failures = {}
    if sources_dir is not None:
        for folder in sorted({f for fs in folders_of.values() for f in fs} - refreshed):
            _link(Path(sources_dir) / folder, sources / folder)
        run = list(LOADERS)
    else:
        run = [name for name, fs in folders_of.items() if set(fs) & refreshed]
        if not (data_dir / "values.csv").exists() and len(run) < len(LOADERS):
            message = (
                f"{data_dir} has no values.csv to keep the other publishers' values from: give "
                "--sources DIR (all publisher files)"
            )
            return None, dict.fromkeys(refreshed, ("missing", message))
        incomplete = []
        for name in run:
            missing = [f for f in folders_of[name] if f not in refreshed]
            if missing:
                incomplete.append(name)
                message = (
                    f"the {name} loader also reads {', '.join(missing)}: give --sources DIR "
                    f"(the current publisher files) or update {', '.join(missing)} too"
                )
                for folder in folders_of[name]:
                    if folder in refreshed:
                        failures[folder] = ("missing", message)
        if incomplete and not keep_going:
            return None, failures
    while True:
        run, left_out = _without_failed(run, folders_of, refreshed, failures)
        failures |= left_out
        if not run:
            return None, failures
        results, failed = _run_loaders(run, sources, folders_of, refreshed)
        failures |= failed
        if failed and not keep_going:
            return None, failures
        run, left_out = _without_failed(run, folders_of, refreshed, failures)
        failures |= left_out
        if not run:
            return None, failures
        values, skipped = _combined(results, run, catalogue, data_dir)
        try:
            build.write_tables(values, skipped, staging / "data")
            return staging / "data", failures
        except ContractError as error:
            # the rows write_tables checked: catalogue indicators, then the zeros it adds
            checked = build.absent_as_zero(build.outside_catalogue(values, catalogue)[0], catalogue)
            bad = _contract_loaders(error, checked, catalogue)
            for name in bad:
                message = (
                    f"{error} in the values of the {name} loader; nothing was changed:\n"
                    + _failure_lines(error, checked)
                )
                for folder in _refreshed_of(name, folders_of, refreshed):
                    failures[folder] = ("contract", message)
            if not keep_going or not bad:
                return None, failures


def _refreshed_of(name, folders_of, refreshed) -> list[str]:
    """The refreshed folders a loader reads; all refreshed folders when it reads none of them."""
    return [f for f in folders_of[name] if f in refreshed] or sorted(refreshed)


def _without_failed(run, folders_of, refreshed, failures) -> tuple[list[str], Failures]:
    """(the loaders of `run` that read no refreshed publisher folder that has failed, the
    refreshed folders that fail with them). A publisher is applied whole or not at all: a loader
    left out here also fails the other refreshed folders it reads (so the other loaders of those
    folders are left out too). Folders that failed before staging are not among `refreshed`:
    their current files are read, if any."""
    new: Failures = {}
    while True:
        failed = refreshed & (set(failures) | set(new))
        left_out = [name for name in run if set(folders_of[name]) & failed]
        if not left_out:
            return list(run), new
        run = [name for name in run if name not in left_out]
        for name in left_out:
            reason = sorted(set(folders_of[name]) & failed)
            for folder in folders_of[name]:
                if folder in refreshed and folder not in failed:
                    new[folder] = (
                        "missing",
                        f"not applied: the {name} loader also reads {', '.join(reason)}, which "
                        "failed (a publisher is applied whole or not at all)",
                    )


def _run_loaders(run, sources, folders_of, refreshed) -> tuple[dict, Failures]:
    """({loader: LoadResult} of the loaders that read the staged files, the publishers whose
    files a loader could not read)."""
    results, failures = {}, {}
    for name in run:
        try:
            results[name] = LOADERS[name].load(sources)
            continue
        except FileNotFoundError as error:
            failure = (
                "missing",
                f"the {name} loader needs {Path(error.filename or str(error)).name}, which is "
                f"not among the files ({error.filename}); nothing was changed",
            )
        except Exception as error:  # a loader failing on new files is schema drift
            failure = (
                "drift",
                f"the {name} loader cannot read the new files ({type(error).__name__}: {error}); "
                "the publisher may have changed its format. Nothing was changed.",
            )
        for folder in _refreshed_of(name, folders_of, refreshed):
            failures[folder] = failure
    return results, failures


def _combined(results, run, catalogue, data_dir):
    """(values, skipped rows) for `build.write_tables`: the output of the loaders run and, for the
    loaders not run, their rows of the current tables; skipped rows of tables update-data does not
    rebuild (the published indices) are kept as they are."""
    values = [results[name].values for name in run]
    skipped = [results[name].skipped.assign(loader=name) for name in run]
    old = None
    if (data_dir / "skipped.csv").exists():
        old = read_table(data_dir / "skipped.csv").fillna("")
        skipped.append(old[~old["loader"].isin([*LOADERS, BUILD_LOADER])])
    kept_loaders = set(LOADERS) - set(run)
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


def _changes(data_dir: Path, new_dir: Path, catalogue: Catalogue, method: Method | None):
    old = read_values(data_dir) if (data_dir / "values.csv").exists() else empty_values()
    countries = countries_of(new_dir)
    return change_report(old, read_values(new_dir), catalogue, method, countries)


def _apply(data_dir, staging, now, changes, sources, refreshed, messages) -> UpdateReport:
    """Swap the staged tables in (or only the vintage when no table changed), write the change
    report, keep downloaded publisher files in data_dir/.downloads/ (files from --from-dir are
    the user's own); the report of the applied update."""
    report = UpdateReport(data_dir, sources, applied=True, changes=changes, messages=messages)
    new = staging / "data"
    same = all(_same_file(new / name, data_dir / name) for name in TABLES)
    if same and (data_dir / "values.csv").exists():
        os.replace(new / VINTAGE, data_dir / VINTAGE)
        report.messages.append("no value changed: only vintage.csv was updated")
    else:
        swap(data_dir, {name: new / name for name in SWAPPED}, now)
        report.previous_dir = data_dir / PREVIOUS
        report.change_files = changes.write(data_dir / CHANGES, _stamp(now))
    if all(source.how == "download" for source in sources if source.folder in refreshed):
        downloads = data_dir / DOWNLOADS
        shutil.rmtree(downloads, ignore_errors=True)
        for entry in (staging / "sources").iterdir():
            if entry.is_symlink() or entry.name not in refreshed:
                _remove(entry)
        (staging / "sources").replace(downloads)
        report.downloads = downloads
        report.messages.append(f"downloaded files kept in {downloads}")
    shutil.rmtree(staging, ignore_errors=True)
    return report


def _same_file(a: Path, b: Path) -> bool:
    return a.exists() and b.exists() and a.read_bytes() == b.read_bytes()


def _stamp(now: datetime) -> str:
    return now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
