"""User text inside diagrams: always text, never DOT escapes or markup.

Everything a map's author wrote reaches Graphviz through :func:`plain` (for
ordinary labels and tooltips) or :func:`html` (inside HTML-like labels), which
also write control characters out (``\x1b``; XML cannot hold them) and cut a
name longer than :data:`~journeygraph.escape.LABEL_LIMIT` with an ellipsis.
"""

from __future__ import annotations

import hashlib
import html as _html
import textwrap

import graphviz

from journeygraph.escape import printable, shorten

__all__ = ["element_id", "html", "plain", "wrap"]


def wrap(text: str, width: int = 24) -> str:
    """``text`` broken into lines of about ``width`` characters, keeping its own breaks.

    Examples
    --------
    >>> wrap("Order processing and provisioning", 16)
    'Order processing\\nand provisioning'
    """
    lines = str(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(
        "\n".join(textwrap.wrap(line, width, break_long_words=True) or [""]) for line in lines
    )


def plain(text: str) -> graphviz.quoting.NoHtml:
    """A label or tooltip that Graphviz shows exactly as written.

        Backslashes are doubled (so ``\\N`` or ``\\l`` stay text), line breaks become
        Graphviz's centred breaks, and the result is never read as an HTML label,
        even when it starts with ``<`` and ends with ``>``.

        Examples
        --------
        >>> import graphviz

    from journeygraph.escape import printable, shorten
        >>> g = graphviz.Digraph()
        >>> g.node("a", plain('<b>"x"</b> \\\\N'))
        >>> print(g.source.splitlines()[1].strip())
        a [label="<b>\\"x\\"</b> \\\\N"]
    """
    text = shorten(printable(text)).replace("\\", "\\\\")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    return graphviz.nohtml(text)


def html(text: str) -> str:
    """Text for inside an HTML-like label: markup characters escaped.

    Never empty: Graphviz rejects an element with nothing in it (``<b></b>``),
    so an empty name becomes a non-breaking space.

    Examples
    --------
    >>> html('<script>"x" & y</script>\\nz')
    '&lt;script&gt;"x" &amp; y&lt;/script&gt;<br/>z'
    >>> html("")
    '&#160;'
    """
    escaped = _html.escape(shorten(printable(text)), quote=False)
    escaped = escaped.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br/>")
    return escaped or "&#160;"


def element_id(kind: str, key: str) -> str:
    """The SVG element id of the ``kind`` entity with id ``key``: ``touchpoint-demo``.

    An id is drawn as it is written, control characters written out; one
    longer than 100 characters is cut and given a hash of itself, so that ids
    stay apart and under Graphviz's limit on a quoted string.

    Examples
    --------
    >>> element_id("touchpoint", "demo")
    'touchpoint-demo'
    >>> len(element_id("touchpoint", "x" * 20_000))
    120
    """
    shown = printable(key)
    if len(shown) > 100:
        shown = shown[:100] + "-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:8]
    return f"{kind}-{shown}"
