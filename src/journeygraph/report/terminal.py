"""The one way user text reaches a terminal through rich: as text, never markup.

:func:`safe` writes control characters out (:func:`journeygraph.escape.printable`)
and wraps the result in :class:`rich.text.Text`, so a name like ``[bold]`` prints as
written; :func:`render_text` draws renderables to a string. Every text output
(audit, matrix, actions, diff, whatif, discover) builds on these two.
"""

from __future__ import annotations

import io

from rich.console import Console, RenderableType
from rich.text import Text

from journeygraph.escape import printable
from journeygraph.severity import Severity

__all__ = ["SEVERITY_STYLE", "render_text", "safe"]

SEVERITY_STYLE = {
    Severity.HIGH: "bold red",
    Severity.MEDIUM: "yellow",
    Severity.LOW: "cyan",
    Severity.INFO: "dim",
}


def safe(text: object, style: str = "") -> Text:
    """User text for a terminal: never markup, every control character written out.

    Examples
    --------
    >>> safe("Sales \\x1b[2J").plain
    'Sales \\\\x1b[2J'
    """
    return Text(printable(text), style=style)


def render_text(*renderables: RenderableType, color: bool = False, width: int = 120) -> str:
    """Rich renderables as text, with terminal colours when ``color``; user text stays text.

    Examples
    --------
    >>> render_text(Text("[bold]x[/]"))
    '[bold]x[/]\\n'
    """
    out = io.StringIO()
    console = Console(
        file=out,
        force_terminal=color,
        no_color=not color,
        width=width,
        highlight=False,
        emoji=False,
        markup=False,
    )
    for renderable in renderables:
        console.print(renderable)
    return out.getvalue()
