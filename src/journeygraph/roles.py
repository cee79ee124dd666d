"""The RACI roles: the one vocabulary the model, its integrity checks and the graph share.

A leaf module, so that :mod:`journeygraph.validation` and :mod:`journeygraph.graph`
need nothing of :mod:`journeygraph.model` at run time (only its types).
"""

from __future__ import annotations

from typing import Final, Literal

__all__ = ["ROLES", "ROLE_FIELDS", "Role"]

Role = Literal["R", "A", "C", "I"]
"""Responsible, Accountable, Consulted, Informed."""
ROLES: Final[tuple[Role, ...]] = ("R", "A", "C", "I")
"""The roles, in RACI order."""
ROLE_FIELDS: Final[dict[Role, str]] = {
    "R": "responsible",
    "A": "accountable",
    "C": "consulted",
    "I": "informed",
}
"""The field of ``Owners`` that lists the functions holding each role."""
