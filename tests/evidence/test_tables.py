"""The DuckDB tables named in journeygraph.evidence.reading.tables are the ones the modules make."""

from __future__ import annotations

from pathlib import Path

from journeygraph.evidence import compare, discover, read_log
from journeygraph.evidence.reading.columns import Columns
from journeygraph.evidence.reading.segment import Segment
from journeygraph.evidence.reading.tables import MAP_TABLES, TABLES, TOUCHPOINT_TYPE
from journeygraph.testing import fragment

MAP = """
stages: [{id: s}]
functions: [{id: a}, {id: b}]
touchpoints:
  - {id: ad, stage: s, owners: {R: a}, next: [shop]}
  - {id: shop, stage: s, owners: {R: b}, next: [ad], exit: true}
"""


def test_the_connection_holds_exactly_the_named_tables(tmp_path: Path) -> None:
    log = tmp_path / "events.csv"
    log.write_text(
        "case_id,touchpoint,timestamp,who\nc1,Advert,1,ann\nc1,shop,2,bo\nc1,ad,3,ann\n",
        encoding="utf-8",
    )
    # A segment that keeps every case, and performers: their tables are made too.
    read = read_log(
        log,
        columns=Columns(performer="who"),
        names={"Advert": "ad"},
        performers={"ann": "a"},
        segment=Segment(since=0.0),
    )
    evidence = compare(fragment(MAP), discover(read))
    assert set(evidence.flow.touchpoints) == {"ad", "shop"}
    con = evidence.flow.log.connection
    found: dict[str, list[tuple[str, str]]] = {}
    for table, column, kind in con.execute(
        "SELECT table_name, column_name, data_type FROM information_schema.columns "
        "WHERE table_name NOT LIKE 'reject_%' ORDER BY table_name, ordinal_position"
    ).fetchall():
        found.setdefault(table, []).append((column, kind))
    assert set(found) == {t.name for t in TABLES}
    for table in TABLES:
        assert [c for c, _ in found[table.name]] == [c for c, _ in table.columns], table.name
    for table in MAP_TABLES:
        assert found[table.name] == list(table.columns), table.name
    kinds = dict(found["steps"])
    assert kinds["touchpoint"].startswith("ENUM") or kinds["touchpoint"] == TOUCHPOINT_TYPE


def test_put_keeps_every_row_as_given_in_order() -> None:
    import duckdb

    from journeygraph.evidence.reading.tables import REPLAY_STEPS, SLA_STEPS, put

    con = duckdb.connect()
    # Text that would be SQL, quotes, NULLs and a number past 32 bits: values, never SQL.
    rows = [
        (2**40, "a'); DROP TABLE x; --", "é\u2028"),
        (0, "", None),
        (-1, None, "b"),
        *((k, f"t{k}", f"t{k + 1}") for k in range(3, 2_000)),
    ]
    put(con, SLA_STEPS, rows)
    assert con.execute("SELECT * FROM sla_steps").fetchall() == rows
    replay = [(1, "a", "b", True, None, 3.5), (2, "b", "a", None, False, None)]
    put(con, REPLAY_STEPS, replay)
    assert con.execute("SELECT * FROM replay_steps").fetchall() == replay
    put(con, SLA_STEPS, [])  # made again, empty
    assert con.execute("SELECT count(*) FROM sla_steps").fetchone() == (0,)
