"""DuckDB's engine, imported without the Python API on top of it where DuckDB allows.

``import duckdb`` (DuckDB 2) loads its C++ extension, ``_duckdb``, then a Python
API journeygraph does not use (relations, expressions, arrow sources, its version
read through ``importlib.metadata``): 0.15 s of CPU, against 0.03 s for the
extension alone, a tenth of ``discover`` on the BPI Challenge 2012-shaped XES log.
journeygraph uses only what the extension holds: ``connect``, a connection's
``execute`` and fetches, and the exception types (the same classes ``duckdb``
re-exports). DuckDB 1 has no such module: there the package is imported.

>>> duckdb.connect().execute("SELECT 42").fetchone()
(42,)
"""

from __future__ import annotations

import importlib.util

try:
    # The extension ships in DuckDB's wheel: it is there exactly when the package is
    # (found here, not imported), and a missing one names the extra to install.
    if importlib.util.find_spec("duckdb") is None:
        raise ModuleNotFoundError("No module named 'duckdb'", name="duckdb")
    try:
        import _duckdb as duckdb
    except ModuleNotFoundError:  # DuckDB 1: the extension is inside the package
        import duckdb  # type: ignore[no-redef]
except ModuleNotFoundError as _err:  # a library user reads which extra to install
    from journeygraph.extras import missing_extra

    raise (missing_extra(_err) or _err) from None

__all__ = ["duckdb"]
