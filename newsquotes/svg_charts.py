"""Small inline SVG charts for the static report: no script, no fonts or files fetched, tooltips by ``<title>``.

Rules: every text is HTML-escaped; the y axis of a line chart starts at 0 and ends at the series' maximum (1 for
shares); a missing value breaks the line; bars are scaled to the largest value (or ``max_value``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

INK, MUTED, GRID = "#1f2937", "#6b7280", "#e5e7eb"
PALETTE = ("#2563eb", "#16a34a", "#d97706", "#dc2626", "#7c3aed", "#0891b2")


def _text(x: float, y: float, s: str, *, anchor: str = "start", size: int = 11, fill: str = MUTED) -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" fill="{fill}">{escape(s)}</text>'


def line_chart(
    values: Sequence[float | None],
    labels: Sequence[str],
    *,
    title: str,
    fmt: Callable[[float], str],
    top: float | None = None,
    color: str = PALETTE[0],
    width: int = 640,
    height: int = 180,
) -> str:
    """A line over runs (oldest left), one dot per run with its label and value as a tooltip."""
    left, right, upper, lower = 56, 16, 28, 30
    plot_w, plot_h = width - left - right, height - upper - lower
    present = [v for v in values if v is not None]
    y_max = top if top is not None else max(present, default=0) or 1.0
    n = len(values)

    def xy(i: int, v: float) -> tuple[float, float]:
        x = left + (plot_w / 2 if n == 1 else plot_w * i / (n - 1))
        return x, upper + plot_h * (1 - min(v, y_max) / y_max)

    parts = [
        f'<svg role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" aria-label="{escape(title)}">',
        _text(left, 16, title, size=13, fill=INK),
    ]
    ticks = [fmt(0.0), fmt(y_max / 2), fmt(y_max)]
    for frac, tick in zip((0.0, 0.5, 1.0), ticks, strict=True):
        y = upper + plot_h * (1 - frac)
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        if frac != 0.5 or tick not in (ticks[0], ticks[2]):  # a whole-number axis of 0..1 has no middle label
            parts.append(_text(left - 6, y + 4, tick, anchor="end"))
    segment: list[str] = []
    segments: list[list[str]] = [segment]
    for i, v in enumerate(values):
        if v is None:
            segment = []
            segments.append(segment)
            continue
        x, y = xy(i, v)
        segment.append(f"{x:.1f},{y:.1f}")
    for points in segments:
        if len(points) > 1:
            parts.append(f'<polyline fill="none" stroke="{color}" stroke-width="2" points="{" ".join(points)}"/>')
    for i, v in enumerate(values):
        if v is not None:
            x, y = xy(i, v)
            tip = f"{labels[i]}: {fmt(v)}"
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{color}"><title>{escape(tip)}</title></circle>'
            )
    if labels:
        parts.append(_text(left, height - 8, labels[0]))
        if n > 1:
            parts.append(_text(width - right, height - 8, labels[-1], anchor="end"))
    parts.append("</svg>")
    return "".join(parts)


def bar_chart(
    items: Sequence[tuple[str, float]],
    *,
    title: str,
    fmt: Callable[[float], str],
    max_value: float | None = None,
    color: str = PALETTE[0],
    width: int = 640,
    bar_height: int = 18,
    label_width: int = 200,
) -> str:
    """Horizontal bars, one per (label, value), the value written at the bar's end."""
    upper, gap = 28, 6
    height = upper + len(items) * (bar_height + gap) + 8
    scale = max_value if max_value is not None else max((v for _, v in items), default=0) or 1.0
    plot_w = width - label_width - 70
    parts = [
        f'<svg role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" aria-label="{escape(title)}">',
        _text(0, 16, title, size=13, fill=INK),
    ]
    for i, (label, value) in enumerate(items):
        y = upper + i * (bar_height + gap)
        shown = label if len(label) <= 30 else label[:29] + "…"
        w = max(plot_w * value / scale, 1.0 if value else 0.0)
        parts.append(_text(label_width - 8, y + bar_height - 5, shown, anchor="end", fill=INK))
        parts.append(
            f'<rect x="{label_width}" y="{y}" width="{w:.1f}" height="{bar_height}" fill="{color}" rx="2">'
            f"<title>{escape(f'{label}: {fmt(value)}')}</title></rect>"
        )
        parts.append(_text(label_width + w + 6, y + bar_height - 5, fmt(value), fill=INK))
    parts.append("</svg>")
    return "".join(parts)
