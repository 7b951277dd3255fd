"""Exports: charts, tables, workbooks, country reports and reproducible methods as files.

Pure functions, bytes or text out; no streamlit here (pages wrap them in ``st.download_button``,
ideally ``data=callable, on_click="ignore"`` so nothing renders until the click). Images need a
Chrome/Chromium (kaleido, headless); without one they raise :class:`ImageExportUnavailable`
(a RuntimeError whose message says how to install one); HTML, CSV, Excel and TOML never need it.

``exports.images``
    figure_bytes(fig, fmt="png"|"svg"|"pdf"|"html", layout="landscape"|"square" | (w, h),
                 scale=2) -> bytes
        landscape = 1280 x 720, square = 1080 x 1080 logical px; PNG pixels x scale, exactly
        (a taller figure is fitted: ``fitted``). HTML is a standalone interactive page
        (plotly.js and, for maps, the world geometry inlined).
    with_definitions(fig, catalogue, indicator_ids=None) -> Figure
        adds every indicator's definition, proxy, limits, source and licence under the footer.
    ensure_server() / browser_available() -> bool / ImageExportUnavailable / MEDIA_TYPES
        ensure_server() starts the one kaleido browser of the process (thread-safe, ~2 s once);
        call it in an ``st.cache_resource`` function to pay the start-up before the first click.
``exports.tables``
    neutralise_formulas(df) -> df     text starting with = + - @ tab CR gets a leading "'"
    as_shown(df, column_config) -> df   rounded as the screen's formats, shares in percent
    with_iso3(df) -> df                 a country table's iso3 index as a column by the name
    table_about(sc, catalogue, view) -> [Method line, citation]
    csv_bytes(df, index=False, bom=True, about=()) -> bytes   (about: leading "# " lines)
    excel_bytes({"sheet": df, ...}, about=()) -> bytes        (about: an "About" sheet)
    redistributable_values(values, catalogue) -> (kept_values, note)
``exports.workbook``
    scorecard_workbook(sc, catalogue, values, countries) -> bytes   (README, scores, values,
        method, weights, sources; values of non-redistributable sources left out and named)
``exports.report``
    country_report_html(iso3, sc, catalogue, values, countries, uncertainty_table=None,
                        notes="", *, static=None) -> str
    country_report_pdf(iso3, sc, catalogue, values, countries, uncertainty_table=None,
                       notes="") -> bytes   (A4, headless Chromium)
``exports.reproduce``
    method_file(method) -> str (TOML)   reproduce_snippet(method) -> str (Python)
``exports.cli``
    main(argv) -> int: ``scorecard`` with ``export`` added (``--chart``, ``--report``,
    ``--workbook``, ``--method-file``, ``--reproduce``).

Mime types for download buttons: ``exports.images.MEDIA_TYPES`` plus
``"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"`` (xlsx),
``"text/csv"``, ``"application/toml"``, ``"text/x-python"``.
"""

__all__ = ["ImageExportUnavailable"]


def __getattr__(name: str):
    # Lazy, so that `exports.tables` alone does not import plotly.
    if name == "ImageExportUnavailable":
        from exports.images import ImageExportUnavailable

        return ImageExportUnavailable
    raise AttributeError(f"module 'exports' has no attribute {name!r}")
