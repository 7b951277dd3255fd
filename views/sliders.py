"""Sliders over fractional values (weights, shares) that write their value as the reader's
language does: "1.25" in English, "1,25" in Russian.

Streamlit writes a slider's value in the browser with a printf format, which always has a
decimal point. In English that is the app's own way, so the slider stays Streamlit's; in any
other language it becomes a select slider over the same steps with the value written by Babel
(as ``i18n.number``). The key, the values (floats, as the Method and the link store them) and the
keyboard (an arrow key moves one step, Home and End to the ends) are the same in both.
"""

from __future__ import annotations

from collections.abc import Callable

import i18n
from present.profile import localised


def steps(low: float, high: float, step: float, value: float) -> list[float]:
    """The values a slider from `low` to `high` by `step` stops at, with `high` and `value`
    added where they fall between steps (a link or weight set may hold such a value).

    >>> steps(0.0, 1.0, 0.25, 0.6)
    [0.0, 0.25, 0.5, 0.6, 0.75, 1.0]
    >>> steps(0.0, 0.5, 0.25, 0.5)
    [0.0, 0.25, 0.5]
    """
    count = int(round((high - low) / step, 9))
    grid = {round(low + k * step, 10) for k in range(count + 1) if low + k * step <= high + 1e-9}
    return sorted(grid | {float(high), float(value)})


def fraction_slider(
    where,
    label: str,
    *,
    min_value: float,
    max_value: float,
    step: float,
    value: float,
    key: str,
    on_change: Callable[[], None] | None = None,
    help: str | None = None,
    decimals: int = 2,
) -> float:
    """A slider over fractional values on `where` (``st`` or ``st.sidebar``), its value shown
    with `decimals` places as the run's language writes numbers; returns the chosen value."""
    if i18n.language() == i18n.DEFAULT:
        return where.slider(
            label,
            min_value=min_value,
            max_value=max_value,
            step=step,
            value=value,
            format=f"%.{decimals}f",
            key=key,
            on_change=on_change,
            help=help,
        )
    return where.select_slider(
        label,
        options=steps(min_value, max_value, step, value),
        value=float(value),
        # Python's formatting with the language's signs: as i18n.number, without Babel's cost
        # per option (a rerun writes every option of every slider).
        format_func=lambda v: localised(f"{v:,.{decimals}f}"),
        key=key,
        on_change=on_change,
        help=help,
    )
