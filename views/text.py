"""User text on the page: shown as written, never read as Markdown.

Streamlit reads Markdown in st.markdown, st.caption, alerts (st.info, st.warning, ...), widget
labels and help: a file name, a scenario name, an indicator name or a link's URL parameter could
otherwise add links (``[pay here](https://...)``), images that call out, colours or LaTeX.

Bare URLs and e-mail addresses (``www.evil.example``, ``http://...``, ``a@b.example``) are links
in GitHub-flavoured Markdown, and Streamlit's renderer finds them in the text *after* reading
backslash escapes, so escaping does not stop them. A WORD JOINER (U+2060, invisible and
zero-width) inside ``www.``, ``://`` and after ``@`` does: the text looks as written and is no
longer a link.
"""

from __future__ import annotations

import re

# Characters that start Markdown, GFM or Streamlit constructs (links, images, emphasis, code,
# tables, strikethrough, LaTeX, :colour[...] and :emoji: directives, HTML, entities, headings).
_MARKDOWN = re.compile(r"([\\`*_\[\]<>$~|#!:&{}])")
# Where a bare URL or e-mail address would start a link: "www.", "://", "@".
_AUTOLINK = re.compile(r"(?i)(?<=www)(?=\.)|(?=://)|(?<=@)")
WORD_JOINER = "\u2060"
# Names Windows keeps for devices, with any extension ("CON.toml", "nul.txt").
_WINDOWS_DEVICES = frozenset(
    ["CON", "PRN", "AUX", "NUL"] + [f"{port}{n}" for port in ("COM", "LPT") for n in range(1, 10)]
)


def md(text: object) -> str:
    """`text` with every Markdown-significant character backslash-escaped and line breaks as
    spaces, so that Streamlit shows it literally.

    >>> md("*now*")
    '\\\\*now\\\\*'
    >>> md("[pay](https://x.org)") == "\\\\[pay\\\\](https" + WORD_JOINER + "\\\\://x.org)"
    True
    """
    flat = " ".join(str(text).splitlines())
    joined = _AUTOLINK.sub(WORD_JOINER, flat)
    return _MARKDOWN.sub(r"\\\1", joined)


def file_name(text: object, suffix: str = "") -> str:
    """A download file name from user text: path separators, control characters and characters
    Windows forbids become '_', leading dots are dropped, at most 100 characters, and a name
    Windows keeps for a device (CON, NUL, COM1, ...) gets a '_'.

    >>> file_name("../../etc/passwd", ".toml")
    'etc_passwd.toml'
    """
    clean = re.sub(r'[\x00-\x1f\x7f<>:"/\\|?*]', "_", str(text))
    clean = re.sub(r"_*\.\.+_*", "", clean).strip(" ._")
    clean = "".join(char for char in clean if char.isprintable())[:100] or "download"
    stem, dot, rest = clean.partition(".")
    if stem.rstrip(" ").upper() in _WINDOWS_DEVICES:  # "CON.toml" cannot be written on Windows
        clean = stem.rstrip(" ") + "_" + dot + rest
    return clean + suffix
