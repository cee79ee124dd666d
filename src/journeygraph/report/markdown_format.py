"""Markdown, for a pull-request comment: the diff of two maps.

The client-ready Markdown report is `journeygraph.report.markdown_report`'s; this
formatter writes the command outputs that read well in a review.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from journeygraph.report.base import Formatter, OutputFormat

if TYPE_CHECKING:
    from collections.abc import Sequence

    from journeygraph.actions import Action
    from journeygraph.diff import MapDiff
    from journeygraph.whatif import Suggestion, ToBe

__all__ = ["MarkdownFormatter"]


class MarkdownFormatter(Formatter):
    """Writes diffs as Markdown.

    Examples
    --------
    >>> from journeygraph.diff import diff_maps
    >>> from journeygraph.testing import tiny_map
    >>> MarkdownFormatter().diff(diff_maps(tiny_map(), tiny_map())).splitlines()[0]
    '## Journey map changes: Tiny'
    """

    format = OutputFormat.MARKDOWN

    def diff(self, d: MapDiff) -> str:
        from journeygraph.report.diff_format import diff_markdown

        return diff_markdown(d)

    def actions(self, plan: Sequence[Action]) -> str:
        from journeygraph.report.actions_format import actions_markdown

        return actions_markdown(plan)

    def to_be(self, side: ToBe) -> str:
        from journeygraph.report.to_be_format import to_be_markdown

        return to_be_markdown(side)

    def suggestions(self, found: Sequence[Suggestion], *, plan: bool = False) -> str:
        from journeygraph.report.to_be_format import suggestions_markdown

        return suggestions_markdown(found, plan=plan)
