"""The optional parts of journeygraph, and the one message for a missing one.

``pip install journeygraph`` installs the core: the map, the audit, the command
line and the DOT output. Event logs, Neo4j, the report, workbooks, the workshop
server and Spark each need libraries of their own, installed with an extra
(``pip install 'journeygraph[logs]'``, or ``[all]`` for every one). Every import
of one of those libraries either goes through :func:`optional`, or, when it is
a plain ``import`` statement, has its ``ModuleNotFoundError`` read by
:func:`missing_extra` at the command line's edge: either way the user reads
which extra to install, exit code 2, and no traceback.
"""

from __future__ import annotations

import importlib

from journeygraph.exceptions import JourneyGraphError

# Only for type checkers: importing typing would cost every command's start-up.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import ModuleType

__all__ = ["EXTRAS", "MissingExtraError", "install_line", "missing_extra", "optional"]

EXTRAS: dict[str, tuple[str, str]] = {
    # top-level import name: (extra, the distribution pip installs)
    "duckdb": ("logs", "duckdb"),
    "lxml": ("logs", "lxml"),
    "numpy": ("logs", "numpy"),
    "neo4j": ("neo4j", "neo4j"),
    "jinja2": ("report", "Jinja2"),
    "markupsafe": ("report", "MarkupSafe"),
    "matplotlib": ("report", "matplotlib"),
    "pptx": ("report", "python-pptx"),
    "pypdf": ("report", "pypdf"),
    "PIL": ("report", "Pillow"),
    "openpyxl": ("xlsx", "openpyxl"),
    "starlette": ("serve", "starlette"),
    "uvicorn": ("serve", "uvicorn"),
    "pyspark": ("spark", "pyspark"),
}
"""Each optional library, by the name it is imported as: its extra and its package.

Examples
--------
>>> EXTRAS["duckdb"]
('logs', 'duckdb')
"""


def install_line(extra: str) -> str:
    """The command that installs ``extra``, quoted for every shell.

    Examples
    --------
    >>> install_line("logs")
    "pip install 'journeygraph[logs]'"
    """
    return f"pip install 'journeygraph[{extra}]'"


class MissingExtraError(JourneyGraphError):
    """A library of an extra is not installed; the message says what to install.

    Examples
    --------
    >>> print(MissingExtraError("openpyxl"))
    this needs openpyxl, which is not installed: pip install 'journeygraph[xlsx]' installs it
    """

    def __init__(self, module: str) -> None:
        extra, package = EXTRAS[module]
        self.module = module
        self.extra = extra
        super().__init__(
            f"this needs {package}, which is not installed: {install_line(extra)} installs it"
        )


def missing_extra(err: BaseException) -> MissingExtraError | None:
    """The missing extra behind ``err``, or None when ``err`` is about another module.

    Examples
    --------
    >>> print(missing_extra(ModuleNotFoundError("No module named 'duckdb'", name="duckdb")))
    this needs duckdb, which is not installed: pip install 'journeygraph[logs]' installs it
    >>> missing_extra(ModuleNotFoundError("No module named 'nowhere'", name="nowhere")) is None
    True
    """
    if not isinstance(err, ModuleNotFoundError) or not err.name:
        return None
    top = err.name.partition(".")[0]
    return MissingExtraError(top) if top in EXTRAS else None


def optional(module: str) -> ModuleType:
    """Import ``module``, a library of an extra (or one of its submodules).

    Raises
    ------
    MissingExtraError
        When the library is not installed; its message names the extra.

    Examples
    --------
    >>> optional("openpyxl.utils").__name__
    'openpyxl.utils'
    """
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as err:
        top = module.partition(".")[0]
        if top in EXTRAS and err.name is not None and err.name.partition(".")[0] in EXTRAS:
            raise MissingExtraError(top) from None
        raise
