"""Small maps with known answers, for doctests and for users' own tests."""

from __future__ import annotations

import networkx as nx

from journeygraph.model import JourneyMap

__all__ = ["tiny_graph", "tiny_map"]


def tiny_map() -> JourneyMap:
    """A two-stage, two-touchpoint map with one change of hands.

    Examples
    --------
    >>> [t.id for t in tiny_map().touchpoints]
    ['ad', 'shop']
    """
    return JourneyMap.model_validate(
        {
            "version": 1,
            "journey": {"id": "tiny", "name": "Tiny"},
            "stages": [{"id": "first"}, {"id": "last"}],
            "functions": [{"id": "marketing"}, {"id": "sales"}],
            "touchpoints": [
                {"id": "ad", "stage": "first", "next": ["shop"], "owners": {"R": "marketing"}},
                {
                    "id": "shop",
                    "stage": "last",
                    "exit": True,
                    "owners": {"R": "sales", "A": "sales", "I": "marketing"},
                },
            ],
        }
    )


def tiny_graph() -> nx.MultiDiGraph:
    """The graph of :func:`tiny_map`."""
    return tiny_map().to_networkx()
