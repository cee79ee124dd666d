"""Reading a theme file (``--theme theme.yaml``) with every problem at its line."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from journeygraph.exceptions import MapError, Problem
from journeygraph.io.load import read_text, validation_problem
from journeygraph.io.yaml import parse_yaml
from journeygraph.theme import Theme

__all__ = ["LOGO_SUFFIXES", "load_theme"]

LOGO_SUFFIXES = (".png", ".jpg", ".jpeg", ".svg")
"""The kinds of logo every output can show."""


def load_theme(path: str | Path) -> Theme:
    """The theme in the YAML file at ``path``, its logo's path made relative to the file.

    Raises `journeygraph.exceptions.MapError` with ``file:line:col`` for each problem: an
    unknown key, a colour not written ``#rrggbb``, a logo that is missing or of a kind
    no output shows.

    Examples
    --------
    >>> import tempfile, os
    >>> with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
    ...     _ = f.write("severity:\\n  high: '#AA0000'\\n")
    >>> load_theme(f.name).severity.high
    '#aa0000'
    >>> os.unlink(f.name)
    """
    file = str(path)
    data, source = parse_yaml(read_text(path), file)
    if data is None:
        return Theme()
    if not isinstance(data, dict):
        raise MapError(
            [
                Problem(
                    "a theme must be a mapping of keys (severity, raci, fonts, logo, cover) "
                    "to values; see docs/theme.md",
                    source.locate(()),
                )
            ]
        )
    try:
        theme = Theme.model_validate(data)
    except ValidationError as err:
        raise MapError(validation_problem(e, data, source, Theme) for e in err.errors()) from None
    if theme.logo is None:
        return theme
    logo = Path(path).parent / theme.logo
    where = source.locate(("logo",))
    if logo.suffix.lower() not in LOGO_SUFFIXES:
        raise MapError(
            [Problem(f"'logo' must be a .png, .jpg or .svg file, not {theme.logo}", where)]
        )
    if not logo.is_file():
        raise MapError(
            [
                Problem(
                    f"'logo': no such file {logo}; the path is read from the theme file's folder",
                    where,
                )
            ]
        )
    return theme.model_copy(update={"logo": logo})
