"""Starter maps for ``journeygraph init``: a generic one and one per industry.

Each is a commented YAML map that audits without findings, written with the
file name the user chose in its comments.

Examples
--------
>>> import journeygraph
>>> text = starter("banking", "mortgage.yaml")
>>> "journeygraph audit mortgage.yaml" in text
True
>>> journeygraph.loads(text, "mortgage.yaml").personas[0].id
'first-time-buyer'
"""

from __future__ import annotations

from importlib import resources
from typing import Final

__all__ = ["INDUSTRIES", "starter"]

INDUSTRIES: Final = ("b2b-saas", "retail", "healthcare", "banking", "telecom", "insurance")
"""The industries with a starter of their own."""


def starter(industry: str | None, file: str) -> str:
    """The starter map for ``industry`` (``None``: the generic one), naming ``file``."""
    if industry is not None and industry not in INDUSTRIES:
        raise ValueError(f"no starter for {industry!r}; choose one of {', '.join(INDUSTRIES)}")
    name = f"{industry or 'generic'}.yaml"
    text = resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
    # The comments name the file: `str.replace`, since a map holds braces of its own.
    return text.replace("{file}", file)
