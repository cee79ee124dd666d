"""``python -m journeygraph``."""

from journeygraph._start import main

if __name__ == "__main__":  # not in the workshop's drawing processes, which import this module
    main()
