"""The messages the code marks for translation, and which a language's catalogues lack.

`uv run python -m i18n.messages ru` lists what is missing or broken; with `--add-missing FILE.po
PATH...` it appends the missing messages found under PATH to FILE.po with empty translations, to
be filled in by a translator (an empty translation still counts as missing).
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from i18n import HERE, catalogue_files, placeholders

ROOT = HERE.parent
SOURCE_DIRS = ("views", "present", "exports", "indicators", "scoring", "store", "i18n")
SOURCE_FILES = ("dashboard.py", "app.py")
# EngineError: the engine's refusals (scoring.errors) are messages too, said by present.errors.
KEYWORDS = {
    "_": None,
    "N_": None,
    "ngettext": (1, 2),
    "EngineError": None,
    "Phrase": None,
    "Counted": (1, 2),
    "template": None,
}


@dataclass(frozen=True)
class Message:
    id: str | tuple[str, str]
    path: str
    line: int


def source_messages(root: Path = ROOT) -> list[Message]:
    """Every marked message in the app's code, with where it is."""
    found = []
    for folder in SOURCE_DIRS:
        for path, line, message, _comments, _context in extract_from_dir(
            root / folder, method_map=[("**.py", "python")], keywords=KEYWORDS
        ):
            found.append(Message(message, f"{folder}/{path}", line))
    for name in SOURCE_FILES:
        for path, line, message, _comments, _context in extract_from_dir(
            root, method_map=[(name, "python")], keywords=KEYWORDS
        ):
            found.append(Message(message, path, line))
    return [m for m in found if m.id and (isinstance(m.id, str) or m.id[0])]


def read_catalogue(language: str) -> dict:
    """msgid → msgstr over all of the language's files (first file wins, as at run time)."""
    merged: dict = {}
    for path in catalogue_files(language):
        with path.open("rb") as file:
            for message in read_po(file, locale=language):
                if message.id and message.id not in merged and not message.fuzzy:
                    merged[message.id] = message.string
    return merged


def _key(message_id):
    return message_id if isinstance(message_id, str) else message_id[0]


def problems(language: str, root: Path = ROOT) -> list[tuple[Message, str]]:
    """(message, why) for each marked message without a usable translation."""
    catalogue = {_key(k): v for k, v in read_catalogue(language).items()}
    found = []
    for message in source_messages(root):
        translated = catalogue.get(_key(message.id))
        forms = [translated] if isinstance(translated, str) else list(translated or [])
        if not forms or not all(forms):
            found.append((message, "no translation"))
            continue
        wanted = placeholders(_key(message.id))
        if any(placeholders(form) != wanted for form in forms):
            found.append((message, f"placeholders differ from {wanted}"))
    return found


def add_missing(language: str, target: Path, paths: list[str]) -> int:
    """Append the missing messages under `paths` to the catalogue `target` (created if new)."""
    missing = [m for m, why in problems(language) if why == "no translation"]
    missing = [m for m in missing if any(m.path.startswith(p) for p in paths)]
    if target.exists():
        with target.open("rb") as file:
            catalogue = read_po(file, locale=language)
    else:
        catalogue = Catalog(locale=language, project="soft-power-scorecard")
    # The header says what the catalogue is, not Babel's template placeholders.
    catalogue.project, catalogue.version = "soft-power-scorecard", ""
    catalogue.msgid_bugs_address = catalogue.last_translator = catalogue.language_team = ""
    added = 0
    for message in missing:
        if message.id not in catalogue:
            catalogue.add(message.id, "", locations=[(message.path, message.line)])
            added += 1
    with target.open("wb") as file:
        write_po(file, catalogue, width=100, omit_header=False)
    return added


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("language")
    parser.add_argument("--add-missing", metavar="FILE.po", type=Path)
    parser.add_argument("paths", nargs="*", default=[""])
    args = parser.parse_intermixed_args(argv)
    if args.add_missing:
        added = add_missing(args.language, args.add_missing, args.paths)
        print(f"added {added} messages to {args.add_missing}")
        return 0
    found = problems(args.language)
    for message, why in found:
        print(f"{message.path}:{message.line}: {why}: {_key(message.id)!r}")
    print(f"{len(found)} problems")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
