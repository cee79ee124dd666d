"""The registry of the conformance checks (kept apart so check modules can import it)."""

from __future__ import annotations

from journeygraph.evidence.check import LogCheck
from journeygraph.rules.registry import Registry

__all__ = ["evidence_registry"]

evidence_registry: Registry[LogCheck] = Registry()
"""The conformance checks, in the order of the docs."""
