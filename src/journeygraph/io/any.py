"""Reading a map from whichever form it is kept in."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Final

from journeygraph.escape import shown
from journeygraph.exceptions import JourneyGraphError, MapError, Problem
from journeygraph.io.files import atomic_write, check_output
from journeygraph.model import JourneyMap

if TYPE_CHECKING:
    from journeygraph.audit import AuditResult

__all__ = [
    "MAP_FORMATS",
    "MERMAID",
    "check_map_target",
    "is_csv_map",
    "load_any",
    "map_files",
    "refuse_unless_file",
    "save_any",
]

_MAP_SUFFIXES = (".yaml", ".yml", ".xlsx")
MAP_FORMATS: Final = (".yaml", ".yml", ".xlsx", ".graphml", ".gexf", ".mmd", ".mermaid")
"""The suffixes :func:`save_any` writes; no suffix is a folder of CSV files."""
MERMAID: Final = (".mmd", ".mermaid")
_WRITTEN_ONLY = (".gexf", ".mmd", ".mermaid", ".svg", ".png", ".pdf", ".dot", ".sarif", ".html")
_READ_FORMS = "the map as YAML, an .xlsx workbook, a folder of CSV files or .graphml"


def is_csv_map(path: Path) -> bool:
    """Whether ``path`` is a folder holding a map as CSV files (not a folder of maps)."""
    return path.is_dir() and (path / "touchpoints.csv").exists()


def refuse_unless_file(path: Path, where: str) -> None:
    """Refuse what journeygraph found in a folder and would read, unless it is a regular file.

    A pipe would make the read wait for ever, a folder fail with the system's
    words; a file named on the command line may be a pipe (``<(cat map.yaml)``).
    """
    if path.is_file():
        return
    what = "a folder" if path.is_dir() else "a pipe, socket or device" if path.exists() else None
    if what is None:
        raise JourneyGraphError(f"{shown(path)} ({where}) cannot be read: a link to nothing")
    raise JourneyGraphError(
        f"{shown(path)} ({where}) is {what}, not a file; move it out of the folder or rename it"
    )


def map_files(paths: Iterable[Path]) -> Iterator[Path]:
    """The maps that ``paths`` name: files and CSV map folders as given, folders of maps opened.

    A folder that holds both a CSV map and map files is refused: reading it
    either way would leave out what the other way reads.
    """
    for path in paths:
        if not path.is_dir():
            yield path
            continue
        found = sorted(p for p in path.iterdir() if p.suffix.lower() in _MAP_SUFFIXES)
        for p in found:
            refuse_unless_file(p, "in a folder of maps")
        if is_csv_map(path):
            if found:
                raise JourneyGraphError(
                    f"{path} holds a CSV map (touchpoints.csv) and map files too "
                    f"({', '.join(p.name for p in found[:3])}); keep them in separate folders"
                )
            yield path
            continue
        if not found:
            raise JourneyGraphError(f"{path}: no .yaml or .xlsx maps in this folder")
        yield from found


def load_any(path: str | Path) -> JourneyMap:
    """A map from YAML, an ``.xlsx`` workbook, a folder of CSV files, or GraphML.

    Examples
    --------
    >>> load_any("examples/b2b-saas.yaml").id
    'b2b-saas'
    """
    # Each reader loads when its format is read (GraphML needs networkx, workbooks openpyxl).
    from journeygraph.io.load import load

    file = Path(path)
    suffix = file.suffix.lower()
    if is_csv_map(file):
        from journeygraph.io.workbook import read_csv_folder

        return read_csv_folder(file)
    if suffix == ".xlsx":
        from journeygraph.io.workbook import read_workbook

        return read_workbook(file)
    if suffix == ".graphml":
        from journeygraph.io.graphml import read_graphml

        return read_graphml(file)
    if file.is_dir():
        raise MapError(
            [Problem(f"{file}: a folder, but not of CSV map files (no touchpoints.csv)")]
        )
    if suffix in _WRITTEN_ONLY:
        raise MapError(
            [
                Problem(
                    f"{file}: {suffix} is a format journeygraph writes for other tools but "
                    f"does not read; give {_READ_FORMS}"
                )
            ]
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


def check_map_target(
    output: Path, *, inputs: Iterable[Path | None] = (), force: bool = False
) -> None:
    """Refuse a target whose suffix names no format :func:`save_any` writes, or that is not free.

    Examples
    --------
    >>> check_map_target(Path("out/map.json"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    journeygraph.exceptions.JourneyGraphError: out/map.json: unknown map format '.json'; ...
    """
    suffix = output.suffix.lower()
    if suffix and suffix not in MAP_FORMATS:
        raise JourneyGraphError(
            f"{output}: unknown map format {suffix!r}; use one of {', '.join(MAP_FORMATS)}, "
            "or no suffix for a folder of CSV files"
        )
    check_output(output, inputs=inputs, force=force, folder=not suffix)


def save_any(m: JourneyMap, path: str | Path, *, result: AuditResult | None = None) -> Path:
    """Write ``m`` in the format the suffix of ``path`` names (see :data:`MAP_FORMATS`).

    ``result`` (the map's audit) marks findings on a Mermaid flowchart.
    Every format is written atomically.
    """
    from journeygraph.io.graphml import write_gexf, write_graphml
    from journeygraph.io.mermaid import mermaid_flowchart
    from journeygraph.io.workbook import write_csv_folder, write_workbook
    from journeygraph.io.write import save_map

    output = Path(path)
    suffix = output.suffix.lower()
    if not suffix:
        return write_csv_folder(m, output)
    if suffix == ".xlsx":
        return write_workbook(m, output)
    if suffix == ".graphml":
        return write_graphml(m, output)
    if suffix == ".gexf":
        return write_gexf(m, output)
    if suffix in MERMAID:
        return atomic_write(output, mermaid_flowchart(m, result))
    return save_map(m, output)
