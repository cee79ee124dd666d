"""Output formats behind one interface, chosen by :class:`OutputFormat`."""

from journeygraph.report.base import Formatter, OutputFormat
from journeygraph.report.csv_format import CsvFormatter
from journeygraph.report.json_format import JsonFormatter
from journeygraph.report.sarif_format import SarifFormatter
from journeygraph.report.text_format import TextFormatter

__all__ = [
    "CsvFormatter",
    "Formatter",
    "JsonFormatter",
    "OutputFormat",
    "SarifFormatter",
    "TextFormatter",
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
        return TextFormatter(color=color, width=width)
    if chosen is OutputFormat.JSON:
        return JsonFormatter()
    if chosen is OutputFormat.SARIF:
        return SarifFormatter()
    return CsvFormatter()
