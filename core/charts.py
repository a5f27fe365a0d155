"""Bar charts as inline SVG for the finance pages and their PDF (WeasyPrint draws the same markup).

They must read without colour, printed on a school's black-and-white laser: the two series differ by
fill (solid dark against white with hatching), every bar has its amount written beside it, and a
legend shows the fills. Text is dark on white in an Arial/Helvetica stack at 12px or more.

Money never passes through float, not even on its way to a coordinate: positions are Decimal and
written out by `_number`. Everything typed by people (line names, titles) is escaped, and characters
XML cannot hold at all are dropped, so a label like "R&D <new>" cannot break the page or the PDF.

    comparison_bars(title=..., description=..., rows=[("Staffing", Decimal("1200"), Decimal("1350.50"))])
    bars(title=..., description=..., rows=[("Hill Primary", Decimal("450"))], label="Outstanding")

Both return SVG marked safe (a `SafeString`), to be put in a template as it is. The chart draws no
heading of its own: its title names it for screen readers, and the page gives it a visible heading.
It is drawn 640 wide; on a page the `cr-chart` class lets it shrink to a phone's width.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
FONT = "Arial, Helvetica, sans-serif"
INK = "#0b0c0c"  # GOV.UK text colour: 19.5:1 on white
GRID = "#b1b4b6"  # GOV.UK border grey: only for the scale lines, never for meaning
LABEL_SIZE = 14
VALUE_SIZE = 14
TICK_SIZE = 12
# Widths in Arial (and Liberation Sans, Helvetica: the same metrics), in ems: amounts are figures and
# "£" at 0.556 with narrow punctuation; anything else is counted a little wide to keep it inside the
# drawing. Names are mostly lower case (0.5em on average); the column's spare width absorbs capitals.
NARROW = {",": Decimal("0.278"), ".": Decimal("0.278"), " ": Decimal("0.278"), "-": Decimal("0.333")}
FIGURE = Decimal("0.556")
CHAR_WIDTH = Decimal("0.6")
NAME_CHAR_WIDTH = Decimal("0.52")
LABEL_COLUMN = 210  # category names, right-aligned against the bars
GAP = 6  # between a name or a bar's end and its amount
BAR = 18
BAR_GAP = 3
GROUP_GAP = 14
LEGEND_HEIGHT = 34
AXIS_HEIGHT = 28
MAX_LABEL_LINES = 2
# Control characters are not allowed in XML 1.0 even escaped: one pasted from a spreadsheet would make
# the whole SVG (and the PDF around it) unreadable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class Series:
    label: str
    values: list[Decimal]
    solid: bool


def count(value: Decimal) -> str:
    """'3', '1,200', '4.5': a number of things (meetings, credits), not money."""
    value = Decimal(value)
    text = f"{value:,.1f}" if value != value.to_integral_value() else f"{value:,.0f}"
    return text


def comparison_bars(
    *,
    title: str,
    description: str,
    rows: list[tuple[str, Decimal, Decimal]],
    labels: tuple[str, str] = ("Planned", "Actual"),
    money: bool = True,
) -> SafeString:
    """A horizontal bar chart with a pair of bars per row, e.g. each budget line's budget and spending.

    `rows` are (name, first amount, second amount); the first series is drawn white with hatching,
    the second solid, so the pair reads in greyscale. Negative amounts run left of zero."""
    names = [name for name, _, _ in rows]
    first = Series(labels[0], [_amount(row[1]) for row in rows], solid=False)
    second = Series(labels[1], [_amount(row[2]) for row in rows], solid=True)
    return _chart(title=title, description=description, names=names, series=[first, second], money=money)


def bars(
    *,
    title: str,
    description: str,
    rows: list[tuple[str, Decimal]],
    label: str = "Amount",
    money: bool = True,
) -> SafeString:
    """A horizontal bar chart with one solid bar per row, e.g. contributions outstanding per school.
    `label` names the amounts in the description (a single series needs no legend)."""
    names = [name for name, _ in rows]
    series = Series(label, [_amount(value) for _, value in rows], solid=True)
    return _chart(title=title, description=description, names=names, series=[series], money=money)


def pounds(value: Decimal) -> str:
    """'£1,234.50', '-£20.00': as the finance pages write money, with the sign before the pound."""
    sign = "-" if value < 0 else ""
    return f"{sign}£{abs(value):,.2f}"


def _amount(value) -> Decimal:
    if isinstance(value, float):
        raise TypeError("Chart amounts are Decimal (or int): a float has already lost the pence")
    amount = Decimal(value)
    if not amount.is_finite():
        raise ValueError(f"A chart cannot draw {amount}")
    return amount


def _text(value: str) -> str:
    return escape(_NOT_XML.sub("", str(value)), quote=True)


def _number(value: Decimal) -> str:
    """A coordinate for SVG: two decimal places at most, no exponent, no trailing zeros."""
    rounded = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)
    text = f"{rounded:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _width(text: str, size: int) -> Decimal:
    """How wide `text` is at `size`, near enough to place an amount and keep it in the drawing."""
    ems = sum((NARROW.get(char, FIGURE if char.isdigit() or char == "£" else CHAR_WIDTH) for char in text), Decimal(0))
    return ems * size


def _tick_label(value: Decimal, step: Decimal, money: bool = True) -> str:
    if not money:
        return count(value)
    if step == step.to_integral_value():
        sign = "-" if value < 0 else ""
        return f"{sign}£{abs(value):,.0f}"
    return pounds(value)


def _scale(
    low: Decimal, high: Decimal, *, room: Decimal, label: Decimal, whole: bool = False
) -> tuple[Decimal, Decimal, list[Decimal]]:
    """The ends and the ticks of a scale for amounts from `low` to `high` (0 always among them) drawn
    `room` wide: the finest step of 1, 2 or 5 times a power of ten whose ticks stand at least `label`
    apart, so that their amounts never run into each other."""
    if low == high:  # nothing but zeros: a bare zero line, no division by zero
        return Decimal(0), Decimal(1), [Decimal(0)]
    power = Decimal(1).scaleb((high - low).adjusted() - 2)
    if whole:  # counts (meetings, credits) are marked at whole numbers
        power = max(power, Decimal(1))
    while True:
        for multiple in (1, 2, 5):
            step = power * multiple
            # The longer side ends on a round amount; the shorter one (a small refund against large
            # spending) ends at its amount, so a -£320 does not give a quarter of the chart to -£5,000.
            start = (low / step).to_integral_value(rounding=ROUND_FLOOR) * step
            end = (high / step).to_integral_value(rounding=ROUND_CEILING) * step
            if -low < high:
                start = low
            else:
                end = high
            if room * step / (end - start) >= label or step >= high - low:  # or it can only be 0 and one end
                first = (start / step).to_integral_value(rounding=ROUND_CEILING)
                last = (end / step).to_integral_value(rounding=ROUND_FLOOR)
                return start, end, [step * index for index in range(int(first), int(last) + 1)]
        power *= 10


def _wrap(name: str, size: int, room: Decimal) -> list[str]:
    """A category name in at most two lines that fit `room`; a longer one ends in an ellipsis (the
    description keeps it whole)."""
    per_line = max(int(room / (NAME_CHAR_WIDTH * size)), 4)
    words = " ".join(name.split()).split(" ")
    lines: list[str] = []
    current = ""
    for word in words:
        while len(word) > per_line:  # a word longer than a line is cut where the line ends
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:per_line])
            word = word[per_line:]
        candidate = f"{current} {word}".strip()
        if len(candidate) <= per_line:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current or not lines:
        lines.append(current)
    if len(lines) > MAX_LABEL_LINES:
        # The last line takes as much of the rest as fits, ending at a word if one ends late enough.
        rest = " ".join(lines[MAX_LABEL_LINES - 1 :])[: per_line - 1]
        if rest.rfind(" ") > per_line // 2:
            rest = rest[: rest.rfind(" ")]
        lines = lines[: MAX_LABEL_LINES - 1] + [rest.rstrip() + "…"]
    return lines


def _summary(description: str, names: list[str], series: list[Series], write=pounds) -> str:
    """The chart's text alternative: the caller's summary, then every amount it draws."""
    parts = []
    for index, name in enumerate(names):
        amounts = ", ".join(f"{one.label.lower()} {write(one.values[index])}" for one in series)
        parts.append(f"{name}: {amounts}.")
    if not names:
        parts.append("There is nothing to show.")
    return " ".join([description.strip(), *parts]).strip()


def _ident(title: str, names: list[str], series: list[Series]) -> str:
    """An id prefix for this chart's title, description and pattern, stable across renders and
    different for each chart, so that several charts on one page do not share ids."""
    key = "\n".join([title, *names, *(f"{one.label}:{one.values}" for one in series)])
    return "chart-" + hashlib.sha256(key.encode()).hexdigest()[:10]


def _chart(*, title: str, description: str, names: list[str], series: list[Series], money: bool = True) -> SafeString:
    """`money`: amounts are pounds (the default); otherwise counts (meetings, credits), written plainly."""
    write = pounds if money else count
    if any(len(one.values) != len(names) for one in series):
        raise ValueError("Every series needs one amount per row")
    names = [_NOT_XML.sub("", str(name)) for name in names]  # before wrapping: \x0b is no space to split on
    ident = _ident(title, names, series)
    amounts = [value for one in series for value in one.values]
    low = min([Decimal(0), *amounts])
    high = max([Decimal(0), *amounts])

    # Room for the amounts written beyond the bars' ends: right of the longest positive bar and, when
    # something is negative, left of the longest negative one.
    value_room = max((_width(write(value), VALUE_SIZE) for value in amounts if value >= 0), default=Decimal(0))
    negative_room = max((_width(write(value), VALUE_SIZE) for value in amounts if value < 0), default=Decimal(0))
    plot_left = Decimal(LABEL_COLUMN) + (negative_room + GAP if negative_room else GAP)
    plot_right = Decimal(WIDTH) - value_room - GAP - 4
    plot_width = plot_right - plot_left
    widest_tick = _width(("£" if money else "") + f"{max(abs(low), abs(high)):,.0f}", TICK_SIZE) + 8
    start, end, ticks = _scale(low, high, room=plot_width, label=widest_tick, whole=not money)

    def x(value: Decimal) -> Decimal:
        return plot_left + (value - start) * plot_width / (end - start)

    legend = len(series) > 1
    top = LEGEND_HEIGHT if legend else 8
    group = len(series) * BAR + (len(series) - 1) * BAR_GAP
    label_lines = [_wrap(name, LABEL_SIZE, Decimal(LABEL_COLUMN - 8)) for name in names]
    group = max(group, MAX_LABEL_LINES * (LABEL_SIZE + 3)) if any(len(lines) > 1 for lines in label_lines) else group
    plot_top = top
    plot_bottom = plot_top + max(len(names), 1) * (group + GROUP_GAP)
    height = plot_bottom + AXIS_HEIGHT

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="cr-chart" role="img"'
        f' aria-labelledby="{ident}-title {ident}-desc" viewBox="0 0 {WIDTH} {height}"'
        f' width="{WIDTH}" height="{height}" font-family="{FONT}" fill="{INK}">',
        f'<title id="{ident}-title">{_text(title)}</title>',
        f'<desc id="{ident}-desc">{_text(_summary(description, names, series, write))}</desc>',
        # Hatching: white with dark diagonals, outlined, so it shows on any printer and beside the solid.
        f'<defs><pattern id="{ident}-hatch" patternUnits="userSpaceOnUse" width="6" height="6"'
        f' patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{INK}" stroke-width="2.5"/></pattern></defs>',
        f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>',
    ]

    def fill(one: Series) -> str:
        return f'fill="{INK}"' if one.solid else f'fill="url(#{ident}-hatch)" stroke="{INK}" stroke-width="1.5"'

    if legend:
        out.append('<g class="cr-chart__legend">')
        left = Decimal(LABEL_COLUMN) + GAP
        for one in series:
            out.append(f'<rect x="{_number(left)}" y="8" width="18" height="18" {fill(one)}/>')
            out.append(f'<text x="{_number(left + 24)}" y="22" font-size="{LABEL_SIZE}">{_text(one.label)}</text>')
            left += 24 + _width(one.label, LABEL_SIZE) + 24
        out.append("</g>")

    # The scale: light lines at each round amount, their amounts below, then a dark zero line.
    out.append('<g class="cr-chart__scale">')
    for tick in ticks:
        at = _number(x(tick))
        out.append(
            f'<line x1="{at}" y1="{plot_top}" x2="{at}" y2="{plot_bottom}" stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{at}" y="{plot_bottom + 18}" font-size="{TICK_SIZE}" text-anchor="middle">'
            f"{_text(_tick_label(tick, ticks[1] - ticks[0] if len(ticks) > 1 else Decimal(1), money))}</text>"
        )
    zero = _number(x(Decimal(0)))
    out.append(f'<line x1="{zero}" y1="{plot_top}" x2="{zero}" y2="{plot_bottom}" stroke="{INK}" stroke-width="1.5"/>')
    out.append("</g>")

    for index, lines in enumerate(label_lines):
        group_top = Decimal(plot_top) + index * (group + GROUP_GAP) + Decimal(GROUP_GAP) / 2
        bars_height = len(series) * BAR + (len(series) - 1) * BAR_GAP
        bars_top = group_top + Decimal(group - bars_height) / 2
        out.append('<g class="cr-chart__row">')
        line_height = LABEL_SIZE + 3
        first_line = (
            group_top + Decimal(group) / 2 - Decimal(line_height * (len(lines) - 1)) / 2 + Decimal(LABEL_SIZE) / 3
        )
        out.append(f'<text x="{LABEL_COLUMN - 8}" font-size="{LABEL_SIZE}" text-anchor="end">')
        for number, line in enumerate(lines):
            out.append(
                f'<tspan x="{LABEL_COLUMN - 8}" y="{_number(first_line + number * line_height)}">{_text(line)}</tspan>'
            )
        out.append("</text>")
        for position, one in enumerate(series):
            value = one.values[index]
            y = bars_top + position * (BAR + BAR_GAP)
            left, right = sorted([x(Decimal(0)), x(value)])
            out.append(
                f'<rect class="cr-chart__bar" data-series="{position}" x="{_number(left)}" y="{_number(y)}"'
                f' width="{_number(right - left)}" height="{BAR}" {fill(one)}/>'
            )
            text_y = _number(y + Decimal(BAR) / 2 + Decimal(VALUE_SIZE) * Decimal("0.35"))
            if value < 0:
                at, anchor = left - GAP, "end"
            else:
                at, anchor = right + GAP, "start"
            label_width = _width(write(value), VALUE_SIZE)
            backing = at - label_width if value < 0 else at
            out.append(
                f'<rect x="{_number(backing - 2)}" y="{_number(y)}" width="{_number(label_width + 4)}"'
                f' height="{BAR}" fill="#ffffff"/>'
            )
            out.append(
                f'<text x="{_number(at)}" y="{text_y}" font-size="{VALUE_SIZE}" text-anchor="{anchor}">'
                f"{_text(write(value))}</text>"
            )
        out.append("</g>")
    out.append("</svg>")
    return mark_safe("".join(out))  # every piece of text above went through _text  # nosec B308 B703


# --- Heat maps --------------------------------------------------------------------------------------------

CELL_HEIGHT = 22
CELL_GAP = 3
MAX_CELL = 56
MIN_CELL = 28
HEADER_HEIGHT = 40  # a column's label in two lines: "14 Oct" as "14" over "Oct"
LETTER_SIZE = 13


@dataclass(frozen=True)
class Mark:
    """One state a heat map's cell can be in: its letter (so the map reads without colour), its name in
    the legend and the text alternative, its shade and the ink its letter is written in (dark on a light
    shade, white on a dark one: at least 4.5:1 either way)."""

    letter: str
    label: str
    shade: str
    ink: str = INK


def heat_map(
    *,
    title: str,
    description: str,
    columns: list[str],
    rows: list[tuple[str, list[str | None]]],
    marks: dict[str, Mark],
    blank: str = "Not recorded",
) -> SafeString:
    """A grid of cells, a row per thing (a school) and a column per occasion (a meeting), each cell
    showing one of `marks` by its letter and shade; None is a blank cell, named `blank` in the legend.

    `rows` are (name, one key of `marks` or None per column). The legend above the grid names every
    mark used; the text alternative counts each row's marks, so a screen reader hears the totals and the
    page's table (the caller's) gives every cell."""
    if any(len(values) != len(columns) for _, values in rows):
        raise ValueError("Every row needs one value per column")
    unknown = {value for _, values in rows for value in values if value is not None and value not in marks}
    if unknown:
        raise ValueError(f"No mark for {sorted(unknown)}")
    names = [_NOT_XML.sub("", str(name)) for name, _ in rows]
    key = "\n".join([title, *columns, *(f"{name}:{values}" for name, values in rows)])
    ident = "chart-" + hashlib.sha256(key.encode()).hexdigest()[:10]

    used = [mark_key for mark_key in marks if any(mark_key in values for _, values in rows)]
    has_blank = any(value is None for _, values in rows for value in values)
    legend: list[tuple[Mark | None, str]] = [(marks[mark_key], marks[mark_key].label) for mark_key in used]
    if has_blank:
        legend.append((None, blank))

    # The legend flows left to right, on as many lines as it needs.
    legend_items, x, line, legend_right = [], Decimal(8), 0, Decimal(0)
    for mark, label in legend:
        width = 24 + _width(label, LABEL_SIZE) + 20
        if x + width > WIDTH and x > 8:
            x, line = Decimal(8), line + 1
        legend_items.append((x, line, mark, label))
        legend_right = max(legend_right, x + width - 20)
        x += width
    legend_height = (line + 1) * 26 + 8 if legend else 8

    plot_left = Decimal(LABEL_COLUMN)
    count_columns = max(len(columns), 1)
    cell = (Decimal(WIDTH) - plot_left - 8) / count_columns - CELL_GAP
    cell = max(min(cell, Decimal(MAX_CELL)), Decimal(MIN_CELL))
    # As wide as the grid and the legend need: a year of few meetings draws narrower (and so, shrunk to a
    # phone's width, larger); a year of many, wider than the other charts.
    width = max(plot_left + count_columns * (cell + CELL_GAP) + 8, legend_right + 8)
    grid_top = legend_height + HEADER_HEIGHT
    height = grid_top + max(len(rows), 1) * (CELL_HEIGHT + CELL_GAP) + 8

    def column_x(index: int) -> Decimal:
        return plot_left + index * (cell + CELL_GAP)

    def swatch(at_x: Decimal, at_y: Decimal, w: Decimal, h: Decimal, mark: Mark | None, extra: str = "") -> str:
        if mark is None:
            return (
                f'<rect x="{_number(at_x)}" y="{_number(at_y)}" width="{_number(w)}" height="{_number(h)}"'
                f' fill="#ffffff" stroke="{GRID}" stroke-width="1"{extra}/>'
            )
        return (
            f'<rect x="{_number(at_x)}" y="{_number(at_y)}" width="{_number(w)}" height="{_number(h)}"'
            f' fill="{_text(mark.shade)}" stroke="{INK}" stroke-width="0.5"{extra}/>'
            f'<text x="{_number(at_x + w / 2)}" y="{_number(at_y + h / 2 + Decimal(LETTER_SIZE) * Decimal("0.35"))}"'
            f' font-size="{LETTER_SIZE}" font-weight="bold" text-anchor="middle" fill="{_text(mark.ink)}">'
            f"{_text(mark.letter)}</text>"
        )

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="cr-chart cr-chart--heat-map" role="img"'
        f' aria-labelledby="{ident}-title {ident}-desc" viewBox="0 0 {_number(width)} {height}"'
        f' width="{_number(width)}" height="{height}" font-family="{FONT}" fill="{INK}">',
        f'<title id="{ident}-title">{_text(title)}</title>',
        f'<desc id="{ident}-desc">{_text(_heat_summary(description, names, rows, marks, blank))}</desc>',
        f'<rect width="{_number(width)}" height="{height}" fill="#ffffff"/>',
    ]
    if legend_items:
        out.append('<g class="cr-chart__legend">')
        for at_x, at_line, mark, label in legend_items:
            top = Decimal(8 + at_line * 26)
            out.append(swatch(at_x, top, Decimal(18), Decimal(18), mark))
            out.append(
                f'<text x="{_number(at_x + 24)}" y="{_number(top + 14)}" font-size="{LABEL_SIZE}">{_text(label)}</text>'
            )
        out.append("</g>")

    out.append('<g class="cr-chart__columns">')
    for index, column in enumerate(columns):
        centre = _number(column_x(index) + cell / 2)
        first, _, second = _NOT_XML.sub("", str(column)).partition(" ")
        out.append(f'<text x="{centre}" font-size="{TICK_SIZE}" text-anchor="middle">')
        out.append(f'<tspan x="{centre}" y="{legend_height + 14}">{_text(first)}</tspan>')
        if second:
            out.append(f'<tspan x="{centre}" y="{legend_height + 30}">{_text(second)}</tspan>')
        out.append("</text>")
    out.append("</g>")

    room = Decimal(LABEL_COLUMN - 8)
    for row_index, (name, (_, values)) in enumerate(zip(names, rows, strict=True)):
        top = Decimal(grid_top + row_index * (CELL_HEIGHT + CELL_GAP))
        out.append('<g class="cr-chart__row">')
        out.append(
            f'<text x="{LABEL_COLUMN - 8}" y="{_number(top + Decimal(CELL_HEIGHT) / 2 + Decimal(LABEL_SIZE) / 3)}"'
            f' font-size="{LABEL_SIZE}" text-anchor="end">{_text(_one_line(name, LABEL_SIZE, room))}</text>'
        )
        for column_index, value in enumerate(values):
            mark = marks[value] if value is not None else None
            data = (
                f' class="cr-chart__cell" data-row="{row_index}" data-column="{column_index}"'
                f' data-value="{_text(value or "")}"'
            )
            out.append(swatch(column_x(column_index), top, cell, Decimal(CELL_HEIGHT), mark, data))
        out.append("</g>")
    out.append("</svg>")
    return mark_safe("".join(out))  # every piece of text above went through _text  # nosec B308 B703


def _one_line(name: str, size: int, room: Decimal) -> str:
    """A row's name on one line that fits `room`, cut with an ellipsis if it must be (the text
    alternative and the page's table keep it whole)."""
    name = " ".join(name.split())
    per_line = max(int(room / (NAME_CHAR_WIDTH * size)), 4)
    if len(name) <= per_line:
        return name
    cut = name[: per_line - 1]
    if cut.rfind(" ") > per_line // 2:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip() + "…"


def _heat_summary(
    description: str, names: list[str], rows: list[tuple[str, list[str | None]]], marks: dict[str, Mark], blank: str
) -> str:
    """The heat map's text alternative: the caller's summary, then each row's count of every mark."""
    parts = []
    for name, (_, values) in zip(names, rows, strict=True):
        counted = [f"{mark.label.lower()} {values.count(key)}" for key, mark in marks.items() if key in values]
        if None in values:
            counted.append(f"{blank.lower()} {values.count(None)}")
        parts.append(f"{name}: {', '.join(counted) or 'nothing'}.")
    if not rows:
        parts.append("There is nothing to show.")
    return " ".join([description.strip(), *parts]).strip()
