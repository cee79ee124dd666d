"""Reading a map from whichever form it is kept in."""

from __future__ import annotations

from pathlib import Path

from journeygraph.exceptions import MapError, Problem
from journeygraph.model import JourneyMap

__all__ = ["is_csv_map", "load_any"]


def is_csv_map(path: Path) -> bool:
    """Whether ``path`` is a folder holding a map as CSV files (not a folder of maps)."""
    return path.is_dir() and (path / "touchpoints.csv").exists()


def load_any(path: str | Path) -> JourneyMap:
    """A map from YAML, an ``.xlsx`` workbook, a folder of CSV files, or GraphML.

    Examples
    --------
    >>> load_any("examples/b2b-saas.yaml").id
    'b2b-saas'
    """
    from journeygraph.io.graphml import read_graphml
    from journeygraph.io.load import load
    from journeygraph.io.workbook import read_csv_folder, read_workbook

    file = Path(path)
    suffix = file.suffix.lower()
    if is_csv_map(file):
        return read_csv_folder(file)
    if suffix == ".xlsx":
        return read_workbook(file)
    if suffix == ".graphml":
        return read_graphml(file)
    if file.is_dir():
        raise MapError(
            [Problem(f"{file}: a folder, but not of CSV map files (no touchpoints.csv)")]
        )
    if suffix == ".csv":
        raise MapError(
            [
                Problem(
                    f"{file}: a map in CSV is a folder of files (stages.csv, "
                    "touchpoints.csv, ...); give the folder"
                )
            ]
        )
    return load(file)
