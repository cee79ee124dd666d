"""The version of journeygraph: written here once (``pyproject.toml`` reads it)."""

__version__ = "0.2.0"
