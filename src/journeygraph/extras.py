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
import os
import sys

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

    The one way openpyxl is imported: every function that imports it calls
    ``optional("openpyxl")`` first (a test checks), so that its XML writer is
    chosen before its first import (:func:`_choose_openpyxl_writer`).

    Raises
    ------
    MissingExtraError
        When the library is not installed; its message names the extra.

    Examples
    --------
    >>> optional("openpyxl.utils").__name__
    'openpyxl.utils'
    """
    if module.partition(".")[0] == "openpyxl":
        _choose_openpyxl_writer()
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as err:
        top = module.partition(".")[0]
        if top in EXTRAS and err.name is not None and err.name.partition(".")[0] in EXTRAS:
            raise MissingExtraError(top) from None
        raise


def _choose_openpyxl_writer() -> None:
    """Have openpyxl write through ElementTree in every process, unless the environment
    says otherwise (``OPENPYXL_LXML=True``, openpyxl's own switch).

    openpyxl chooses its XML writer once, when it is first imported: lxml's when
    lxml is installed (the ``logs`` extra installs it for XES logs) and the
    environment does not say ``OPENPYXL_LXML=False``, else the standard library's
    ElementTree. The two write the same workbook in different bytes (``<a/>`` and
    ``<a />``, namespaces declared in other places). Set here, before the first
    import, the choice is the same in every process, whichever module imports
    openpyxl first, and whatever is installed: the ``xlsx`` extra alone has no lxml.
    ElementTree also fails cleanly on a full disk, where lxml's writer left a
    traceback on stderr. (It was set when ``journeygraph.io.workbook`` was
    imported, so a process that wrote an action plan first wrote through lxml, and
    the order the test suite imported its modules in decided what CI's tests saw.)
    A program that imported openpyxl before journeygraph keeps the writer it got.
    """
    if "openpyxl" not in sys.modules:
        os.environ.setdefault("OPENPYXL_LXML", "False")
