"""The emotion curve: how each persona feels along the journey, drawn with matplotlib.

The data (`emotion_curves`) is pure; `emotion_svg` draws it. Text is drawn
as outlines (``svg.fonttype = "path"``), so no name a user wrote becomes SVG
text or markup, and the picture looks the same wherever it is opened.

Examples
--------
>>> import journeygraph
>>> m = journeygraph.load("examples/mortgage.yaml")
>>> [(c.persona, c.points[:2]) for c in emotion_curves(m)][:1]
[('First-time buyer', [(1, -1), (2, 1)])]
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass, field
from typing import Any

from journeygraph.escape import printable
from journeygraph.extras import optional
from journeygraph.model import JourneyMap, Touchpoint
from journeygraph.render.limits import CHART_MAX_TOUCHPOINTS
from journeygraph.render.style import gap_colour

__all__ = [
    "EmotionCurve",
    "StageEmotion",
    "emotion_curves",
    "emotion_png",
    "emotion_svg",
    "stage_emotions",
]

_EVERYONE = "Every customer"


@dataclass(frozen=True)
class EmotionCurve:
    """One persona's emotion along the journey.

    Attributes
    ----------
    persona
        The persona's name, or ``Every customer`` for a map without personas.
    points
        ``(index, emotion)``: the index of the touchpoint in journey order
        (stages in order, touchpoints in map order within a stage) and the
        emotion, -2 to +2; touchpoints with no emotion for the persona are left out.
    segments
        The points in runs drawn as one line: a run ends where a whole stage between
        two points has no emotion for the persona, so no line crosses a stage
        without data.
    pains
        ``(index, emotion or None)`` of each touchpoint with a pain point for the
        persona (its own, or one for every customer): marked on the curve, or under
        it where the touchpoint has no emotion.
    """

    persona: str
    points: list[tuple[int, int]]
    segments: list[list[tuple[int, int]]] = field(default_factory=list)
    pains: list[tuple[int, int | None]] = field(default_factory=list)


def journey_order(m: JourneyMap) -> list[Touchpoint]:
    """The touchpoints in journey order: by stage, then in map order."""
    position = {s.id: i for i, s in enumerate(m.stages)}
    return sorted(m.touchpoints, key=lambda t: position[t.stage])


def emotion_curves(m: JourneyMap) -> list[EmotionCurve]:
    """The curve of each persona (and of every customer where no persona is given).

    A persona's emotion at a touchpoint is its own experience's, else the one
    given for every customer. A map with no personas has one curve, of every
    customer. Curves with no point are left out.
    """
    order = journey_order(m)
    everyone = {
        t.id: e.emotion
        for t in order
        for e in t.experience
        if e.persona is None and e.emotion is not None
    }
    curves = []
    personas: list[tuple[str | None, str]] = [(p.id, p.label) for p in m.personas]
    personas = personas or [(None, _EVERYONE)]
    position = {s.id: k for k, s in enumerate(m.stages)}
    for ident, label in personas:
        points: list[tuple[int, int]] = []
        pains: list[tuple[int, int | None]] = []
        for i, t in enumerate(order):
            own = next(
                (e.emotion for e in t.experience if e.persona == ident and ident is not None),
                None,
            )
            value = own if own is not None else everyone.get(t.id)
            if value is not None:
                points.append((i, value))
            if any(e.pain_points for e in t.experience if e.persona in (ident, None)):
                pains.append((i, value))
        if points:
            curves.append(EmotionCurve(label, points, _runs(points, order, position), pains))
    return curves


@dataclass(frozen=True)
class StageEmotion:
    """A persona's emotion over one stage, as a chart of a big journey plots it.

    Attributes
    ----------
    stage
        The stage's index in the map's order.
    mean, low, high
        The mean, lowest and highest emotion of its touchpoints that have one.
    rated
        How many of its touchpoints have an emotion for the persona.
    pains
        How many of its touchpoints have a pain point for the persona.
    """

    stage: int
    mean: float | None
    low: int | None
    high: int | None
    rated: int
    pains: int


def stage_emotions(m: JourneyMap, curve: EmotionCurve) -> list[StageEmotion]:
    """``curve`` (one of :func:`emotion_curves` of ``m``) stage by stage: each stage of
    ``m`` with its touchpoints, in order.

    Examples
    --------
    >>> import journeygraph
    >>> m = journeygraph.load("examples/mortgage.yaml")
    >>> first = stage_emotions(m, emotion_curves(m)[0])[0]
    >>> first.stage, first.rated, first.low, first.high
    (0, 2, -1, 1)
    """
    order = journey_order(m)
    position = {s.id: k for k, s in enumerate(m.stages)}
    values: dict[int, list[int]] = {}
    for i, value in curve.points:
        values.setdefault(position[order[i].stage], []).append(value)
    pains: dict[int, int] = {}
    for i, _ in curve.pains:
        k = position[order[i].stage]
        pains[k] = pains.get(k, 0) + 1
    return [
        StageEmotion(
            k,
            sum(values[k]) / len(values[k]) if k in values else None,
            min(values[k]) if k in values else None,
            max(values[k]) if k in values else None,
            len(values.get(k, ())),
            pains.get(k, 0),
        )
        for k in sorted({position[t.stage] for t in order})
    ]


def _runs(
    points: list[tuple[int, int]], order: list[Touchpoint], position: dict[str, int]
) -> list[list[tuple[int, int]]]:
    """``points`` cut where a stage between two of them has none (see `EmotionCurve`)."""
    runs: list[list[tuple[int, int]]] = []
    for point in points:
        if runs:
            before = position[order[runs[-1][-1][0]].stage]
            if position[order[point[0]].stage] - before > 1:
                runs.append([point])
                continue
            runs[-1].append(point)
        else:
            runs.append([point])
    return runs


def emotion_svg(m: JourneyMap) -> str | None:
    """The emotion curves as SVG text, or ``None`` when the map gives no emotion."""
    drawn = _emotion_chart(m, "svg")
    return drawn.decode("utf-8") if drawn is not None else None


def emotion_png(m: JourneyMap) -> bytes | None:
    """The emotion curves as a PNG at 150 dots an inch (for slides), or ``None`` when the
    map gives no emotion.

    Examples
    --------
    >>> import journeygraph
    >>> emotion_png(journeygraph.load("examples/mortgage.yaml"))[:4]
    b'\x89PNG'
    """
    return _emotion_chart(m, "png")


def _emotion_chart(m: JourneyMap, kind: str) -> bytes | None:
    curves = emotion_curves(m)
    if not curves:
        return None
    # Loaded here: matplotlib takes half a second to import, and only this draws with it.
    optional("matplotlib")  # not installed: which extra to install
    from matplotlib import rc_context
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    order = journey_order(m)
    by_stage = len(order) > CHART_MAX_TOUCHPOINTS  # decided before a point is plotted
    # Settings for this figure only: a notebook's own plots keep theirs.
    # svg.hashsalt: the same map gives the same file.
    with rc_context({"svg.fonttype": "path", "svg.hashsalt": "journeygraph"}):
        wide = 1.2 * len(m.stages) if by_stage else 0.6 * len(order)
        figure = Figure(figsize=(max(6.0, wide + 2.5), 4.2))
        FigureCanvasSVG(figure)
        axes = figure.add_subplot()
        if by_stage:
            _by_stage(axes, m, curves)
        else:
            _by_touchpoint(axes, m, order, curves)
        axes.axhline(0, color="#90a4ae", linewidth=0.8)
        axes.set_ylim(-2.5, 3.1)
        axes.set_yticks([-2, -1, 0, 1, 2], ["very bad", "bad", "neutral", "good", "delighted"])
        axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize=9)
        axes.spines[["top", "right"]].set_visible(False)
        out = io.BytesIO()
        with warnings.catch_warnings():
            # A character the font lacks is drawn as a box; matplotlib's warning
            # would print the character itself, raw, on the user's terminal.
            warnings.filterwarnings("ignore", message="Glyph .* missing from", category=UserWarning)
            if kind == "svg":
                figure.savefig(out, format="svg", metadata={"Date": None}, bbox_inches="tight")
            else:
                figure.savefig(out, format="png", dpi=150, bbox_inches="tight")
    return out.getvalue()


def _pain_mark(axes: Any, xs: list[float], ys: list[float], **line: str) -> None:
    """Pain points: red marks on the curve, or under it (the high colour, as the canvas)."""
    axes.plot(
        xs,
        ys,
        **line,
        marker="v",
        markersize=9,
        markerfacecolor="none",
        markeredgecolor=gap_colour(),
        markeredgewidth=1.6,
    )


def _by_touchpoint(
    axes: Any, m: JourneyMap, order: list[Touchpoint], curves: list[EmotionCurve]
) -> None:
    """A point per touchpoint with an emotion, a line per run, the stages as bands."""
    used = sorted({i for c in curves for i, _ in c.points})
    _stage_bands(axes, m, order)
    for curve in curves:
        colour = None
        for k, run in enumerate(curve.segments):
            xs, ys = zip(*run, strict=True)
            (line,) = axes.plot(
                xs,
                ys,
                marker="o",
                linewidth=2,
                color=colour,
                label=_short(curve.persona, 40) if k == 0 else None,
            )
            colour = line.get_color()
        for x, y in curve.pains:  # a pain point: a red mark on the curve, or under it
            _pain_mark(axes, [x], [y if y is not None else -2.35])
    if any(curve.pains for curve in curves):
        _pain_mark(axes, [], [], linestyle="none", label="pain point")
    axes.set_xticks(used, [_short(order[i].label, 28) for i in used], rotation=35, ha="right")
    axes.set_xlim(-0.5, len(order) - 0.5)


def _by_stage(axes: Any, m: JourneyMap, curves: list[EmotionCurve]) -> None:
    """A point per stage at its mean emotion, a bar from its lowest to its highest, and a
    pain mark where any touchpoint of it has one; the figure says so under the axes."""
    for c, curve in enumerate(curves):
        shift = (c - (len(curves) - 1) / 2) * 0.12  # the personas side by side
        rows = stage_emotions(m, curve)
        rated = [r for r in rows if r.mean is not None]
        colour = None
        for k, run in enumerate(_stage_runs(rated)):
            (line,) = axes.plot(
                [r.stage + shift for r in run],
                [r.mean for r in run],
                marker="o",
                linewidth=2,
                color=colour,
                label=_short(curve.persona, 40) if k == 0 else None,
            )
            colour = line.get_color()
        for r in rated:
            axes.vlines(r.stage + shift, r.low, r.high, color=colour, linewidth=1, alpha=0.6)
        pained = [r for r in rows if r.pains]
        xs = [r.stage + shift for r in pained]
        ys = [r.mean if r.mean is not None else -2.35 for r in pained]
        _pain_mark(axes, xs, ys, linestyle="none")
    if any(curve.pains for curve in curves):
        _pain_mark(axes, [], [], linestyle="none", label="pain point\nin the stage")
    names = [_short(s.label, 28) for s in m.stages]
    axes.set_xticks(range(len(names)), names, rotation=35, ha="right")
    axes.set_xlim(-0.5, len(names) - 0.5)
    axes.set_title(
        f"{len(m.touchpoints):,} touchpoints, more than the {CHART_MAX_TOUCHPOINTS} drawn one "
        "by one: each stage's mean emotion, a bar from its lowest to its highest",
        fontsize=8,
        color="#546e7a",
        loc="left",
    )


def _stage_runs(rated: list[StageEmotion]) -> list[list[StageEmotion]]:
    """Stages with an emotion in runs of neighbours: no line crosses a stage without."""
    runs: list[list[StageEmotion]] = []
    for row in rated:
        if runs and row.stage == runs[-1][-1].stage + 1:
            runs[-1].append(row)
        else:
            runs.append([row])
    return runs


def _stage_bands(axes: object, m: JourneyMap, order: list[Touchpoint]) -> None:
    """Alternate shaded bands, one per stage, named at the top."""
    names = {s.id: s.label for s in m.stages}
    start = 0
    for k, s in enumerate(m.stages):
        count = sum(t.stage == s.id for t in order)
        if not count:
            continue
        if k % 2 == 0:
            axes.axvspan(start - 0.5, start + count - 0.5, color="#eceff1", zorder=0)  # type: ignore[attr-defined]
        axes.text(  # type: ignore[attr-defined]
            start + (count - 1) / 2,
            3.0 if k % 2 == 0 else 2.6,  # alternate heights: neighbours never overlap
            _short(names[s.id], 18),
            ha="center",
            va="top",
            fontsize=8,
            color="#546e7a",
        )
        start += count


def _short(text: str, most: int) -> str:
    """A name for the chart: one line, controls written out, a ``$`` never mathtext."""
    text = " ".join(printable(text).split()).replace("$", "\\$")
    return text if len(text) <= most else text[: most - 1] + "…"
