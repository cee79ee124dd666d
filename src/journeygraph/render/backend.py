"""The one place that runs the Graphviz programs."""

from __future__ import annotations

from pathlib import Path
from typing import Final

import graphviz

from journeygraph.exceptions import GraphvizNotFoundError, RenderError
from journeygraph.io.files import atomic_write

__all__ = ["FORMATS", "format_of", "render", "save"]

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
        known = ", ".join(f".{f}" for f in FORMATS)
        raise RenderError(f"{path}: unknown diagram format '.{suffix}'; use one of {known}")
    return suffix


def render(dot: graphviz.Digraph, output_format: str) -> bytes:
    """The diagram in ``output_format`` (one of :data:`FORMATS`), drawn by Graphviz."""
    source: str = dot.source
    if output_format == "dot":
        return source.encode("utf-8")
    if output_format not in FORMATS:
        raise RenderError(f"unknown diagram format {output_format!r}")
    try:
        drawn: bytes = graphviz.pipe(dot.engine, output_format, source.encode("utf-8"), quiet=True)
        return drawn
    except graphviz.ExecutableNotFound:
        raise GraphvizNotFoundError(
            "the Graphviz program 'dot' is not installed; run `make setup` (or "
            "`apt-get install graphviz`) and try again"
        ) from None
    except graphviz.CalledProcessError as err:
        detail = (err.stderr or b"").decode("utf-8", "replace").strip().splitlines()
        raise RenderError(f"Graphviz could not draw the diagram: {' '.join(detail[:2])}") from None


def save(dot: graphviz.Digraph, path: str | Path) -> Path:
    """Draw ``dot`` into ``path``, the format taken from its suffix."""
    return atomic_write(path, render(dot, format_of(path)))
