"""One map's report, slides and action plan as a file's bytes: what the workshop page downloads.

Made by the code the command line runs: the report through
:func:`~journeygraph.report.writer.write_report` (``journeygraph report``, with
``--pdf`` or ``--pptx``), the action plan through
:func:`plan_document` (``journeygraph actions -o plan.csv`` or ``plan.xlsx``).
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Final, Literal

from journeygraph.audit import AuditResult
from journeygraph.model import JourneyMap
from journeygraph.report.actions_format import plan_title

if TYPE_CHECKING:
    from journeygraph.actions import Action
    from journeygraph.evidence import Evidence
    from journeygraph.theme import Theme

__all__ = ["DOWNLOADS", "download", "download_name", "plan_document", "plan_title"]

DOWNLOADS: Final = {
    "report.html": "text/html; charset=utf-8",
    "report.pdf": "application/pdf",
    "slides.pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "actions.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "actions.csv": "text/csv; charset=utf-8",
}
"""The files a map can be downloaded as, by name, with their media types."""

_REPORT_FILES: Final = {"report.html": "report.html", "report.pdf": "report.pdf"}
_REPORT_FILES_PPTX: Final = "report.pptx"


def plan_document(
    m: JourneyMap,
    plan: Sequence[Action],
    output_format: Literal["csv", "xlsx"],
    *,
    theme: Theme | None = None,
) -> bytes:
    """The action plan ``plan`` of ``m`` as a CSV file (UTF-8) or a workbook for a tracker
    (in ``theme``'s fonts and severity colours, where its file sets them).

    Examples
    --------
    >>> import journeygraph
    >>> from journeygraph.actions import action_plan
    >>> from journeygraph.testing import tiny_map
    >>> m = tiny_map()
    >>> plan_document(m, action_plan(m, journeygraph.audit(m)), "csv").splitlines()[0][:25]
    b'priority,action,details,o'
    """
    if output_format == "xlsx":
        from journeygraph.report.actions_format import actions_xlsx

        return actions_xlsx(plan, title=plan_title(m), theme=theme)
    from journeygraph.report.csv_format import CsvFormatter

    return CsvFormatter().actions(plan).encode("utf-8")


def download(
    m: JourneyMap, result: AuditResult, name: str, *, evidence: Evidence | None = None
) -> bytes:
    """The file ``name`` (one of :data:`DOWNLOADS`) of ``m`` audited as ``result``, with
    what an event log says (``evidence``) when there is one.

    The report is written as ``journeygraph report`` writes it (the PDF printed by
    Chromium, :mod:`journeygraph.report.browser`), in a scratch folder that goes
    once it is read.

    Examples
    --------
    >>> import journeygraph
    >>> from journeygraph.testing import tiny_map
    >>> m = tiny_map()
    >>> download(m, journeygraph.audit(m), "report.html")[:15]
    b'<!DOCTYPE html>'
    """
    if name not in DOWNLOADS:
        raise ValueError(f"no download named {name!r}")
    if name.startswith("actions."):
        from journeygraph.actions import action_plan

        plan = action_plan(m, result, evidence)
        return plan_document(m, plan, "xlsx" if name.endswith(".xlsx") else "csv")
    from journeygraph.report.writer import write_report

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "report"
        write_report(
            [m],
            [result],
            folder,
            pdf=name == "report.pdf",
            pptx=name == "slides.pptx",
            evidence={m.id: evidence} if evidence is not None else None,
        )
        return (folder / _REPORT_FILES.get(name, _REPORT_FILES_PPTX)).read_bytes()


def download_name(journey_id: str, name: str) -> str:
    """The file name a download is saved as: the journey id, kept to letters, digits,
    ``.``, ``_`` and ``-`` (nothing a header or a file system reads otherwise), then ``name``.

    Examples
    --------
    >>> download_name("b2b-saas", "report.pdf")
    'b2b-saas-report.pdf'
    >>> download_name('../x"\\r\\nSet-Cookie: a', "actions.csv")
    'x-Set-Cookie-a-actions.csv'
    >>> download_name("..", "report.html")
    'journey-report.html'
    """
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", journey_id).strip(".-")[:80] or "journey"
    return f"{safe}-{name}"
