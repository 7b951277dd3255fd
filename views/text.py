"""User text on the page: shown as written, never read as Markdown.

Streamlit reads Markdown in st.markdown, st.caption, alerts (st.info, st.warning, ...), widget
labels and help: a file name, a scenario name, an indicator name or a link's URL parameter could
otherwise add links (``[pay here](https://...)``), images that call out, colours or LaTeX.
"""

from __future__ import annotations

import re

# Characters that start Markdown, GFM or Streamlit constructs (links, images, emphasis, code,
# tables, strikethrough, LaTeX, :colour[...] and :emoji: directives, HTML, entities, headings).
_MARKDOWN = re.compile(r"([\\`*_\[\]<>$~|#!:&{}])")
# A bare "www." becomes a link in GFM even without a scheme.
_WWW = re.compile(r"(?i)\bwww\.")


def md(text: object) -> str:
    """`text` with every Markdown-significant character backslash-escaped and line breaks as
    spaces, so that Streamlit shows it literally.

    >>> md("[pay](https://x.org) *now*")
    '\\\\[pay\\\\](https\\\\://x.org) \\\\*now\\\\*'
    """
    flat = " ".join(str(text).splitlines())
    escaped = _MARKDOWN.sub(r"\\\1", flat)
    return _WWW.sub(lambda match: match.group(0)[:-1] + "\\.", escaped)


def file_name(text: object, suffix: str = "") -> str:
    """A download file name from user text: path separators, control characters and characters
    Windows forbids become '_', leading dots are dropped, at most 100 characters.

    >>> file_name("../../etc/passwd", ".toml")
    'etc_passwd.toml'
    """
    clean = re.sub(r'[\x00-\x1f\x7f<>:"/\\|?*]', "_", str(text))
    clean = re.sub(r"_*\.\.+_*", "", clean).strip(" ._")
    clean = "".join(char for char in clean if char.isprintable())
    return (clean[:100] or "download") + suffix
