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

from journeygraph.escape import printable
from journeygraph.extras import optional
from journeygraph.model import JourneyMap, Touchpoint
from journeygraph.render.style import gap_colour

__all__ = ["EmotionCurve", "emotion_curves", "emotion_png", "emotion_svg"]

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
    used = sorted({i for c in curves for i, _ in c.points})
    # Settings for this figure only: a notebook's own plots keep theirs.
    # svg.hashsalt: the same map gives the same file.
    with rc_context({"svg.fonttype": "path", "svg.hashsalt": "journeygraph"}):
        figure = Figure(figsize=(max(6.0, 0.6 * len(order) + 2.5), 4.2))
        FigureCanvasSVG(figure)
        axes = figure.add_subplot()
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
                axes.plot(
                    [x],
                    [y if y is not None else -2.35],
                    marker="v",
                    markersize=9,
                    markerfacecolor="none",
                    markeredgecolor=gap_colour(),  # the high colour, as the canvas marks pains
                    markeredgewidth=1.6,
                )
        if any(curve.pains for curve in curves):
            axes.plot(
                [],
                [],
                linestyle="none",
                marker="v",
                markersize=9,
                markerfacecolor="none",
                markeredgecolor=gap_colour(),  # the high colour, as the canvas marks pains
                markeredgewidth=1.6,
                label="pain point",
            )
        axes.axhline(0, color="#90a4ae", linewidth=0.8)
        axes.set_ylim(-2.5, 3.1)
        axes.set_yticks([-2, -1, 0, 1, 2], ["very bad", "bad", "neutral", "good", "delighted"])
        axes.set_xticks(used, [_short(order[i].label, 28) for i in used], rotation=35, ha="right")
        axes.set_xlim(-0.5, len(order) - 0.5)
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
