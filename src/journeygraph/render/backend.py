"""The one place that runs the Graphviz programs."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path
from typing import Final, NamedTuple

import graphviz

from journeygraph.exceptions import GraphvizNotFoundError, RenderError
from journeygraph.io.files import atomic_write
from journeygraph.render.labels import Move, Placement

__all__ = [
    "FORMATS",
    "TIMEOUT",
    "cluster_widths",
    "draft",
    "format_of",
    "render",
    "render_laid_out",
    "save",
]

FORMATS: Final = ("svg", "png", "pdf", "dot")
"""Output formats, named by the file suffix; ``dot`` is the DOT source itself."""


def format_of(path: str | Path) -> str:
    """The output format a file name asks for.

    Examples
    --------
    >>> format_of("out/flow.SVG")
    'svg'
    >>> format_of("flow.jpeg")
    Traceback (most recent call last):
    ...
    journeygraph.exceptions.RenderError: flow.jpeg: unknown diagram format '.jpeg'; \
use one of .svg, .png, .pdf, .dot
    """
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        known = ", ".join(f".{suffix}" for suffix in FORMATS)
        raise RenderError(f"{path}: unknown diagram format '.{suffix}'; use one of {known}")
    return suffix


TIMEOUT: Final = 120.0
"""Seconds Graphviz may take to draw one diagram (``JOURNEYGRAPH_RENDER_TIMEOUT`` overrides)."""


def render(dot: graphviz.Digraph, output_format: str, *, timeout: float | None = None) -> bytes:
    """The diagram in ``output_format`` (one of :data:`FORMATS`), drawn by Graphviz.

    Graphviz gets ``timeout`` seconds (default :data:`TIMEOUT`); past them it is
    stopped and a :class:`RenderError` says so, never a hang.
    """
    if output_format == "dot":
        return str(dot.source).encode("utf-8")
    if output_format not in FORMATS:
        raise RenderError(f"unknown diagram format {output_format!r}")
    return render_laid_out(dot, output_format, timeout=timeout)[0]


def render_laid_out(
    dot: graphviz.Digraph, output_format: str, *, timeout: float | None = None
) -> tuple[bytes, str | None]:
    """:func:`render`'s drawing (not the ``dot`` format), and the layout it was drawn from:
    dot's ``-Tdot`` text with the labels moved, for :func:`draft` to draw the next version
    of the diagram on; ``None`` for a diagram not laid out by dot."""
    if output_format not in FORMATS or output_format == "dot":
        raise RenderError(f"unknown drawing format {output_format!r}")
    if dot.engine == "dot":
        return _drawn_with_labels_clear(dot, output_format, timeout)
    return _run(dot, output_format, timeout), None


_DRAFT: Final = """
BEG_G {
  graph_t old = readG(ARGV[0]);
  graph_t s; graph_t o;
  $G.bb = old.bb; $G.lp = old.lp; $G.lwidth = old.lwidth; $G.lheight = old.lheight;
  for (s = fstsubg($G); s; s = nxtsubg(s)) {
    o = isSubg(old, s.name);
    if (o) { s.bb = o.bb; s.lp = o.lp; s.lwidth = o.lwidth; s.lheight = o.lheight; }
  }
}
N {
  node_t n = isNode(old, $.name);
  if (n == NULL) exit(3);
  $.pos = n.pos;
}
E {
  edge_t e = isEdge(isNode(old, $.tail.name), isNode(old, $.head.name), "");
  if (e) { $.pos = e.pos; $.lp = e.lp; }
}
"""
"""gvpr: the graph read, with the positions of the same nodes, edges and clusters in the
old layout (``ARGV[0]``); a node the old layout lacks ends it with an error."""


def draft(
    dot: graphviz.Digraph, layout: str, output_format: str, *, timeout: float | None = None
) -> bytes | None:
    """``dot`` drawn quickly on an earlier ``layout`` of it (from :func:`render_laid_out`):
    every node, edge and cluster where it was, with what ``dot`` now says of it (a new
    name, colour, label), drawn by ``neato -n2`` without laying anything out. ``None``
    when ``dot`` has a node the layout lacks, or Graphviz fails.

    A draft to show while :func:`render` lays the diagram out again, which takes
    seconds on a large map; it is not that drawing (a longer name may crowd its
    neighbours, labels are where the old ones were).
    """
    import tempfile

    with tempfile.TemporaryDirectory(prefix="journeygraph-") as folder:
        old = Path(folder) / "old.dot"
        atomic_write(old, layout)
        try:
            merged = _program(["gvpr", "-c", _DRAFT, "-a", str(old)], dot.source, timeout)
            return _program(["neato", "-n2", f"-T{output_format}"], merged.decode(), timeout)
        except RenderError:
            return None


def _drawn_with_labels_clear(
    dot: graphviz.Digraph, output_format: str, timeout: float | None
) -> tuple[bytes, str | None]:
    """Lay ``dot`` out; where an edge label sits on a line, move it, and draw.

    dot writes the layout (``dot`` and ``json``) and the drawing in one run; when
    :func:`~journeygraph.render.labels.label_moves` finds no label to move, that
    drawing is the answer, byte for byte what dot alone draws. Otherwise the laid-out
    graph, with the moved labels' positions, is drawn by ``neato -n2``, which keeps
    every position it is given. Where edges crowd so that a label finds no place
    beside its own edge, the graph is laid out again with its nodes spread wider
    (:data:`SPREAD`), and the layout that strands the fewest labels is drawn.
    """
    try:
        first = _laid_out(dot.source, output_format, timeout)
    except _GraphvizFailedError:  # e.g. no room for the layout files: dot alone, to a pipe
        return _run(dot, output_format, timeout), None
    given = re.search(r"\bnodesep=\"?([0-9.]+)", dot.source)
    for spread in SPREAD:
        if not first.placement.stranded or first.edges > RELAYOUT_EDGES:
            break
        wider = dot.copy()  # a later graph attribute statement overrides an earlier one
        wider.attr("graph", nodesep=f"{float(given[1] if given else 0.25) * spread:g}")
        again = _laid_out(wider.source, output_format, timeout)
        if again.placement.stranded < first.placement.stranded:
            first = again
    layout, moved = first.layout, 0
    for before, move in first.placement.moves.items():
        changed = _moved(layout, before, move)
        if changed is not None:
            layout, moved = changed, moved + 1
    if not moved:
        return first.drawing, layout
    try:
        return _program(["neato", "-n2", f"-T{output_format}"], layout, timeout), layout
    except RenderError:  # a drawing with a label on a line beats no drawing
        return first.drawing, first.layout


SPREAD: Final = (2.0, 3.0)
"""How much wider apart nodes are laid out, in turn, while edges crowd a label off its own
edge (in practice rare: 1 drawing in 18 of generated maps needed the first, 1 in 36 the
second; see benchmarks/bench_labels.py)."""


RELAYOUT_EDGES: Final = 400
"""Diagrams of more edges are not laid out again for a stranded label: a layout of
them takes seconds, and a label among so many is less often read alone."""


class _Layout(NamedTuple):
    layout: str
    drawing: bytes
    placement: Placement
    edges: int


def _laid_out(source: str, output_format: str, timeout: float | None) -> _Layout:
    """dot's layout of ``source`` (its ``-Tdot`` text), its drawing, and where labels go."""
    import json
    import tempfile

    from journeygraph.render.labels import label_moves

    with tempfile.TemporaryDirectory(prefix="journeygraph-") as folder:
        laid, described, drawn = (Path(folder) / f"out.{s}" for s in ("dot", "json", output_format))
        outputs = ["-Tdot", "-o", str(laid), "-Tjson", "-o", str(described)]
        _program(["dot", *outputs, f"-T{output_format}", "-o", str(drawn)], source, timeout)
        layout = json.loads(described.read_bytes())
        edges = len(layout.get("edges", []))
        return _Layout(
            laid.read_text(encoding="utf-8"), drawn.read_bytes(), label_moves(layout), edges
        )


def cluster_widths(dot: graphviz.Digraph, *, timeout: float | None = None) -> dict[str, float]:
    """The width in inches of each cluster of ``dot`` as Graphviz lays it out, by name."""
    import json

    objects = json.loads(_run(dot, "json", timeout)).get("objects", [])
    widths = {}
    for o in objects:
        if str(o.get("name", "")).startswith("cluster") and "bb" in o:
            x0, _, x1, _ = (float(v) for v in o["bb"].split(","))
            widths[o["name"]] = (x1 - x0) / 72
    return widths


def _moved(layout: str, lp: str, move: Move) -> str | None:
    """``layout`` (dot's ``-Tdot`` output) with the label at ``lp`` moved; ``None`` when
    ``lp`` does not name one edge's label.

    dot writes an edge's attributes in alphabetical order, so its ``label`` is the
    last one before its ``lp``; journeygraph's edge labels are HTML tables.
    """
    at = f'lp="{lp}"'
    if layout.count(at) != 1:
        return None
    where = layout.index(at)
    layout = layout[:where] + f'lp="{move.lp}"' + layout[where + len(at) :]
    if move.label is None:
        return layout
    start = layout.rfind("label=<", 0, where)
    end = layout.find("</table>>", start) + len("</table>>")
    if start < 0 or not start < end <= where:
        return None
    return layout[:start] + f"label=<{move.label}>" + layout[end:]


def _run(dot: graphviz.Digraph, output_format: str, timeout: float | None) -> bytes:
    return _program([dot.engine, f"-T{output_format}"], dot.source, timeout)


def _program(command: list[str], source: str, timeout: float | None) -> bytes:
    """What a Graphviz program writes on its standard output, given ``source``."""
    limit = _timeout() if timeout is None else timeout
    try:
        done = subprocess.run(
            command,
            input=source.encode("utf-8"),
            capture_output=True,
            timeout=limit,
            check=False,
        )
    except FileNotFoundError:
        raise GraphvizNotFoundError(
            "the Graphviz program 'dot' is not installed; run `make setup` (or "
            "`apt-get install graphviz`) and try again"
        ) from None
    except subprocess.TimeoutExpired:
        raise RenderError(
            f"Graphviz took more than {limit:g} s to draw the diagram and was stopped; draw "
            "a part of it (render --stage), or allow more time with JOURNEYGRAPH_RENDER_TIMEOUT"
        ) from None
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise _GraphvizFailedError(f"Graphviz could not draw the diagram: {' '.join(detail[:2])}")
    return done.stdout


class _GraphvizFailedError(RenderError):
    """A Graphviz program ended with an error (not a timeout)."""


def _timeout() -> float:
    given = os.environ.get("JOURNEYGRAPH_RENDER_TIMEOUT", "")
    try:
        value = float(given) if given else TIMEOUT
    except ValueError:
        raise RenderError(
            f"JOURNEYGRAPH_RENDER_TIMEOUT={given!r}: give a number of seconds"
        ) from None
    return value if value > 0 else TIMEOUT


def save(dot: graphviz.Digraph, path: str | Path) -> Path:
    """Draw ``dot`` into ``path``, the format taken from its suffix."""
    return atomic_write(path, render(dot, format_of(path)))
