"""``journeygraph neo4j``: the commands, with the Neo4j driver replaced at its boundary.

`connect` is the one place the CLI opens a driver; here it yields LadybugDB
(`tests.store.embedded`), which runs the same Cypher. Only ``schema.cypher``
(Neo4j's constraint DDL) is not sent to it: its tables stand for the schema.
The connection errors are the real driver's, against a port nothing listens on.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import neo4j
import pytest
from typer.testing import CliRunner

import journeygraph.cli.neo4j as cli_neo4j
from journeygraph import load
from journeygraph.cli import ExitCode, app
from journeygraph.exceptions import StoreError
from journeygraph.io.any import load_any
from journeygraph.store import library
from journeygraph.store.driver import Settings, _translated
from journeygraph.store.reader import pull
from tests.conftest import EXAMPLES
from tests.store.embedded import Ladybug

B2B = str(EXAMPLES / "b2b-saas.yaml")
HEALTH = str(EXAMPLES / "healthcare-outpatient.yaml")
_SCHEMA = set(library.statements(library.query("schema").text))
_GDS_INSTALLED = library.query("gds/installed").text
SECRET = "s3cret-Pa55"


class EmbeddedStore(Ladybug):
    """LadybugDB where the CLI expects a Neo4j connection."""

    def __init__(self) -> None:
        super().__init__()
        self.settings: list[Settings] = []
        self.schema_statements = 0
        self.may_list_procedures = True
        self.gds_looked_for = 0

    def run(self, query: str, parameters: Mapping[str, Any]) -> list[dict[str, Any]]:
        if query in _SCHEMA:
            self.schema_statements += 1
            return []
        if query == _GDS_INSTALLED:
            self.gds_looked_for += 1
            # Neo4j's SHOW PROCEDURES, answered as a server without GDS would, or
            # refused as for a role that may not list procedures.
            if not self.may_list_procedures:
                raise StoreError(
                    "Neo4j at neo4j://localhost:7687 refused the request: "
                    "Permission denied for SHOW PROCEDURES."
                )
            return [{"installed": False}]
        return super().run(query, parameters)


@pytest.fixture
def store(monkeypatch: pytest.MonkeyPatch) -> EmbeddedStore:
    db = EmbeddedStore()

    @contextmanager
    def connect(settings: Settings) -> Iterator[EmbeddedStore]:
        db.settings.append(settings)
        yield db

    monkeypatch.setattr(cli_neo4j, "connect", connect)
    return db


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_push_creates_the_schema_then_mirrors_each_journey(store: EmbeddedStore) -> None:
    code, _, err = run("neo4j", "push", B2B, HEALTH)
    assert code == ExitCode.OK, err
    assert store.schema_statements == len(_SCHEMA)
    assert "b2b-saas: created (1 journey written, 7 departments written" in err
    assert "healthcare-outpatient: created" in err
    code, _, err = run("neo4j", "push", B2B, HEALTH)
    assert code == ExitCode.OK
    assert err.splitlines() == ["b2b-saas: up to date", "healthcare-outpatient: up to date"]


def test_push_without_schema_rights_creates_no_schema(store: EmbeddedStore) -> None:
    code, _, err = run("neo4j", "push", B2B, "--no-schema")
    assert code == ExitCode.OK, err
    assert store.schema_statements == 0
    assert "b2b-saas: created" in err


def test_push_dry_run_writes_nothing(store: EmbeddedStore) -> None:
    code, _, err = run("neo4j", "push", B2B, "--dry-run")
    assert code == ExitCode.OK
    assert err.strip() == "b2b-saas: would be created"
    assert store.run(library.query("explore/journeys").text, {}) == []


def test_connection_settings_come_from_options_then_environment(
    store: EmbeddedStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEO4J_URI", "neo4j://env:7687")
    monkeypatch.setenv("NEO4J_USERNAME", "env-user")
    monkeypatch.setenv("NEO4J_PASSWORD", SECRET)
    monkeypatch.setenv("NEO4J_DATABASE", "journeys")
    run("neo4j", "push", B2B, "--uri", "bolt://option:7687")
    (settings,) = store.settings
    assert (settings.uri, settings.user, settings.password, settings.database) == (
        "bolt://option:7687",
        "env-user",
        SECRET,
        "journeys",
    )
    assert SECRET not in repr(settings)


def test_neo4j_audit_prints_what_audit_prints(store: EmbeddedStore) -> None:
    run("neo4j", "push", B2B, HEALTH)
    for fmt in ("json", "csv", "text"):
        code, out, _ = run("neo4j", "audit", "b2b-saas", "--format", fmt)
        local_code, local_out, _ = run("audit", B2B, "--format", fmt)
        assert code == local_code == ExitCode.FINDINGS
        if fmt == "json":
            got, want = json.loads(out), json.loads(local_out)
            for f in want["findings"] + want["waived"]:
                f["location"] = None
            assert want.pop("file") == B2B
            assert got.pop("file") is None
            assert got == want
        elif fmt == "csv":
            strip = [line.split(",")[:4] for line in local_out.splitlines()]
            assert [line.split(",")[:4] for line in out.splitlines()] == strip
        else:
            assert out.splitlines()[-1] == local_out.splitlines()[-1]
            assert out.splitlines()[-1].endswith("(1 waived) in 1 journey.")
    code, _, _ = run("neo4j", "audit", "b2b-saas", "--fail-on", "never")
    assert code == ExitCode.OK


def test_neo4j_audit_gds_on_a_server_without_it_says_what_to_do(store: EmbeddedStore) -> None:
    run("neo4j", "push", B2B)
    code, out, err = run("neo4j", "audit", "b2b-saas", "--gds")
    assert code == ExitCode.ERROR
    assert out == ""
    assert err.startswith("journeygraph: ")
    assert len(err.strip().splitlines()) == 1
    assert "has no Graph Data Science library" in err
    assert "dbms.security.procedures.unrestricted=gds.*" in err
    assert err.rstrip().endswith("; or leave out --gds")
    assert store.gds_looked_for == 1
    # Without --gds (or with --no-gds, kept for scripts) GDS is neither looked
    # for nor mentioned: loops come from the transitions pulled with the map.
    outputs = []
    for flag in ([], ["--no-gds"]):
        code, out, err = run("neo4j", "audit", "b2b-saas", "-f", "json", *flag)
        assert code == ExitCode.FINDINGS
        [summary] = err.splitlines()  # the findings' count, nothing about GDS
        assert summary.endswith("(1 waived) in 1 journey.")
        outputs.append(out)
    assert outputs[0] == outputs[1]
    assert "loop" in [f["rule"] for f in json.loads(outputs[0])["findings"]]
    assert store.gds_looked_for == 1
    # A role that may not list procedures: --gds says why it cannot look.
    store.may_list_procedures = False
    code, _, err = run("neo4j", "audit", "b2b-saas", "--fail-on", "never")
    assert code == ExitCode.OK
    assert err == ""
    code, _, err = run("neo4j", "audit", "b2b-saas", "--gds")
    assert code == ExitCode.ERROR
    assert "did not list its procedures (Permission denied for SHOW PROCEDURES)" in err


def test_neo4j_audit_of_several_journeys_adds_the_portfolio(store: EmbeddedStore) -> None:
    run("neo4j", "push", B2B, HEALTH)
    code, out, _ = run(
        "neo4j", "audit", "b2b-saas", "healthcare-outpatient", "-f", "json", "--fail-on", "never"
    )
    assert code == ExitCode.OK
    data = json.loads(out)
    assert [j["journey"] for j in data["journeys"]] == ["b2b-saas", "healthcare-outpatient"]
    assert "portfolio" in data


def test_unknown_journey_is_one_line_naming_the_known_ones(store: EmbeddedStore) -> None:
    run("neo4j", "push", B2B)
    code, out, err = run("neo4j", "audit", "b2b")
    assert code == ExitCode.ERROR
    assert out == ""
    assert err.strip() == (
        "journeygraph: no journey 'b2b' in the database (journeys there: 'b2b-saas')"
    )


def test_pull_writes_an_equal_map(store: EmbeddedStore, tmp_path: Path) -> None:
    run("neo4j", "push", B2B)
    for name in ("back.yaml", "back.xlsx"):
        code, _, err = run("neo4j", "pull", "b2b-saas", "-o", str(tmp_path / name))
        assert code == ExitCode.OK, err
        assert load_any(tmp_path / name) == load(B2B)
    code, _, err = run("neo4j", "pull", "b2b-saas", "-o", str(tmp_path / "back.yaml"))
    assert code == ExitCode.ERROR
    assert "exists; choose another name or pass --force" in err


def test_query_runs_a_shipped_query_with_parameters(store: EmbeddedStore) -> None:
    run("neo4j", "push", B2B, HEALTH)
    code, out, err = run(
        "neo4j", "query", "explore/shared-functions", "-p", "limit:=1", "-f", "json"
    )
    assert code == ExitCode.OK, err
    assert json.loads(out)["rows"] == [
        {
            "function": "marketing",
            "name": "Marketing leadership",
            "journey_count": 2,
            "journeys": ["b2b-saas", "healthcare-outpatient"],
        }
    ]
    code, out, _ = run(
        "neo4j",
        "query",
        "--cypher",
        "MATCH (s:Stage {journey: $j}) RETURN s.id AS id ORDER BY s.position",
        "-p",
        "j=b2b-saas",
        "-f",
        "csv",
    )
    assert out.splitlines() == [
        "id",
        "awareness",
        "consideration",
        "decision",
        "retention",
        "advocacy",
    ]
    code, out, _ = run("neo4j", "query", "explore/journeys")
    assert "b2b-saas" in out
    assert "2 rows" in out


def test_query_values_never_become_query_text(store: EmbeddedStore, tmp_path: Path) -> None:
    run("neo4j", "push", B2B)
    hostile = "b2b-saas'}) DETACH DELETE (n) //"
    code, out, _ = run("neo4j", "query", "explore/coverage-matrix", "-p", f"journey={hostile}")
    assert code == ExitCode.OK
    assert "0 rows" in out
    assert store.run(library.query("explore/journeys").text, {})[0]["touchpoints"] == 29


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["explore/coverage-matrx"], "did you mean 'explore/coverage-matrix'?"),
        (["explore/coverage-matrix"], "needs $journey: add --param journey=..."),
        (["explore/journeys", "-p", "limit:=2"], "explore/journeys takes no $limit"),
        (["--cypher", "RETURN $x AS x", "-p", "x:=[1"], "--param x: '[1' is not JSON"),
        (["--cypher", "RETURN 1", "-p", "=1"], "write name=text, or name:=json"),
        ([], "give a query: a FILE, a shipped query name, or --cypher TEXT"),
    ],
)
def test_query_mistakes_are_one_line(store: EmbeddedStore, args: list[str], message: str) -> None:
    code, out, err = run("neo4j", "query", *args)
    assert code == ExitCode.ERROR
    assert out == ""
    assert message in err
    assert len(err.strip().splitlines()) == 1


def test_unreachable_server_is_one_line_without_the_password() -> None:
    code, out, err = run(
        "neo4j", "audit", "b2b-saas", "--uri", "neo4j://127.0.0.1:1", "--password", SECRET
    )
    assert code == ExitCode.ERROR
    assert out == ""
    assert err.strip() == (
        "journeygraph: cannot reach Neo4j at neo4j://127.0.0.1:1: is the server running, "
        "and is the address right (--uri or NEO4J_URI)?"
    )


@pytest.mark.parametrize(
    ("uri", "shown", "message"),
    [
        (
            "http://127.0.0.1:1",
            "http://127.0.0.1:…",
            "give a neo4j or bolt address (neo4j+s:// for Aura)",
        ),
        (
            "neo4j://127.0.0.1:notaport",
            "neo4j://127.0.0.1:…",
            "the port 'notaport' is not a port number: give one from 1 to 65535",
        ),
        (
            "neo4j://127.0.0.1:99999",
            "neo4j://127.0.0.1:…",
            "the port '99999' is not a port number: give one from 1 to 65535",
        ),
        ("neo4j://u:pw@[::1:9", "neo4j:…", "its IPv6 host is not closed by ']'"),
        ("neo4j://:7687", "neo4j:…", "it names no host"),
        ("neo4j://127.0.0.1:7687/db", "neo4j://127.0.0.1:…", "choose the database with --database"),
        (
            "bolt://127.0.0.1:7687?region=x",
            "bolt://127.0.0.1:…",
            "only neo4j:// addresses take ?key=value routing settings",
        ),
        ("neo4j://127.0.0.1:7687?region", "neo4j://127.0.0.1:…", "a part without a key or a value"),
    ],
)
def test_a_bad_address_is_one_line(tmp_path: Path, uri: str, shown: str, message: str) -> None:
    target = str(tmp_path / "x.yaml")
    code, _, err = run("neo4j", "pull", "x", "-o", target, "--uri", uri)
    assert code == ExitCode.ERROR
    assert err.startswith(f"journeygraph: cannot use Neo4j address {shown!r}: ")
    assert message in err
    # Plain words, not the driver's: no resolver errno, no GQL status code.
    assert "Errno" not in err
    assert "50N42" not in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


MALFORMED = [
    f"neo4j:{SECRET}@127.0.0.1:9",
    f"neo4j:/u:{SECRET}@host",
    f"neo4j://host:9;password={SECRET}",
    f"neo4j://host:9#{SECRET}",
    f"neo4j://u:{SECRET}@[::1:9",
    f"neo4j://u:{SECRET}@host:9/{SECRET}",
    f"neo4j://host:9?{SECRET}",
]


@pytest.mark.parametrize("uri", MALFORMED)
@pytest.mark.parametrize(
    "command",
    [
        ["push", B2B],
        ["pull", "x", "-o", "x.yaml"],
        ["list"],
        ["delete", "x", "--yes"],
        ["audit", "x"],
        ["query", "--cypher", "RETURN 1"],
    ],
    ids=lambda c: c[0],
)
def test_a_malformed_address_never_shows_its_password(
    uri: str, command: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run("neo4j", *command, "--uri", uri)
    assert code == ExitCode.ERROR
    assert SECRET not in out + err
    assert err.startswith("journeygraph: cannot use Neo4j address ")
    assert "internal error" not in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (
            neo4j.exceptions.AuthError(f"The client is unauthorized (password {SECRET})"),
            "refused user 'neo4j': check the user and password",
        ),
        (
            neo4j.exceptions.Neo4jError._hydrate_neo4j(
                code="Neo.ClientError.Database.DatabaseNotFound",
                message=f"Database does not exist. Database name: 'nope' {SECRET}",
            ),
            "has no database 'nope': check --database or NEO4J_DATABASE",
        ),
        (
            neo4j.exceptions.Neo4jError._hydrate_neo4j(
                code="Neo.ClientError.Statement.SyntaxError",
                message=f"Invalid input 'x' near {SECRET}\n  line 2",
            ),
            "refused the request: Invalid input 'x' near *** line 2",
        ),
    ],
)
def test_driver_errors_become_one_line_without_the_password(error: Exception, message: str) -> None:
    settings = Settings.resolve(password=SECRET, database="nope", environ={})
    with pytest.raises(StoreError) as caught, _translated(settings):
        raise error
    text = str(caught.value)
    assert message in text
    assert SECRET not in text
    assert "\n" not in text


@pytest.mark.parametrize(
    "uri",
    [
        f"neo4j://neo4j:{SECRET}@127.0.0.1:1",
        f"bolt://127.0.0.1:1?password={SECRET}",
        f"neo4j://neo4j:{SECRET}@127.0.0.1:notaport",
        f"http://neo4j:{SECRET}@127.0.0.1:1?token={SECRET}",
        f"neo4j://neo4j:{SECRET}@127.0.0.1:1/?db=x&PASSWORD={SECRET}",
    ],
)
@pytest.mark.parametrize("from_environment", [False, True])
def test_a_password_in_the_address_is_never_printed(
    uri: str, from_environment: bool, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    args = ["neo4j", "pull", "x", "-o", str(tmp_path / "x.yaml")]
    if from_environment:
        monkeypatch.setenv("NEO4J_URI", uri)
    else:
        args += ["--uri", uri]
    code, out, err = run(*args)
    assert code == ExitCode.ERROR
    assert SECRET not in out + err
    assert "127.0.0.1" in err
    assert len(err.strip().splitlines()) == 1


def test_the_login_in_the_address_is_used_and_not_sent_on() -> None:
    settings = Settings.resolve(uri=f"neo4j://ana:{SECRET}@db:7687", environ={})
    assert (settings.uri, settings.user, settings.password) == ("neo4j://db:7687", "ana", SECRET)
    assert SECRET not in repr(settings)
    given = Settings.resolve(uri=f"neo4j://ana:{SECRET}@db", user="bo", password="pw", environ={})
    assert (given.user, given.password) == ("bo", "pw")


def test_list_shows_each_journey_with_its_size(store: EmbeddedStore) -> None:
    assert run("neo4j", "push", B2B, HEALTH)[0] == ExitCode.OK
    code, out, err = run("neo4j", "list", "-f", "json")
    assert code == ExitCode.OK, err
    listed = {row["journey"]: row for row in json.loads(out)["rows"]}
    for path in (B2B, HEALTH):
        m = load(path)
        row = listed[m.journey.id]
        assert (row["stages"], row["touchpoints"], row["functions"]) == (
            len(m.stages),
            len(m.touchpoints),
            len(m.functions),
        )
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", row["pushed_at"])
    # A push that changes nothing leaves the time of the last change.
    assert run("neo4j", "push", B2B)[0] == ExitCode.OK
    again = {
        row["journey"]: row for row in json.loads(run("neo4j", "list", "-f", "json")[1])["rows"]
    }
    assert again == listed


def test_delete_removes_the_journey_and_what_only_it_used(store: EmbeddedStore) -> None:
    assert run("neo4j", "push", B2B, HEALTH)[0] == ExitCode.OK
    b2b, health = load(B2B), load(HEALTH)
    code, _, err = run("neo4j", "delete", "b2b-saas", "--yes")
    assert code == ExitCode.OK, err
    from journeygraph.store.rows import DELETE_ORDER, rows_of

    # The rows removed, counted again from the map: every row of its own sections.
    rows = sum(len(rows_of(b2b)[section]) for section in DELETE_ORDER)
    assert err.startswith(f"b2b-saas: deleted; removed ({rows} rows of ")
    assert journeys_of(store) == ["healthcare-outpatient"]
    assert store.read(lambda tx: pull(tx, "healthcare-outpatient")) == health
    functions = {r["id"] for r in store.run("MATCH (f:JobFunction) RETURN f.id AS id", {})}
    assert functions == {f.id for f in health.functions}
    assert {f.id for f in b2b.functions} - functions  # b2b's own functions went
    touchpoints = store.run("MATCH (t:Touchpoint) RETURN DISTINCT t.journey AS j", {})
    assert [r["j"] for r in touchpoints] == ["healthcare-outpatient"]


def test_delete_asks_for_yes_and_names_unknown_journeys(store: EmbeddedStore) -> None:
    assert run("neo4j", "push", B2B)[0] == ExitCode.OK
    code, _, err = run("neo4j", "delete", "b2b-saas")
    assert code == ExitCode.ERROR
    assert "pass --yes to confirm" in err
    code, _, err = run("neo4j", "delete", "nope", "--yes")
    assert code == ExitCode.ERROR
    assert "no journey 'nope' in the database (journeys there: 'b2b-saas')" in err
    assert journeys_of(store) == ["b2b-saas"]


def test_push_prune_removes_journeys_not_in_the_maps(store: EmbeddedStore) -> None:
    assert run("neo4j", "push", B2B, HEALTH)[0] == ExitCode.OK
    # Not at a terminal, it lists what it would delete and deletes nothing.
    code, _, err = run("neo4j", "push", HEALTH, "--prune")
    assert code == ExitCode.ERROR
    assert err.strip() == (
        "journeygraph: --prune would delete 1 journey the maps given do not hold "
        "(b2b-saas): pass --yes to confirm"
    )
    assert journeys_of(store) == ["b2b-saas", "healthcare-outpatient"]
    code, _, err = run("neo4j", "push", HEALTH, "--prune", "--yes")
    assert code == ExitCode.OK, err
    assert "b2b-saas: not in the maps given; removed" in err
    assert journeys_of(store) == ["healthcare-outpatient"]


def journeys_of(store: EmbeddedStore) -> list[str]:
    from journeygraph.store.reader import journeys

    return sorted(journeys(store))


# What each rule's entities are, as the rule table documents them.
_ABOUT_STAGES = {"empty-stage", "single-owner-stage", "missing-metric"}
_ABOUT_FUNCTIONS = {
    "idle-function",
    "overloaded-function",
    "unused-handoff",
    "handoff-without-sla",
    "accountability-concentration",
    "capacity-overload",
}


def _stored_findings(store: EmbeddedStore) -> list[dict[str, Any]]:
    rows = store.run(
        "MATCH (x:Finding {journey: 'b2b-saas'}) RETURN x.position AS position, x.rule AS rule, "
        "x.severity AS severity, x.message AS message, x.entities AS entities, "
        "x.waiver AS waiver",
        {},
    )
    return sorted(rows, key=lambda r: r["position"])


def test_audit_write_stores_each_finding_linked_to_what_it_is_about(
    store: EmbeddedStore,
) -> None:
    run("neo4j", "push", B2B)
    code, out, err = run("neo4j", "audit", "b2b-saas", "--write", "--format", "json")
    assert code == ExitCode.FINDINGS, err
    local = json.loads(run("audit", B2B, "--format", "json")[1])
    expected = local["findings"] + local["waived"]
    assert f"stored {len(expected)} findings in the graph" in err
    assert json.loads(out)["findings"] == [
        {**f, "location": None} for f in local["findings"]
    ]  # the output is the audit's, as without --write
    stored = _stored_findings(store)
    assert [
        (r["position"], r["rule"], r["severity"], r["message"], r["entities"], r["waiver"])
        for r in stored
    ] == [
        (i, f["rule"], f["severity"], f["message"], f["entities"], f.get("reason"))
        for i, f in enumerate(expected)
    ]
    about: dict[int, set[tuple[str, str]]] = {}
    for label in ("Touchpoint", "Stage", "JobFunction"):
        for row in store.run(
            f"MATCH (x:Finding {{journey: 'b2b-saas'}})-[:ABOUT]->(n:{label}) "
            "RETURN x.position AS position, n.id AS id",
            {},
        ):
            about.setdefault(row["position"], set()).add((label, row["id"]))
    for i, f in enumerate(expected):
        label = (
            "Stage"
            if f["rule"] in _ABOUT_STAGES
            else "JobFunction"
            if f["rule"] in _ABOUT_FUNCTIONS
            else "Touchpoint"
        )
        assert about[i] == {(label, e) for e in f["entities"]}, f
    # A second run replaces the findings; deleting the journey removes them.
    assert run("neo4j", "audit", "b2b-saas", "--write")[0] == ExitCode.FINDINGS
    assert len(_stored_findings(store)) == len(expected)
    assert run("neo4j", "delete", "b2b-saas", "--yes")[0] == ExitCode.OK
    assert store.run("MATCH (x:Finding) RETURN count(x) AS n", {}) == [{"n": 0}]


def test_audit_without_write_stores_nothing(store: EmbeddedStore) -> None:
    run("neo4j", "push", B2B)
    assert run("neo4j", "audit", "b2b-saas")[0] == ExitCode.FINDINGS
    assert store.run("MATCH (x:Finding) RETURN count(x) AS n", {}) == [{"n": 0}]


def test_pull_and_audit_of_an_inconsistent_journey_are_one_line(
    store: EmbeddedStore, tmp_path: Path
) -> None:
    assert run("neo4j", "push", B2B)[0] == ExitCode.OK
    function = load(B2B).functions[0]
    # Another hand moved a function to a department the journey does not list.
    store.run("MATCH (:JobFunction {id: $f})-[r:PART_OF]->() DELETE r", {"f": function.id})
    store.run(
        "CREATE (:Department {id: 'elsewhere', key: ['Department', 'elsewhere']})",
        {},
    )
    store.run(
        "MATCH (f:JobFunction {id: $f}), (d:Department {id: 'elsewhere'}) "
        "CREATE (f)-[:PART_OF]->(d)",
        {"f": function.id},
    )
    for args in (["pull", "b2b-saas", "-o", str(tmp_path / "x.yaml")], ["audit", "b2b-saas"]):
        code, _, err = run("neo4j", *args)
        assert code == ExitCode.ERROR
        assert err.startswith("journeygraph: journey 'b2b-saas' in the database is inconsistent (")
        assert "unknown department 'elsewhere'" in err
        assert len(err.strip().splitlines()) == 1
