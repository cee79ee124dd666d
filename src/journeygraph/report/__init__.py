"""Output formats behind one interface, chosen by :class:`OutputFormat`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from journeygraph._lazy import lazy_attributes
from journeygraph.report.base import CAPABILITIES, Formatter, Output, OutputFormat, formats_for

if TYPE_CHECKING:
    from journeygraph.report.csv_format import CsvFormatter
    from journeygraph.report.json_format import JsonFormatter
    from journeygraph.report.markdown_format import MarkdownFormatter
    from journeygraph.report.sarif_format import SarifFormatter
    from journeygraph.report.text_format import TextFormatter

# Each formatter loads when it is first used: a command pays for its own format only.
_FORMATTERS = {
    "CsvFormatter": "journeygraph.report.csv_format",
    "JsonFormatter": "journeygraph.report.json_format",
    "MarkdownFormatter": "journeygraph.report.markdown_format",
    "SarifFormatter": "journeygraph.report.sarif_format",
    "TextFormatter": "journeygraph.report.text_format",
}


__getattr__ = lazy_attributes(__name__, _FORMATTERS)


__all__ = [
    "CAPABILITIES",
    "CsvFormatter",
    "Formatter",
    "JsonFormatter",
    "MarkdownFormatter",
    "Output",
    "OutputFormat",
    "SarifFormatter",
    "TextFormatter",
    "formats_for",
    "formatter",
]


def formatter(name: OutputFormat | str, *, color: bool = False, width: int = 120) -> Formatter:
    """The formatter for a format name.

    Examples
    --------
    >>> formatter("json").format.value
    'json'
    """
    chosen = OutputFormat(name)
    if chosen is OutputFormat.TEXT:
        from journeygraph.report.text_format import TextFormatter

        return TextFormatter(color=color, width=width)
    if chosen is OutputFormat.JSON:
        from journeygraph.report.json_format import JsonFormatter

        return JsonFormatter()
    if chosen is OutputFormat.SARIF:
        from journeygraph.report.sarif_format import SarifFormatter

        return SarifFormatter()
    if chosen is OutputFormat.MARKDOWN:
        from journeygraph.report.markdown_format import MarkdownFormatter

        return MarkdownFormatter()
    from journeygraph.report.csv_format import CsvFormatter

    return CsvFormatter()
