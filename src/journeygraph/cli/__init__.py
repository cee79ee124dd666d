"""The ``journeygraph`` command line: thin commands over the library."""

from journeygraph.cli.app import ExitCode, app, main

__all__ = ["ExitCode", "app", "main"]
