"""``python -m journeygraph``."""

from journeygraph._start import main

main()
