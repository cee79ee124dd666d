"""Writing the report's folder: HTML, Markdown with its SVGs, the PDF and the slides."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from journeygraph.audit import AuditResult
from journeygraph.extras import optional
from journeygraph.io.files import output_folder
from journeygraph.model import AuditConfig, JourneyMap
from journeygraph.report.html_report import html_report
from journeygraph.report.markdown_report import markdown_report
from journeygraph.report.view import Report, build_report, file_stems

if TYPE_CHECKING:
    import networkx as nx

    from journeygraph.algorithms.facts import GraphFacts
    from journeygraph.evidence import Evidence
    from journeygraph.theme import Theme
    from journeygraph.whatif import ToBe

__all__ = ["write_report"]


def shown_name(path: Path | None) -> str:
    """A file's name as messages show it (on one line, controls written out)."""
    from journeygraph.escape import shown

    return shown(path) if path is not None else "the template"


def write_report(
    maps: Sequence[JourneyMap],
    results: Sequence[AuditResult],
    out_dir: str | Path,
    *,
    pdf: bool = False,
    pptx: bool = False,
    before: Mapping[str, JourneyMap] | None = None,
    evidence: Mapping[str, Evidence] | None = None,
    cover: Mapping[str, str | None] | None = None,
    owners: Literal["function", "department"] = "function",
    to_be: Mapping[str, ToBe] | None = None,
    pptx_template: Path | None = None,
    full: bool = False,
    theme: Theme | None = None,
    config: AuditConfig | None = None,
    graphs: Sequence[nx.MultiDiGraph] | None = None,
    facts: Sequence[GraphFacts] | None = None,
) -> list[Path]:
    """Write ``report.html``, ``report.md`` with its SVGs, and optionally ``report.pdf``
    and ``report.pptx`` (slides, on ``pptx_template``'s masters when given).

    ``full`` writes the long form, every part of a journey in turn; otherwise a body
    an executive reads and an appendix with the rest (`journeygraph.report.view.Report`).
    ``theme`` (`journeygraph.theme.Theme`) sets the colours, fonts, logo and cover text of
    every file; ``cover`` (the command line's) wins over its title and logo.
    ``config`` is the audit configuration laid over each map's own, for the method
    appendix. ``graphs`` are the maps' graphs when the caller has built them (the audit's),
    and ``facts`` their derived views (`journeygraph.algorithms.facts.GraphFacts`) when
    the audit read them too.
    """
    # Before any work: an extra that is not installed is named at once.
    if pdf:
        optional("pypdf")
    if pptx:
        optional("pptx")
    from journeygraph.render.style import themed

    with themed(theme):
        return _write(
            maps,
            results,
            Path(out_dir),
            pdf=pdf,
            pptx=pptx,
            before=before,
            evidence=evidence,
            cover=cover,
            owners=owners,
            to_be=to_be,
            pptx_template=pptx_template,
            full=full,
            theme=theme,
            config=config,
            graphs=graphs,
            facts=facts,
        )


def _write(
    maps: Sequence[JourneyMap],
    results: Sequence[AuditResult],
    target: Path,
    *,
    pdf: bool,
    pptx: bool,
    before: Mapping[str, JourneyMap] | None,
    evidence: Mapping[str, Evidence] | None,
    cover: Mapping[str, str | None] | None,
    owners: Literal["function", "department"],
    to_be: Mapping[str, ToBe] | None,
    pptx_template: Path | None,
    full: bool,
    theme: Theme | None,
    config: AuditConfig | None,
    graphs: Sequence[nx.MultiDiGraph] | None,
    facts: Sequence[GraphFacts] | None,
) -> list[Path]:
    template = _template(pptx_template)
    report = build_report(
        maps,
        results,
        before=before,
        evidence=evidence,
        owners=owners,
        to_be=to_be,
        full=full,
        config=config,
        graphs=graphs,
        facts=facts,
    )
    given = _with_theme(dict(cover or {}), theme)
    report.cover_text = given.get("text")
    if given.get("title"):
        report.title = str(given["title"])
    report.client, report.author, report.logo = (
        given.get("client"),
        given.get("author"),
        given.get("logo"),
    )
    if given.get("date"):
        report.generated = str(given["date"])
    # Built beside the target and moved in whole: a failure leaves the old report.
    with output_folder(target) as folder:
        names = _drawings(report, folder)
        (folder / "report.html").write_text(html_report(report), encoding="utf-8")
        (folder / "report.md").write_text(markdown_report(report), encoding="utf-8")
        names += ["report.html", "report.md"]
        if pdf:
            _print(report, folder)
            names.append("report.pdf")
        if pptx:
            from journeygraph.report.slides import slides

            deck = slides(
                report,
                maps,
                template=template,
                template_name=shown_name(pptx_template),
                theme=theme,
            )
            (folder / "report.pptx").write_bytes(deck)
            names.append("report.pptx")
    return [target / name for name in names]


def _print(report: Report, folder: Path) -> None:
    """``report.pdf`` in ``folder``, printed from the report's page for print (`html_report`
    with ``printing``), in a scratch folder that goes when it is printed."""
    import tempfile

    from journeygraph.io.files import atomic_write
    from journeygraph.report.browser import anchor_pages, print_pdf

    with tempfile.TemporaryDirectory() as scratch:
        page = atomic_write(Path(scratch) / "report.html", html_report(report, printing=True))
        print_pdf(page, folder / "report.pdf")
        # Printed twice: the first print says where each part lands, the
        # second puts those pages in the contents (of the HTML report too).
        report.pages = anchor_pages(folder / "report.pdf")
        if report.pages:
            (folder / "report.html").write_text(html_report(report), encoding="utf-8")
            atomic_write(page, html_report(report, printing=True))
            print_pdf(page, folder / "report.pdf")


def _template(pptx_template: Path | None) -> bytes | None:
    """The slide template's bytes, read before any work (None without one)."""
    if pptx_template is None:
        return None
    from journeygraph.escape import shown
    from journeygraph.exceptions import JourneyGraphError

    try:
        return pptx_template.read_bytes()
    except OSError as err:
        raise JourneyGraphError(
            f"{shown(pptx_template)}: cannot read the slide template ({err.strerror})"
        ) from None


def _with_theme(cover: dict[str, str | None], theme: Theme | None) -> dict[str, str | None]:
    """The cover's title, logo and text: the command line's, else the theme's."""
    if theme is None:
        return cover
    from journeygraph.report.html_report import logo_uri

    if not cover.get("title"):
        cover["title"] = theme.cover.title
    if theme.logo is not None:
        uri = logo_uri(theme.logo)  # read and checked, for the slides too
        cover["logo"] = cover.get("logo") or uri
    cover["text"] = theme.cover.text
    return cover


def _drawings(report: Report, folder: Path) -> list[str]:
    """Write each journey's drawings as SVG files in ``folder`` (for the Markdown); their
    names."""
    from journeygraph.render.journey_canvas import canvas_document

    names = []
    stems = file_stems([j.card.journey for j in report.journeys])
    for j, stem in zip(report.journeys, stems, strict=True):
        files = [(d.view, d.svg) for d in j.diagrams]
        files += [(f"{d.view}-key", d.key) for d in j.diagrams if d.key is not None]
        if j.canvas and not report.full:
            files.append(("canvas", canvas_document(j.canvas)))
        if j.emotion:
            files.append(("emotion", j.emotion))
        for view, svg in files:
            names.append(f"{stem}-{view}.svg")
            (folder / names[-1]).write_text(svg, encoding="utf-8")
    return names
