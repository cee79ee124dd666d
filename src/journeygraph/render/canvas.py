"""The frame every diagram shares: title, optional note, fonts and defaults."""

from __future__ import annotations

from typing import Any

import graphviz

from journeygraph.render.style import INK, font
from journeygraph.render.text import html

__all__ = ["canvas", "legend", "table_diagram"]


def canvas(name: str, title: str, *, note: str | None = None, **graph: Any) -> graphviz.Digraph:
    """An empty diagram with its title (and a note under it) and the house style.

    Examples
    --------
    >>> print(canvas("x", "A <b>", note="n").source.splitlines()[1].strip()[:60])
    graph [bgcolor=white fontname="Helvetica,Arial,sans-serif" f
    """
    label = f"<b>{html(title)}</b>"
    if note:
        label += f'<br/><font point-size="11">{html(note)}</font>'
    dot = graphviz.Digraph(name)
    dot.attr(
        "graph",
        fontname=font(),
        label=f"<{label}>",
        labelloc="t",
        fontsize="18",
        bgcolor="white",
        **graph,
    )
    dot.attr(
        "node",
        fontname=font(),
        fontsize="11",
        shape="box",
        style="rounded,filled",
        fillcolor="white",
        color=INK,
    )
    dot.attr("edge", fontname=font(), fontsize="10", arrowsize="0.7")
    return dot


def table_diagram(
    name: str,
    title: str,
    rows: list[str],
    *,
    note: str | None = None,
    cellpadding: int = 6,
    fontsize: int = 11,
) -> graphviz.Digraph:
    """A diagram that is one HTML-like table of ``rows`` (``<tr>`` elements)."""
    table = (
        f'<table border="0" cellborder="1" cellspacing="0" cellpadding="{cellpadding}" '
        f'color="#cfd8dc">{"".join(rows)}</table>'
    )
    dot = canvas(name, title, note=note)
    dot.node(name, f"<{table}>", shape="plaintext", style="", fontsize=str(fontsize))
    return dot


def legend(dot: graphviz.Digraph, rows: list[tuple[str, str]], *, boxed: bool = False) -> None:
    """A legend node: each row a sample (HTML-like label markup, the diagram's own) and
    its meaning; ``boxed`` draws it in a frame of its own.

    Examples
    --------
    >>> dot = canvas("x", "X")
    >>> legend(dot, [("red", "a gap")])
    >>> "<b>Legend</b>" in dot.source
    True
    """
    cells = "".join(
        f'<tr><td align="left">{sample}</td><td align="left">{meaning}</td></tr>'
        for sample, meaning in rows
    )
    title = '<tr><td colspan="2"><b>Legend</b></td></tr>'
    table = f'<<table border="0" cellspacing="2">{title}{cells}</table>>'
    if boxed:
        with dot.subgraph(name="cluster_legend") as frame:
            frame.attr(label="", style="rounded", color="#cfd8dc")
            frame.node("legend", table, shape="plaintext", style="", fontsize="10")
    else:
        dot.node("legend", table, shape="plaintext", style="", fontsize="10")
