"""Finding English left on a page drawn in Russian (AppTest), for the language tests.

A shown text counts as English when, after the names that stay in their own language are taken
out (publishers, publications, licences, URLs, file names, brands in KEPT, acronyms in capitals),
it still has a Latin word of three letters or more: "Data up to year" and "United Kingdom" are
caught; "V-Dem", "RSF" and "Freedom House" are not.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
LATIN_WORD = re.compile(r"(?<![\w@/.-])[A-Za-z][A-Za-z-]*[A-Za-z](?![\w@/-])")
URL = re.compile(
    r"\b(?:https?://|www\.)\S+|\b[\w.-]+\.(?:csv|xlsx|png|svg|pdf|html|zip|json|toml|ris|bib)\b"
)
CODE = re.compile(r"`[^`]*`")
MD_ESCAPE = re.compile(r"\\([\\`*_\[\]<>$~|#!:&{}])")
# Words a Russian interface keeps in Latin: file kinds, formats, and brand names.
KEPT = {
    "csv",
    "xlsx",
    "png",
    "svg",
    "pdf",
    "html",
    "zip",
    "json",
    "toml",
    "BibTeX",
    "CSL-JSON",
    "Excel",
    "Chromium",
    "Chrome",
    "V-Dem",
    "Gallup",
    "Lowy",
    "Henley",
    "GLOBALCIT",
    "Brand",
    # Method names Russian statistics writes in Latin: "нормализация min-max"; COINr is software.
    "min-max",
    "Min-max",
    "COINr",
}


# Phrases a Russian page keeps as written, taken out before the words are scanned.
KEPT_PHRASES = (
    # The essay the scorecard rests on, cited under its published (English) title.
    "Hard Questions About Soft Power: A Normative Outlook at Russia's Foreign Policy",
    # The language switch names itself in both languages, and each language in its own, so
    # that a reader who cannot read the current one still finds the way back.
    "Language · Язык",
    "English",
    # A publisher's own name and database, given beside the Russian as the publisher writes them.
    "EITI International Secretariat",
    "IEA Policies",
    "International IDEA",
)


@cache
def kept_names() -> tuple[str, ...]:
    """Publishers' and publications' names, licences and editions: cited as published."""
    sources = pd.read_csv(ROOT / "data" / "sources.csv", dtype=str).fillna("")
    names = set()
    for column in ("publisher", "title", "licence", "edition"):
        names.update(value for value in sources[column] if value)
    # The published indices the Validity page compares with, named as their publishers do.
    published = pd.read_csv(ROOT / "data" / "published_indices.csv", usecols=["index"], dtype=str)
    names.update(published["index"].dropna())
    return tuple(sorted(names, key=len, reverse=True))


def english_words(text: str) -> list[str]:
    """The lowercase Latin words left in `text` once kept names, URLs and code are taken out."""
    # As read: without the backslashes md() puts before Markdown characters ("rsf\\_press").
    plain = CODE.sub(" ", URL.sub(" ", MD_ESCAPE.sub(r"\1", str(text))))
    for phrase in KEPT_PHRASES:
        plain = plain.replace(phrase, " ")
    for name in kept_names():
        plain = plain.replace(name, " ")
    words = [w for w in LATIN_WORD.findall(plain) if len(w) >= 3 and w not in KEPT]
    return [w for w in words if not w.replace("-", "").isupper()]  # acronyms: RSF, EITI, UNGA


def shown_texts(app) -> list[str]:
    """Every text an AppTest run shows: headings, prose, alerts, widget labels, help and options,
    tab and expander labels, metrics, and table headers."""
    texts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "text", "latex"):
        texts += [element.value for element in app.get(kind)]
    for kind in ("info", "warning", "error", "success", "exception"):
        texts += [element.value for element in app.get(kind)]
    for kind in (
        "button",
        "checkbox",
        "toggle",
        "radio",
        "selectbox",
        "multiselect",
        "slider",
        "select_slider",
        "text_input",
        "number_input",
        "text_area",
        "date_input",
        "button_group",
        "download_button",
        "color_picker",
        "time_input",
    ):
        for widget in app.get(kind):
            texts.append(getattr(widget, "label", "") or "")
            texts.append(getattr(widget, "help", "") or "")
            options = getattr(widget, "options", None)
            if options:
                texts += [str(option) for option in options]
    texts += [element.label for kind in ("tab", "expander") for element in app.get(kind)]
    texts += [element.proto.popover.label for element in app.get("popover")]
    for metric in app.get("metric"):
        texts += [metric.label, str(metric.value), str(metric.delta or "")]
    for frame in app.get("dataframe"):
        texts += [str(column) for column in frame.value.columns]
    return [t for t in texts if t]


def untranslated(app) -> list[tuple[str, list[str]]]:
    """(text, its English words) for each shown text that still has English in it."""
    found = []
    for text in shown_texts(app):
        words = english_words(text)
        if words:
            found.append((text, words))
    return found
