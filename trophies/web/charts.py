"""Web layer: results charts drawn on the server as inline SVG 1.1 (score distribution per
category, a dossier's criterion profile), for HTML pages and WeasyPrint PDFs alike.
Imports markupsafe, flask_babel and trophies.domain only.

What holds for every chart: presentation attributes only (no `style`, the CSP forbids inline
styles), no script, no link and no reference outside the svg; every piece of text is escaped
and stripped of characters XML cannot carry; `role="img"` with `aria-labelledby` naming the
chart's own <title> and <desc> (ids from `id_prefix`); `width="100%"` and a viewBox, so the page
sets the size (give `svg.chart` a max-width in CSS); colours of at least 3:1 against white for
marks and 4.5:1 for text, and every distinction colour makes is also made by a shape, a line
style or a label, so the chart survives black-and-white printing; numbers are shown with one
decimal, halves away from zero (domain.scoring.display_score) and the given decimal separator;
coordinates are rounded to one decimal; the same input always gives the same bytes.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from flask_babel import gettext as _
from flask_babel import ngettext
from markupsafe import Markup, escape

from trophies.domain.scoring import display_score

#: Marks (3:1 or more against white) and text (4.5:1 or more).
INK = "#1f5fa8"          # dots and bars: 6.4:1
ACCENT = "#b34700"       # highlighted dossiers, also drawn as diamonds: 5.5:1
TEXT = "#222222"         # 15.9:1
AXIS = "#595959"         # axes, intervals, tick labels: 7.0:1
TRACK = "#767676"        # the 0-100 outline of a profile bar: 4.5:1
#: Decorative only (gridlines, zebra bands): nothing is read from them.
GRID = "#d4d4d4"
BAND = "#f2f2f2"
DECORATIVE = frozenset({GRID, BAND, "#ffffff", "none"})

#: Above this many dossiers the distribution becomes a histogram.
MAX_ROWS = 40
BIN = 5
FONT = 14
SMALL = 12
ELLIPSIS = "\u2026"
_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,60}")
# Characters XML 1.0 cannot carry (a hostile name must not make the page unparsable).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class Point:
    """One dossier in a distribution: its score (0-100) and optionally an interval on the
    same scale; `highlight` (laureate, shortlisted) draws it as a diamond."""
    label: str
    score: float
    low: float | None = None
    high: float | None = None
    highlight: bool = False


@dataclass(frozen=True)
class Bar:
    """One criterion in a profile: this dossier's average (None: not marked) and the category
    average, both 0-100."""
    label: str
    value: float | None
    reference: float | None = None


# -- formatting ---------------------------------------------------------------------------

def number(value: float, decimal_separator: str = ",") -> str:
    """One decimal, halves away from zero, on the decimal the float stands for (62.35 -> 62,4,
    as the results table shows it), with the locale's separator."""
    shown = display_score(Fraction(str(value)))
    return str(shown).replace(".", decimal_separator)


def _c(value: float) -> str:
    """A coordinate: one decimal at most, no trailing zero."""
    text = f"{round(value, 1):.1f}"
    text = text[:-2] if text.endswith(".0") else text
    return "0" if text == "-0" else text


def _clean(text: str) -> str:
    return _NOT_XML.sub("", str(text))


def _esc(text: str) -> str:
    return str(escape(_clean(text)))


def _attrs(attrs: dict[str, object]) -> str:
    return "".join(f' {key}="{_esc(str(value))}"' for key, value in attrs.items())


def _el(tag: str, attrs: dict[str, object], text: str | None = None,
        title: str | None = None) -> str:
    """One element; `text` is escaped, `title` becomes an escaped <title> child."""
    inner = (f"<title>{_esc(title)}</title>" if title is not None else "") + (
        _esc(text) if text is not None else "")
    if not inner:
        return f"<{tag}{_attrs(attrs)}/>"
    return f"<{tag}{_attrs(attrs)}>{inner}</{tag}>"


def text_width(text: str, size: float) -> float:
    """An upper estimate of the rendered width of `text` in a sans-serif font (no metrics on
    the server): used to truncate labels so they never run into the plot."""
    total = 0.0
    for char in text:
        if unicodedata.combining(char):
            continue
        if unicodedata.east_asian_width(char) in ("W", "F"):
            total += 1.0
        elif char in "iljI.,:;'|!()[]{} ":
            total += 0.3
        elif char in "frt-":
            total += 0.38
        elif char in "mwMW@%\u2014":
            total += 0.9
        elif char.isupper():
            total += 0.7
        elif char.isdigit():
            total += 0.6
        else:
            total += 0.54
    return total * size


def fit(text: str, width: float, size: float) -> str:
    """`text` cut to fit `width`, with an ellipsis when cut (never inside a combining mark)."""
    text = _clean(text)
    if text_width(text, size) <= width:
        return text
    room = width - text_width(ELLIPSIS, size)
    end = 0
    while end < len(text) and text_width(text[: end + 1], size) <= room:
        end += 1
    while 0 < end < len(text) and unicodedata.combining(text[end]):
        end -= 1
    return text[:end].rstrip() + ELLIPSIS


def _finite(value: float, what: str) -> float:
    if not math.isfinite(value):
        raise ValueError(f"{what} must be a finite number, got {value!r}")
    return float(value)


def _clamp(value: float) -> float:
    return min(100.0, max(0.0, value))


# -- frame --------------------------------------------------------------------------------

def _svg(kind: str, width: int, height: float, *, title: str, description: str,
         id_prefix: str, body: list[str]) -> Markup:
    if not _ID.fullmatch(id_prefix):
        raise ValueError("id_prefix must be a letter followed by letters, digits, - or _")
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" class="chart chart-{kind}"'
            f' width="100%" viewBox="0 0 {width} {_c(height)}" role="img"'
            f' aria-labelledby="{title_id} {desc_id}" font-family="sans-serif"'
            f' font-size="{FONT}">'
            f'<title id="{title_id}">{_esc(title)}</title>'
            f'<desc id="{desc_id}">{_esc(description)}</desc>')
    # Every text and attribute value above went through _esc; numbers are formatted here.
    return Markup(head + "".join(body) + "</svg>")  # noqa: S704


def _diamond(x: float, y: float, r: float) -> str:
    return f"M{_c(x)} {_c(y - r)}l{_c(r)} {_c(r)}-{_c(r)} {_c(r)}-{_c(r)}-{_c(r)}z"


def _legend(items: list[tuple[str, str]], width: float, y: float,
            x0: float = 0.0) -> tuple[list[str], float]:
    """Legend entries (symbol markup drawn in a 16x16 box at (0, 0), label) flowed in lines
    from (`x0`, `y`) to `width`; returns the markup and the y below it."""
    out: list[str] = []
    x, line = x0, 0
    for symbol, label in items:
        shown = fit(label, width - x0 - 22, FONT)
        need = 22 + text_width(shown, FONT)
        if x > x0 and x + need > width:
            x, line = x0, line + 1
        top = y + line * 22
        out.append(f'<g transform="translate({_c(x)} {_c(top)})">{symbol}</g>')
        out.append(_el("text", {"x": _c(x + 22), "y": _c(top + 13), "fill": TEXT}, shown))
        x += need + 16
    return out, (y + (line + 1) * 22 + 4 if items else y)


def _x_ticks(x0: float, x1: float, y: float, *, gridline_to: float | None) -> list[str]:
    """Tick labels 0, 10, ..., 100 centred under x0..x1 at baseline `y`, and optionally
    vertical gridlines from `y` + 4 (or above the labels) to `gridline_to`."""
    span = x1 - x0
    labels = "".join(f'<text x="{_c(x0 + span * t / 100)}" y="{_c(y)}">{t}</text>'
                     for t in range(0, 101, 10))
    out = [f'<g font-size="{SMALL}" fill="{AXIS}" text-anchor="middle">{labels}</g>']
    if gridline_to is not None:
        top, bottom = sorted((y + 4, gridline_to))
        d = "".join(f"M{_c(x0 + span * t / 100)} {_c(top)}V{_c(bottom)}"
                    for t in range(0, 101, 10))
        out.insert(0, f'<path d="{d}" stroke="{GRID}" fill="none"/>')
    return out


def _cut(x: float, mid: float, top: float, bottom: float, label: str, room: float) -> list[str]:
    """A dashed vertical line from `top` to `bottom` at `x`, its label above, anchored so it
    stays inside the chart."""
    anchor, tx = ("end", x - 4) if x > mid else ("start", x + 4)
    return [f'<path d="M{_c(x)} {_c(top - 14)}V{_c(bottom)}" stroke="#000000"'
            f' stroke-width="1.5" stroke-dasharray="5 3" fill="none"/>',
            _el("text", {"x": _c(tx), "y": _c(top - 4), "fill": TEXT, "font-size": SMALL,
                         "text-anchor": anchor}, fit(label, room, SMALL))]


# -- distribution -------------------------------------------------------------------------

DIST_WIDTH = 440
_LABEL_W, _PLOT_X0, _PLOT_X1 = 150, 168, 388
_ROW = 24


def distribution(points: Sequence[Point], *, title: str, description: str, id_prefix: str,
                 cut: float | None = None, cut_label: str = "", decimal_separator: str = ",",
                 highlight_label: str = "", interval_label: str = "") -> Markup:
    """The scores of a category on a 0-100 axis.

    Up to MAX_ROWS dossiers: one row each, by score descending (equal scores keep the input
    order), the label on the left cut with an ellipsis, a dot (a diamond when highlighted) at
    the score with the full label in its <title>, the interval low-high as a capped line, the
    score printed on the right. Beyond: a histogram of 5-point bins (a bin holds its lower
    bound, the last one also 100; a score falls in the bin of its displayed value), each bar
    labelled with its count, highlighted dossiers as an outlined part on top. `cut` draws a
    dashed vertical line labelled `cut_label` (or the value). The legend names highlighted
    dossiers and intervals when `highlight_label` / `interval_label` are given.
    Raises ValueError for a non-finite score or bound, or an id_prefix not usable as an id.
    """
    for point in points:
        _finite(point.score, "score")
        for bound in (point.low, point.high):
            if bound is not None:
                _finite(bound, "interval bound")
    if cut is not None:
        _finite(cut, "cut")
    legend: list[tuple[str, str]] = []
    if highlight_label and any(p.highlight for p in points):
        symbol = (f'<path d="{_diamond(8, 8, 7)}" fill="{ACCENT}"/>' if len(points) <= MAX_ROWS
                  else f'<rect x="1" y="1" width="14" height="14" fill="#ffffff"'
                       f' stroke="{ACCENT}" stroke-width="2"/>')
        legend.append((symbol, highlight_label))
    if interval_label and len(points) <= MAX_ROWS and any(
            p.low is not None and p.high is not None for p in points):
        legend.append((f'<path d="M1 8H15M1 4V12M15 4V12" stroke="{AXIS}" stroke-width="1.5"'
                       f' fill="none"/>', interval_label))
    body, y = _legend(legend, DIST_WIDTH, 0)
    cut_text = (cut_label or number(cut, decimal_separator)) if cut is not None else ""
    if not points:
        body.append(_el("text", {"x": 0, "y": _c(y + 16), "fill": TEXT}, _("No dossiers.")))
        return _svg("distribution", DIST_WIDTH, y + 24, title=title, description=description,
                    id_prefix=id_prefix, body=body)
    if len(points) <= MAX_ROWS:
        return _rows(points, body, y, cut, cut_text, decimal_separator, highlight_label,
                     title=title, description=description, id_prefix=id_prefix)
    return _histogram(points, body, y, cut, cut_text, decimal_separator, highlight_label,
                      title=title, description=description, id_prefix=id_prefix)


def _rows(points: Sequence[Point], body: list[str], y: float, cut: float | None,
          cut_text: str, sep: str, highlight_label: str, **frame: str) -> Markup:
    def x_of(score: float) -> float:
        return _PLOT_X0 + (_PLOT_X1 - _PLOT_X0) * _clamp(score) / 100

    if cut is not None:
        y += 18
    axis_y = y + 14
    top = axis_y + 6
    ordered = sorted(points, key=lambda p: -p.score)
    bottom = top + _ROW * len(ordered)
    bands = "".join(f"M0 {_c(top + _ROW * i)}h{DIST_WIDTH}v{_ROW}h-{DIST_WIDTH}z"
                    for i in range(0, len(ordered), 2))
    body.append(f'<path d="{bands}" fill="{BAND}"/>')
    body += _x_ticks(_PLOT_X0, _PLOT_X1, axis_y, gridline_to=bottom)
    body += _x_ticks(_PLOT_X0, _PLOT_X1, bottom + 16, gridline_to=None)
    body.append(_el("text", {"x": DIST_WIDTH - 2, "y": _c(axis_y), "fill": AXIS,
                             "font-size": SMALL, "text-anchor": "end"}, _("Score")))
    labels, values, intervals, dots, diamonds = [], [], [], [], []
    for i, point in enumerate(ordered):
        cy = top + _ROW * i + _ROW / 2
        base = _c(cy + FONT * 0.35)
        weight = {"font-weight": "bold"} if point.highlight else {}
        # Bold runs about a tenth wider; an overflowing label would lose its start at x = 0.
        room = _LABEL_W / 1.1 if point.highlight else _LABEL_W
        labels.append(_el("text", {"x": _LABEL_W, "y": base, **weight},
                          fit(point.label, room, FONT)))
        shown = number(point.score, sep)
        values.append(f'<text x="{DIST_WIDTH - 2}" y="{base}">{_esc(shown)}</text>')
        detail = shown
        if point.low is not None and point.high is not None:
            lo, hi = x_of(min(point.low, point.high)), x_of(max(point.low, point.high))
            intervals.append(f"M{_c(lo)} {_c(cy)}H{_c(hi)}M{_c(lo)} {_c(cy - 5)}v10"
                             f"M{_c(hi)} {_c(cy - 5)}v10")
            detail += (f" [{number(min(point.low, point.high), sep)}\u2013"
                       f"{number(max(point.low, point.high), sep)}]")
        if point.highlight and highlight_label:
            detail += f", {highlight_label}"
        tip = _("%(label)s: %(value)s", label=point.label, value=detail)
        if point.highlight:
            diamonds.append(_el("path", {"d": _diamond(x_of(point.score), cy, 7)}, title=tip))
        else:
            dots.append(_el("circle", {"cx": _c(x_of(point.score)), "cy": _c(cy), "r": 5},
                            title=tip))
    body.append(f'<g fill="{TEXT}" text-anchor="end">{"".join(labels)}</g>')
    body.append(f'<g fill="{TEXT}" text-anchor="end">{"".join(values)}</g>')
    if intervals:
        body.append(f'<path d="{"".join(intervals)}" stroke="{AXIS}" stroke-width="1.5"'
                    f' fill="none"/>')
    if cut is not None:
        body += _cut(x_of(cut), (_PLOT_X0 + _PLOT_X1) / 2, top - 18, bottom, cut_text,
                     DIST_WIDTH - 8)
    body.append(f'<path d="M{_PLOT_X0} {_c(bottom)}H{_PLOT_X1}" stroke="{AXIS}"/>')
    if dots:
        body.append(f'<g fill="{INK}" stroke="#ffffff">{"".join(dots)}</g>')
    if diamonds:
        body.append(f'<g fill="{ACCENT}" stroke="#ffffff">{"".join(diamonds)}</g>')
    return _svg("distribution", DIST_WIDTH, bottom + 24, body=body, **frame)


def bins(points: Sequence[Point]) -> list[tuple[int, int]]:
    """(dossiers, highlighted dossiers) per 5-point bin, 0-5 ... 95-100: a score falls in the
    bin of its displayed value, the last bin holds 100 too."""
    counts = [[0, 0] for _ in range(100 // BIN)]
    for point in points:
        shown = float(display_score(Fraction(str(_clamp(point.score)))) or 0)
        index = min(int(shown // BIN), len(counts) - 1)
        counts[index][0] += 1
        counts[index][1] += point.highlight
    return [(n, h) for n, h in counts]


def _histogram(points: Sequence[Point], body: list[str], y: float, cut: float | None,
               cut_text: str, sep: str, highlight_label: str, **frame: str) -> Markup:
    x0, x1, height = 40, DIST_WIDTH - 12, 170
    counts = bins(points)
    peak = max(n for n, _h in counts)
    step = next(s for s in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 10**9)
                if peak / s <= 5)
    y_max = max(step, math.ceil(peak / step) * step)
    while peak * height / y_max > height - 20:  # room for the count above the highest bar
        y_max += step
    body.append(_el("text", {"x": 0, "y": _c(y + 12), "fill": AXIS, "font-size": SMALL},
                    _("Dossiers")))
    y += 18 + (18 if cut is not None else 0)
    top, base = y + 14, y + 14 + height
    def y_of(count: float) -> float:
        return base - height * count / y_max
    grid = "".join(f"M{x0} {_c(y_of(v))}H{x1}" for v in range(step, y_max + 1, step))
    body.append(f'<path d="{grid}" stroke="{GRID}" fill="none"/>')
    ticks = "".join(f'<text x="{x0 - 6}" y="{_c(y_of(v) + 4)}">{v}</text>'
                    for v in range(0, y_max + 1, step))
    body.append(f'<g font-size="{SMALL}" fill="{AXIS}" text-anchor="end">{ticks}</g>')
    slot = (x1 - x0) / len(counts)
    bars, tops = [], []
    for i, (n, h) in enumerate(counts):
        if not n:
            continue
        lo = i * BIN
        span = f"{lo}\u2013{lo + BIN}"
        tip = ngettext("%(range)s: %(num)d dossier", "%(range)s: %(num)d dossiers", n,
                       range=span)
        if h and highlight_label:
            tip += " \u2014 " + _("%(label)s: %(num)d", label=highlight_label, num=h)
        bx, bw = x0 + slot * i + 1.5, slot - 3
        shapes = f'<rect x="{_c(bx)}" y="{_c(y_of(n - h))}" width="{_c(bw)}"' \
                 f' height="{_c(y_of(0) - y_of(n - h))}"/>' if n - h else ""
        if h:
            shapes += (f'<rect x="{_c(bx + 1)}" y="{_c(y_of(n) + 1)}" width="{_c(bw - 2)}"'
                       f' height="{_c(max(0.0, y_of(n - h) - y_of(n) - 2))}" fill="#ffffff"'
                       f' stroke="{ACCENT}" stroke-width="2"/>')
        bars.append(f'<g class="bin"><title>{_esc(tip)}</title>{shapes}</g>')
        tops.append(f'<text x="{_c(bx + bw / 2)}" y="{_c(y_of(n) - 4)}">{n}</text>')
    body.append(f'<g fill="{INK}">{"".join(bars)}</g>')
    body.append(f'<g font-size="{SMALL}" fill="{TEXT}" text-anchor="middle">{"".join(tops)}</g>')
    body.append(f'<path d="M{x0} {_c(top - 4)}V{_c(base)}H{x1}" stroke="{AXIS}" fill="none"/>')
    body += _x_ticks(x0, x1, base + 16, gridline_to=None)
    body.append(_el("text", {"x": _c((x0 + x1) / 2), "y": _c(base + 34), "fill": AXIS,
                             "font-size": SMALL, "text-anchor": "middle"}, _("Score")))
    if cut is not None:
        body += _cut(x0 + (x1 - x0) * _clamp(cut) / 100, (x0 + x1) / 2, top - 4, base,
                     cut_text, DIST_WIDTH - 8)
    return _svg("distribution", DIST_WIDTH, base + 42, body=body, **frame)


# -- profile ------------------------------------------------------------------------------

PROFILE_WIDTH = 350
_TRACK_X0, _TRACK_X1 = 10, 296
_BAR_H = 16
_BAR_ROW = 50


def _reference_marker(x: float, top: float, bottom: float) -> str:
    mid = (top + bottom) / 2
    return (f'<path d="M{_c(x)} {_c(top - 4)}V{_c(bottom + 4)}" stroke="#ffffff"'
            f' stroke-width="4"/><path d="M{_c(x)} {_c(top - 4)}V{_c(bottom + 4)}"'
            f' stroke="#000000" stroke-width="2"/><path d="{_diamond(x, mid, 6)}"'
            f' fill="#000000" stroke="#ffffff"/>')


def profile(bars: Sequence[Bar], *, title: str, description: str, id_prefix: str,
            value_label: str, reference_label: str, decimal_separator: str = ",") -> Markup:
    """A dossier's average per criterion as horizontal bars on 0-100, one per criterion in the
    given order: the criterion's name above its bar (cut with an ellipsis), the bar inside a
    grey 0-100 outline, the value printed at the end of the line ("n/a" and an empty dashed
    outline when None), the category average as a black line with a diamond. A legend names
    both; <title>s on the bar and the marker carry the exact figures.
    Raises ValueError for a non-finite value or an id_prefix not usable as an id.
    """
    for bar in bars:
        for value in (bar.value, bar.reference):
            if value is not None:
                _finite(value, "value")
    legend = [(f'<rect x="1" y="3" width="14" height="10" fill="{INK}"/>', value_label),
              (_reference_marker(8, 3, 13), reference_label)]
    body, y = _legend(legend, PROFILE_WIDTH, 0, _TRACK_X0)
    y += 4
    bottom = y + _BAR_ROW * len(bars)

    def x_of(value: float) -> float:
        return _TRACK_X0 + (_TRACK_X1 - _TRACK_X0) * _clamp(value) / 100

    body += _x_ticks(_TRACK_X0, _TRACK_X1, bottom + 14, gridline_to=y + 20)
    names, values, shapes = [], [], []
    for i, bar in enumerate(bars):
        top = y + _BAR_ROW * i + 22
        name = fit(bar.label, PROFILE_WIDTH - _TRACK_X0 - 2, FONT)
        names.append(f'<text x="{_TRACK_X0}" y="{_c(top - 6)}">{_esc(name)}</text>')
        base = _c(top + _BAR_H / 2 + FONT * 0.35)
        track = {"x": _TRACK_X0, "y": _c(top), "width": _TRACK_X1 - _TRACK_X0,
                 "height": _BAR_H, "fill": "none", "stroke": TRACK}
        if bar.value is None:
            shapes.append(_el("rect", {**track, "stroke-dasharray": "4 3"}))
            values.append(f'<text x="{PROFILE_WIDTH - 2}" y="{base}">{_esc(_("n/a"))}</text>')
        else:
            shown = number(bar.value, decimal_separator)
            shapes.append(_el("rect", track))
            shapes.append(_el("rect", {"x": _TRACK_X0, "y": _c(top),
                                       "width": _c(x_of(bar.value) - _TRACK_X0),
                                       "height": _BAR_H, "fill": INK},
                              title=_("%(label)s: %(value)s", label=value_label, value=shown)))
            values.append(f'<text x="{PROFILE_WIDTH - 2}" y="{base}">{_esc(shown)}</text>')
        if bar.reference is not None:
            tip = _("%(label)s: %(value)s", label=reference_label,
                    value=number(bar.reference, decimal_separator))
            shapes.append(f"<g><title>{_esc(tip)}</title>"
                          f"{_reference_marker(x_of(bar.reference), top, top + _BAR_H)}</g>")
    body.append(f'<g fill="{TEXT}">{"".join(names)}</g>')
    body.append("".join(shapes))
    body.append(f'<g fill="{TEXT}" text-anchor="end">{"".join(values)}</g>')
    return _svg("profile", PROFILE_WIDTH, bottom + 22, title=title, description=description,
                id_prefix=id_prefix, body=body)
