"""The one place that runs the Graphviz programs."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Final

import graphviz

from journeygraph.exceptions import GraphvizNotFoundError, RenderError
from journeygraph.io.files import atomic_write

__all__ = ["FORMATS", "TIMEOUT", "cluster_widths", "format_of", "render", "save"]

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
    return _run(dot, output_format, timeout)


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


def _run(dot: graphviz.Digraph, output_format: str, timeout: float | None) -> bytes:
    source: str = dot.source
    limit = _timeout() if timeout is None else timeout
    try:
        done = subprocess.run(
            [dot.engine, f"-T{output_format}"],
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
        raise RenderError(f"Graphviz could not draw the diagram: {' '.join(detail[:2])}")
    return done.stdout


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
