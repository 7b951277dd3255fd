""" "Cite this view" at the foot of every page: the view's reference as BibTeX, RIS, CSL-JSON and
text, to copy or download. Drawn only while its popover is open, so reruns cost nothing."""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from i18n import N_, _
from present import citation
from present.citation import Citation
from views.data import SHIPPED, Dataset, scorecard

LABELS = {"bibtex": "BibTeX", "ris": "RIS", "csl": "CSL-JSON", "text": N_("Plain text")}


def page_address(
    query: dict[str, str] | None = None, path: str | None = None, current_path: str = ""
) -> str:
    """The link that reopens this view: the page's address as the browser has it (without its
    query) and `query` (the URL's current entries by default). `path` swaps the running page's
    `current_path` (its ``url_path``) for another page's of the same app."""
    base = st.context.url or ""
    if path is not None:
        if current_path and base.endswith("/" + current_path):
            base = base[: -len(current_path) - 1]
        base = base.rstrip("/") + "/" + path
    query = st.query_params.to_dict() if query is None else query
    return base + ("?" + urlencode(query, safe=",") if query else "")


def of_view(
    data: Dataset, view: str, indicator_ids=None, url: str | None = None
) -> Citation | None:
    """The citation of the current view (None when the settings cannot be scored)."""
    try:
        sc = scorecard(data)
    except ValueError:
        return None
    return citation.for_scorecard(
        sc,
        data.catalogue,
        view,
        page_address() if url is None else url,
        indicator_ids,
        upload=None if data.token == SHIPPED else data.token,
    )


def draw(data: Dataset, view: str, slug: str) -> None:
    """The "Cite this view" popover: one tab per format, each a block to copy and a download."""
    panel = st.popover(
        _("Cite this view"), icon=":material/format_quote:", key="cite_view", on_change="rerun"
    )
    if not panel.open:
        return
    with panel:
        cited = of_view(data, view)
        if cited is None:
            st.info(_("These settings cannot be scored, so there is no view to cite."))
            return
        st.caption(
            _("Data version {version}; app version {app}.").format(
                version=cited.data_version, app=cited.app_version
            )
        )
        tabs = st.tabs([_(label) for label in LABELS.values()])
        for tab, fmt in zip(tabs, LABELS, strict=True):
            _label, extension, media_type, writer = citation.FORMATS[fmt]
            text = writer(cited)
            with tab:
                shown = text.replace("\r\n", "\n")  # RIS files keep CRLF; the page shows lines
                st.code(shown, language="bibtex" if fmt == "bibtex" else None, wrap_lines=True)
                st.download_button(
                    _("Download .{extension}").format(extension=extension),
                    data=text.encode("utf-8"),
                    file_name=f"{slug or 'scorecard'}-citation.{extension}",
                    mime=media_type,
                    on_click="ignore",
                    icon=":material/download:",
                    key=f"cite_download_{fmt}",
                )
