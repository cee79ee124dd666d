"""Who does the work, handovers of work, paths and times: the map's log names, the work
view, the report's sections and the tables, on small logs worked out by hand."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from journeygraph.cli import ExitCode, app
from journeygraph.evidence import compare, discover, read_log
from journeygraph.evidence.reading.names import names_of, read_names
from journeygraph.exceptions import LogError
from journeygraph.io.load import load
from tests.conftest import EXAMPLES

MAP = """\
version: 1
journey: {id: shop, name: Shop}
stages: [{id: find, name: Find}, {id: buy, name: Buy}, {id: keep, name: Keep}]
functions:
  - {id: web, name: Web team, log_performers: [Ana]}
  - {id: desk, name: Sales desk, log_performers: [Bo]}
touchpoints:
  - {id: ad, name: Advert, stage: find, entry: true, log_names: [AD SEEN], next: [cart],
     owners: {R: web}}
  - {id: cart, name: Basket, stage: buy, next: [pay], owners: {R: web}}
  - {id: pay, name: Payment, stage: buy, exit: true, next: [club], owners: {R: desk}}
  - {id: club, name: Loyalty club, stage: keep, exit: true, owners: {R: desk}}
"""
# c1 follows the map to the end; c2 starts off the map and stops at the basket;
# c3 goes ad -> pay, a step the map lacks, performed by someone no function lists.
LOG = """\
case_id,touchpoint,timestamp,who
c1,AD SEEN,0,Ana
c1,cart,100,Ana
c1,pay,400,Bo
c1,club,1000,Bo
c2,cart,0,Ana
c3,AD SEEN,0,Ana
c3,pay,50,Zed
"""


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    (tmp_path / "shop.yaml").write_text(MAP, encoding="utf-8")
    (tmp_path / "log.csv").write_text(LOG, encoding="utf-8")
    return tmp_path / "shop.yaml", tmp_path / "log.csv"


def _evidence(files: tuple[Path, Path]):  # type: ignore[no-untyped-def]
    m = load(files[0])
    names = names_of(m)
    from journeygraph.evidence import Columns

    log = read_log(
        files[1],
        columns=Columns(performer="who"),
        names=names.touchpoints,
        performers=names.performers,
    )
    return compare(m, discover(log))


def test_paths_and_times_worked_out_by_hand(files: tuple[Path, Path]) -> None:
    ev = _evidence(files)
    flow = ev.flow
    assert [(v.path, v.customers) for v in flow.variants] == [
        (("ad", "cart", "pay", "club"), 1),
        (("ad", "pay"), 1),
        (("cart",), 1),
    ]
    assert flow.distinct_variants == 3
    # Spans 1000, 0 and 50 s: median 50, p90 between 50 and 1000 (0.8 of the way).
    assert flow.end_to_end.median_seconds == 50
    assert flow.end_to_end.p90_seconds == pytest.approx(50 + 0.8 * 950)
    fit = ev.journey.fitness
    assert (fit.fitting, fit.not_from_entry, fit.off_map, fit.not_at_exit) == (1, 1, 1, 1)
    assert fit.share == pytest.approx(1 / 3, abs=1e-4)
    # Find: c1 100 s (ad -> cart), c3 50 s (ad -> pay). Buy: c1 100 -> 1000 = 900,
    # c2 0 (its last event), c3 0 (its last). Keep: c1 0.
    times = {s.stage: (s.customers, s.median_seconds) for s in ev.journey.stages}
    assert times == {"find": (2, 75.0), "buy": (3, 0.0), "keep": (1, 0.0)}
    conversion = {
        (c.from_stage, c.to_stage): (c.reached, c.converted) for c in ev.journey.conversion
    }
    assert conversion == {("find", "buy"): (2, 2), ("buy", "keep"): (3, 1)}


def test_who_does_the_work_and_who_hands_it_on(files: tuple[Path, Path]) -> None:
    ev = _evidence(files)
    performed = {p.touchpoint: (p.events, p.by_responsible) for p in ev.performed}
    assert performed == {"ad": (2, 2), "cart": (2, 2), "pay": (2, 1), "club": (1, 1)}
    work = {(w.giver, w.taker): (w.customers, w.steps, w.status) for w in ev.handoffs.work}
    assert work == {("web", "desk"): (1, 1, "undeclared"), ("web", "Zed"): (1, 1, "unmapped")}
    rules = {(f.rule, f.entities) for f in ev.conformance.findings}
    assert ("undeclared-handover", ("web", "desk")) in rules
    assert ("unmapped-performer", ("Zed",)) in rules


def test_a_log_name_stands_for_one_touchpoint(tmp_path: Path) -> None:
    text = MAP.replace("log_names: [AD SEEN]", "log_names: [AD SEEN, AD SEEN]").replace(
        "{id: cart, name: Basket,", "{id: cart, name: Basket, log_names: [AD SEEN],"
    )
    path = tmp_path / "twice.yaml"
    path.write_text(text, encoding="utf-8")
    code, _, err = run("validate", str(path))
    assert code == ExitCode.ERROR
    assert "log name 'AD SEEN' is listed twice" in err
    assert "log name 'AD SEEN' is also listed by 'ad'" in err
    assert f"{path}:10:42: log name" in err  # each problem located on its line and column
    assert f"{path}:8:75: log name" in err


def test_a_names_file_adds_to_the_maps_names_and_may_not_contradict_them(
    files: tuple[Path, Path],
) -> None:
    m = load(files[0])
    names = files[0].parent / "names.csv"
    names.write_text("log_name,touchpoint\nBASKET,cart\nAD SEEN,ad\n", encoding="utf-8")
    both = read_names(names, [t.id for t in m.touchpoints], start=names_of(m))
    assert both.touchpoints == {"AD SEEN": "ad", "BASKET": "cart"}
    names.write_text("log_name,touchpoint\nAD SEEN,cart\n", encoding="utf-8")
    with pytest.raises(LogError) as caught:
        read_names(names, [t.id for t in m.touchpoints], start=names_of(m))
    assert [str(p) for p in caught.value.problems] == [
        f"{names}:2:1: log name 'AD SEEN' stands for 'ad' in the map and for 'cart' here; "
        "a name stands for one touchpoint"
    ]


def test_the_work_view(files: tuple[Path, Path], tmp_path: Path) -> None:
    shop, log = files
    out = tmp_path / "work.svg"
    code, _, err = run("render", str(shop), "--view", "work", "-o", str(out))
    assert code == ExitCode.ERROR
    from journeygraph.render.work import NO_WORK

    assert NO_WORK in err  # the one wording, the library's and the command's
    code, _, err = run(
        "render", str(shop), "--view", "work", "--log", str(log), "--performer", "who",
        "-o", str(out),
    )  # fmt: skip
    assert code == ExitCode.OK, err
    svg = out.read_text(encoding="utf-8")
    for text in ("Web team", "Zed", "Not in the map"):
        assert text in svg
    assert "#c62828" in svg  # the undeclared web -> desk handover is red


def test_performer_names_never_become_markup(tmp_path: Path) -> None:
    (tmp_path / "log.csv").write_text(
        'case_id,touchpoint,timestamp,who\nc1,a,1,<b>x</b>\nc1,b,2,"&lt;i"\n', encoding="utf-8"
    )
    path = tmp_path / "m.yaml"
    path.write_text(
        "version: 1\njourney: {id: j}\nstages: [{id: s}]\n"
        "touchpoints: [{id: a, stage: s, next: [b]}, {id: b, stage: s}]\n",
        encoding="utf-8",
    )
    out = tmp_path / "work.svg"
    code, _, err = run(
        "render", str(path), "--view", "work", "--log", str(tmp_path / "log.csv"),
        "--performer", "who", "-o", str(out),
    )  # fmt: skip
    assert code == ExitCode.OK, err
    svg = out.read_text(encoding="utf-8")
    assert "<b>x</b>" not in svg
    assert "&lt;b&gt;x&lt;/b&gt;" in svg
    assert "&amp;lt;i" in svg


def test_tables_and_report_carry_the_new_figures(files: tuple[Path, Path], tmp_path: Path) -> None:
    shop, log = files
    code, _, err = run(
        "discover", str(log), "--map", str(shop), "--performer", "who",
        "-o", str(tmp_path / "tables"), "--fail-on", "never",
    )  # fmt: skip
    assert code == ExitCode.OK, err
    with (tmp_path / "tables" / "handovers.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {(r["from"], r["to"], r["status"]) for r in rows} == {
        ("web", "desk", "undeclared"),
        ("web", "Zed", "unmapped"),
    }
    with (tmp_path / "tables" / "stages.csv").open(encoding="utf-8") as handle:
        stages = {r["stage"]: r for r in csv.DictReader(handle)}
    assert (stages["buy"]["next_stage"], stages["buy"]["converted"]) == ("keep", "1")
    code, out, _ = run(
        "discover", str(log), "--map", str(shop), "--performer", "who", "-f", "json",
        "--fail-on", "never",
    )  # fmt: skip
    data = json.loads(out)
    assert data["journey"]["fitness"]["fitting"] == 1
    assert data["variants"][0] == {"path": ["ad", "cart", "pay", "club"], "customers": 1,
                                   "share": 0.3333}  # fmt: skip
    code, _, err = run(
        "report", str(shop), "--log", str(log), "--performer", "who", "-o", str(tmp_path / "r")
    )
    assert code == ExitCode.OK, err
    report = (tmp_path / "r" / "report.md").read_text(encoding="utf-8")
    assert "#### Who does the work" in report
    assert "| Web team | Sales desk | 1 | 1 | undeclared |" in report
    assert "1 of 3 customers (33%) followed the map" in report
    assert "| 1 | 33% | Advert → Basket → Payment → Loyalty club |" in report
    assert (tmp_path / "r" / "shop-work.svg").exists()


def test_the_helpdesk_example_carries_its_own_names() -> None:
    """The shipped map maps the log by itself: no names file needed."""
    m = load(EXAMPLES / "helpdesk.yaml")
    names = names_of(m)
    assert names.touchpoints["Take in charge ticket"] == "take-in-charge"
    assert names.performers["Value 22"] == "developer"
    assert "Value 21" not in names.performers  # left out on purpose, and reported


def test_a_segment_of_a_csv_log_by_a_column(tmp_path: Path) -> None:
    (tmp_path / "log.csv").write_text(
        "case_id,touchpoint,timestamp,channel\n"
        "c1,ad,2024-01-01,web\nc1,pay,2024-01-02,\n"
        "c2,ad,2024-02-01,store\nc2,pay,2024-02-02,web\n"
        "c3,ad,2024-03-01,store\n",
        encoding="utf-8",
    )
    code, out, err = run(
        "discover", str(tmp_path / "log.csv"), "--where", "channel=web", "--until", "2024-02-15",
        "-f", "json",
    )  # fmt: skip
    assert code == ExitCode.OK, err
    data = json.loads(out)
    # c1 and c2 have a web row; c3 does not; both started before the 15th of February.
    assert (data["cases"], data["events"]) == (2, 4)
    assert data["log"]["outside_segment"] == {"events": 1, "cases": 1}
    code, _, err = run("discover", str(tmp_path / "log.csv"), "--where", "chanel=web")
    assert code == ExitCode.ERROR
    assert "no column 'chanel' to select cases by (--where); did you mean 'channel'?" in err


def test_emit_map_puts_touchpoints_in_the_stages_the_log_gives(tmp_path: Path) -> None:
    """With --stage, each touchpoint goes to the stage most of its events carry, and the
    stages come in the order customers meet them; touchpoints with none stay unassigned."""
    (tmp_path / "log.csv").write_text(
        "case_id,touchpoint,timestamp,phase\n"
        "c1,ad,1,Find\nc1,cart,2,Buy\nc1,pay,3,Buy\nc1,club,4,Keep\n"
        "c2,ad,1,Find\nc2,cart,2,Find\nc2,pay,3,Buy\nc2,chat,4,\n",
        encoding="utf-8",
    )
    skeleton = tmp_path / "observed.yaml"
    code, _, err = run(
        "discover", str(tmp_path / "log.csv"), "--stage", "phase", "--emit-map", str(skeleton),
        "-o", "/dev/null",
    )  # fmt: skip
    assert code == ExitCode.OK, err
    m = load(skeleton)
    assert [s.id for s in m.stages] == ["Find", "Buy", "Keep", "observed"]
    # cart: once Buy, once Find; a tie goes to the stage named first in text order.
    assert {t.id: t.stage for t in m.touchpoints} == {
        "ad": "Find",
        "cart": "Buy",
        "pay": "Buy",
        "club": "Keep",
        "chat": "observed",
    }
    code, _, err = run("discover", str(tmp_path / "log.csv"), "--stage", "fase")
    assert code == ExitCode.ERROR
    assert "no column 'fase' (given by --stage or its default); did you mean 'phase'?" in err
