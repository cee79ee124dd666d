"""The report's words for a client: rules by name, not id; no markup from the docs.

The rules' texts are written for analysts and the docs (ids, config keys in
backticks); the report's body shows them through these, the method and the
configuration being where ids and keys belong.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["client_words", "joined", "rule_title"]

_CODE = re.compile(r"`+([^`]*)`+")


def rule_title(rule_id: str) -> str:
    """A rule's name in words.

    Examples
    --------
    >>> rule_title("handoff-without-sla")
    'Handoff without SLA'
    """
    words = rule_id.replace("-", " ").replace("_", " ")
    words = re.sub(r"\bsla\b", "SLA", words)
    return words[:1].upper() + words[1:]


def client_words(text: str) -> str:
    """``text`` without code markup: a key in backticks becomes its words.

    Examples
    --------
    >>> client_words("Customers who come back (`rework_share`) to `next` steps.")
    'Customers who come back (rework share) to next steps.'
    """
    return _CODE.sub(lambda m: m.group(1).replace("_", " "), text)


def joined(parts: Iterable[str]) -> str:
    """Phrases joined by semicolons, none ending in a full stop before one.

    Examples
    --------
    >>> joined(["Call customers back.", "Send the form"])
    'Call customers back; Send the form'
    """
    return "; ".join(p.rstrip().rstrip(".") for p in parts)
