"""``python -m journeygraph``."""

from journeygraph.cli import main

main()
