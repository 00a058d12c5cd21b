"""The report's charts, drawn by matplotlib's Agg backend into PNG bytes, offline.

Text uses the app's own DejaVu Sans (static/fonts), the font of the PDFs; matplotlib shapes
Arabic-script names itself. Each function draws one chart from numbers it is given: nothing
here reads the database.
"""
from __future__ import annotations

import io
import textwrap
import threading
from collections.abc import Callable, Sequence
from decimal import Decimal

from ..engine import format_score_id
from .pdf import FONT_DIR

AWARD_COLORS = ("#c9a227", "#9ea7b0", "#b87333", "#2e6da4", "#4f8fc9", "#8bb8e0")
PLAIN = "#b0b0b0"
INK = "#222222"
DPI = 150
_setup = threading.Lock()
_ready = False


STYLE = {"font.family": "DejaVu Sans", "font.size": 8.5, "axes.edgecolor": "#888888",
         "axes.spines.top": False, "axes.spines.right": False, "figure.dpi": DPI}


def _figure(height: float):
    """A figure 6.6 inches wide with one axes. Figures are made without pyplot, whose global
    state is not safe for a threaded server; the style is set once per process."""
    global _ready
    # matplotlib loads with the first chart, not at app start
    import matplotlib
    from matplotlib import font_manager  # also on demand
    from matplotlib.figure import Figure  # also on demand

    with _setup:
        if not _ready:
            for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
                font_manager.fontManager.addfont(str(FONT_DIR / name))
            matplotlib.rcParams.update(STYLE)
            _ready = True
    figure = Figure(figsize=(6.6, height), layout="constrained")
    return figure, figure.add_subplot()


def _label(name: str, width: int = 26, lines: int = 2) -> str:
    """A name wrapped to the axis; past `lines` lines it ends with an ellipsis."""
    return textwrap.fill(name, width=width, max_lines=lines, placeholder=" …")


def _png(figure) -> bytes:
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI, metadata={"Software": None})
    return out.getvalue()


def award_color(award: str, awards: Sequence[str]) -> str:
    """Gold, silver and bronze for the first three awards, blues for the next ones."""
    if not award or award not in awards:
        return PLAIN
    return AWARD_COLORS[min(list(awards).index(award), len(AWARD_COLORS) - 1)]


def scores_bar(rows: Sequence[tuple[str, Decimal, str]], awards: Sequence[str], title: str,
               label: Callable[[Decimal], str] = format_score_id) -> bytes:
    """Final scores as horizontal bars, best at the top; awarded bars coloured and labelled.

    `rows` are (team, final score, award) in rank order.
    """
    figure, axes = _figure(0.9 + 0.34 * max(len(rows), 1))
    names = [_label(team) for team, _score, _award in rows]
    values = [float(score) for _team, score, _award in rows]
    colors = [award_color(award, awards) for _team, _score, award in rows]
    positions = range(len(rows))
    axes.barh(list(positions), values, color=colors, height=0.7)
    axes.set_yticks(list(positions), names)
    axes.invert_yaxis()
    top = max(values + [0.0])
    low = min(values + [0.0])
    for position, (_team, score, award) in zip(positions, rows):
        text = label(score) + (f"  {award}" if award else "")
        axes.text(max(float(score), 0) + (top - low) * 0.01, position, text, va="center",
                  fontsize=7.5, color=INK, fontweight="bold" if award else "normal")
    axes.set_xlim(min(low, 0), (top - min(low, 0)) * 1.28 + min(low, 0) if top > low else 1)
    axes.set_xlabel("Nilai akhir")
    axes.set_title(title, loc="left", fontsize=9.5, fontweight="bold")
    axes.grid(axis="x", color="#e0e0e0", linewidth=0.6)
    axes.set_axisbelow(True)
    return _png(figure)


def judge_strip(judges: Sequence[tuple[str, Sequence[Decimal]]], title: str) -> bytes:
    """Each judge's totals for the teams they scored: a box plot with every total as a dot, so a
    harsh or lenient judge stands out. `judges` are (name, totals)."""
    figure, axes = _figure(0.9 + 0.42 * max(len(judges), 1))
    data = [[float(total) for total in totals] for _name, totals in judges]
    positions = list(range(1, len(judges) + 1))
    if any(data):
        axes.boxplot([d or [float("nan")] for d in data], positions=positions, orientation="horizontal",
                     widths=0.5, showfliers=False, patch_artist=True,
                     boxprops={"facecolor": "#dce8f5", "edgecolor": "#2e6da4"},
                     medianprops={"color": "#1b3d66"}, whiskerprops={"color": "#2e6da4"},
                     capprops={"color": "#2e6da4"})
    for position, values in zip(positions, data):
        if values:
            spread = [position + ((i % 5) - 2) * 0.06 for i in range(len(values))]
            axes.scatter(values, spread, s=14, color="#c0392b", zorder=3, alpha=0.85)
            mean = sum(values) / len(values)
            axes.text(max(values), position + 0.32, f"rata-rata {format_score_id(Decimal(str(round(mean, 2))))}",
                      fontsize=6.5, color="#555555", ha="right")
    axes.set_yticks(positions, [_label(name, 22) for name, _totals in judges])
    axes.invert_yaxis()
    axes.set_xlabel("Nilai total juri per tim")
    axes.set_title(title, loc="left", fontsize=9.5, fontweight="bold")
    axes.grid(axis="x", color="#e0e0e0", linewidth=0.6)
    axes.set_axisbelow(True)
    return _png(figure)


def medal_table(lines: Sequence[tuple[str, dict[str, int]]], awards: Sequence[str], title: str) -> bytes:
    """The juara umum as one stacked bar per kecamatan: how many of each award it won.

    `lines` are (kecamatan, {award: count}) in juara umum order.
    """
    figure, axes = _figure(0.9 + 0.36 * max(len(lines), 1))
    positions = list(range(len(lines)))
    left = [0] * len(lines)
    for award in awards:
        counts = [counts.get(award, 0) for _region, counts in lines]
        if any(counts):
            axes.barh(positions, counts, left=left, color=award_color(award, awards),
                      height=0.65, label=award, edgecolor="white", linewidth=0.6)
            left = [a + b for a, b in zip(left, counts)]
    axes.set_yticks(positions, [_label(region, 22) for region, _counts in lines])
    axes.invert_yaxis()
    axes.set_xlabel("Jumlah penghargaan")
    axes.xaxis.get_major_locator().set_params(integer=True)
    if any(left):
        axes.legend(loc="lower right", fontsize=7, frameon=False)
    axes.set_title(title, loc="left", fontsize=9.5, fontweight="bold")
    axes.grid(axis="x", color="#e0e0e0", linewidth=0.6)
    axes.set_axisbelow(True)
    return _png(figure)
