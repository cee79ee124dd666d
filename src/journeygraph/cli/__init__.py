"""The ``journeygraph`` command line: thin commands over the library."""

from journeygraph.cli import evidence as _evidence  # noqa: F401  (registers `discover`)
from journeygraph.cli import neo4j as _neo4j  # noqa: F401  (registers `journeygraph neo4j`)
from journeygraph.cli import scenario as _scenario  # noqa: F401  (registers `scenario`)
from journeygraph.cli.app import ExitCode, app, main

__all__ = ["ExitCode", "app", "main"]
