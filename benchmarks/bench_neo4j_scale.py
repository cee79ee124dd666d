"""Neo4j at scale: many large journeys in one database, and the plans of the heavy queries.

Starts the test server (``tests/neo4j-server``, built by ``scripts/setup``) on
127.0.0.1, pushes JOURNEYS benchmark maps of TOUCHPOINTS touchpoints each (the
generator of ``bench_audit.py``, one journey id each), then, for the first
journey, PROFILEs the queries that expand ``[:NEXT*]`` and times the whole
Cypher audit against the in-process one, with loops found by Cypher and by the
Graph Data Science library (``gds.scc``, which the test server loads).

Usage: ``python benchmarks/bench_neo4j_scale.py [JOURNEYS] [TOUCHPOINTS]
[--push-only | --update] [--audit-only | --by-query] [--rounds=N]`` (default 100
journeys of 1,000 touchpoints), or ``--serve``. Pushes go through
`journeygraph.store.staging.push_journey`, as ``neo4j push`` does: staged above
``STAGE_ABOVE`` rows. ``--push-only`` stops after the pushes, and checks that
the first journey pulls back equal to its map. ``--update`` then links another
application's node to every 100th touchpoint of the first journey, renames
every 33rd touchpoint, and pushes it again staged (whatever its size): the
whole push, its staging, its switch (and the switch's slowest statements) and
the removal of the old version after it are timed; the pull must equal the
renamed map and the other application's relationships must be those it
made (same identities). ``--audit-only`` leaves out the PROFILEs of the heavy
queries. ``--by-query`` only times where a whole ``neo4j audit`` goes, ``--rounds``
times, plainly and with GDS: each query it runs (its seconds within the whole
audit, the rows it returned, its database hits by PROFILE), the ten slowest
shown, and the rest of the whole (Python: building the map and the findings).
``--rounds=N`` times the whole audits N times each, in turn, and gives
their medians: the Cypher audit as ``neo4j audit`` runs it (loops and
reachability on the transitions its pull read), searching loops and
reachability in the database (``in_database``), and with GDS. With
``NEO4J_TEST_URI`` set (as for the tests), the server it names is used instead
of a new one, and when it holds the first journey already, nothing is pushed:
keep a server running (``python benchmarks/bench_neo4j_scale.py --serve``) to
time a changed query again without pushing for minutes. CPU seconds (user+sys)
are given for this process and, at the end, for the server (one this run started).
"""

from __future__ import annotations

import os
import re
import resource
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from tests import neo4j_server  # noqa: E402

from generate import generate_map  # noqa: E402
from journeygraph import audit, loads  # noqa: E402
from journeygraph.rule_ids import LOOP, UNREACHABLE_TOUCHPOINT  # noqa: E402
from journeygraph.rules import registry  # noqa: E402
from journeygraph.store import gds, library, staging  # noqa: E402
from journeygraph.store.audit import cypher_audit, loop_rows, unreachable_rows  # noqa: E402
from journeygraph.store.driver import connect  # noqa: E402
from journeygraph.store.reader import journeys as journeys_in  # noqa: E402
from journeygraph.store.reader import pull  # noqa: E402
from journeygraph.store.rows import UPSERT_ORDER  # noqa: E402
from journeygraph.store.runner import unpacked  # noqa: E402
from journeygraph.store.staging import STAGE_ABOVE, push_journey  # noqa: E402
from journeygraph.store.writer import ensure_schema  # noqa: E402

T = TypeVar("T")

AUDIT_PARAMETERS = {
    "overload_min": 5,
    "overload_share_numerator": 1,
    "overload_share_denominator": 4,
    "concentration_min": 5,
    "concentration_share_numerator": 1,
    "concentration_share_denominator": 2,
    "capacity_share_numerator": 1,
    "capacity_share_denominator": 1,
}
HEAVY = (
    "audit/unreachable-touchpoint",
    "explore/entry-to-purchase-paths",
)


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def main(
    journeys: int,
    touchpoints: int,
    *,
    push_only: bool = False,
    update: bool = False,
    audit_only: bool = False,
    by_query: bool = False,
    rounds: int = 1,
) -> None:
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as folder:
        _run(
            journeys,
            touchpoints,
            push_only or update,
            Path(folder),
            update=update,
            audit_only=audit_only,
            by_query=by_query,
            rounds=rounds,
        )
    print(
        f"CPU: this process {_cpu(resource.RUSAGE_SELF):.1f} s, "
        f"the server {_cpu(resource.RUSAGE_CHILDREN):.1f} s (user+sys); "
        f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )


def _run(
    journeys: int,
    touchpoints: int,
    push_only: bool,
    folder: Path,
    *,
    update: bool,
    audit_only: bool,
    by_query: bool,
    rounds: int,
) -> None:
    text = generate_map(touchpoints, 200)
    maps = [
        loads(text.replace(f"id: bench-{touchpoints},", f"id: j{i:03},", 1))
        for i in range(journeys)
    ]
    own = neo4j_server.own_server()
    with (
        nullcontext(own) if own else neo4j_server.start(folder / "data") as settings,
        connect(settings) as store,
    ):
        if maps[0].journey.id in journeys_in(store):
            print(f"the journeys are in {settings.uri} already: not pushed")
        else:
            _push(store, maps)
        first = maps[0]
        if update:
            renamed = re.sub(
                r"name: Touchpoint (\d+),",
                lambda n: n[0] if int(n[1]) % 33 else f"name: Touchpoint {n[1]} renamed,",
                text.replace(f"id: bench-{touchpoints},", "id: j000,", 1),
            )
            _update(store, loads(renamed))
            return
        if push_only:
            started = time.perf_counter()
            same = store.read(partial(pull, journey=first.journey.id)) == first
            print(f"pulled {first.journey.id} in {time.perf_counter() - started:.1f} s: ", end="")
            print("equal to its map" if same else "NOT EQUAL to its map")
            return
        if by_query:
            _by_query(store, first, rounds)
            return
        values = {"journey": first.journey.id, "target": f"t{touchpoints - 1}", "limit": 5}
        print(f"{'query':36} {'seconds':>8} {'db hits':>12}  [:NEXT*] operator")
        for name in () if audit_only else HEAVY:
            q = library.query(name)
            given = {p: values[p] for p in q.parameters if p in values}
            started = time.perf_counter()
            ops = store.plan(q.text, given, profile=True)
            seconds = time.perf_counter() - started
            hits = sum(int(o.get("db_hits") or 0) for o in ops)
            expands = sorted(
                {
                    o["operator"].strip()
                    for o in ops
                    if "VarLength" in o["operator"] or "Shortest" in o["operator"]
                }
            )
            print(f"{name:36} {seconds:8.2f} {hits:12,}  {', '.join(expands)}")
        # Each query of a pull on its own, then the whole pull.
        for section in UPSERT_ORDER:
            q = library.query(f"sync/read-{section}")
            started = time.perf_counter()
            rows = unpacked(store.run(q.text, {"journey": first.journey.id}))
            seconds = time.perf_counter() - started
            print(f"sync/read-{section:26} {seconds:8.2f} s, {len(rows)} rows")
        started = time.perf_counter()
        store.read(partial(pull, journey=first.journey.id))
        print(f"whole pull of {first.journey.id}: {time.perf_counter() - started:.2f} s")
        # Each audit query on its own, then the whole audit (which also pulls the map).
        every = {"journey": first.journey.id, **AUDIT_PARAMETERS}
        for rule in registry:
            q = library.query(f"audit/{rule.id}")
            given = {p: every[p] for p in q.parameters if p in every}
            started = time.perf_counter()
            if rule.id == LOOP:  # one query per loop, from its starts in turn
                rows = store.read(lambda tx: list(loop_rows(tx, first.journey.id)))
            elif rule.id == UNREACHABLE_TOUCHPOINT:  # one query per step of the search
                ids = [t.id for t in first.touchpoints]
                rows = store.read(partial(_unreachable, journey=first.journey.id, touchpoints=ids))
                print(f"audit/{rule.id + ' (one query)':32} {_timed(store, q.text, given)}")
            else:
                rows = unpacked(store.run(q.text, given))
            print(f"audit/{rule.id:32} {time.perf_counter() - started:8.2f} s, {len(rows)} rows")
        q = library.query("gds/loop")
        for attempt in ("first", "again"):
            started = time.perf_counter()
            rows = store.run(q.text, gds.parameters({"journey": first.journey.id}))
            seconds = time.perf_counter() - started
            print(f"gds/loop ({attempt}){'':22} {seconds:8.2f} s, {len(rows)} rows")
        _whole_audits(store, first, rounds)


class _ByQuery:
    """A runner (around a transaction's) that adds up each query's seconds and rows."""

    def __init__(self, runner: Any, seconds: dict[str, list[float]], rows: Counter[str]) -> None:
        self._runner, self.seconds, self.rows = runner, seconds, rows
        self._names = {library.query(n).text: n for n in library.names()}

    def run(self, query: str, parameters: Any) -> Any:
        started = time.perf_counter()
        got = self._runner.run(query, parameters)
        name = self._names.get(query, "?")
        self.seconds[name].append(time.perf_counter() - started)
        self.rows[name] += len(unpacked(got)) if len(got) == 1 else len(got)
        return got

    def __getattr__(self, name: str) -> Any:  # pinned, forget: the pull's re-read
        return getattr(self._runner, name)


def _by_query(store: Any, first: Any, rounds: int) -> None:
    """Where `neo4j audit`'s time goes: each query it runs (its seconds in the whole
    audit, the rows it returned, its database hits by PROFILE), and the Python side."""
    journey = first.journey.id
    for way, options in (("Cypher", {}), ("Cypher with GDS", {"gds": True})):
        totals: dict[str, list[float]] = defaultdict(list)
        wholes: list[float] = []
        rows: Counter[str] = Counter()
        for _ in range(rounds):
            seconds: dict[str, list[float]] = defaultdict(list)
            rows.clear()
            started = time.perf_counter()
            timed = partial(_audit_by_query, seconds=seconds, rows=rows, journey=journey)
            store.read(partial(timed, options=options))
            wholes.append(time.perf_counter() - started)
            for name, each in seconds.items():
                totals[name].append(sum(each))
        whole = statistics.median(wholes)
        queries = {name: statistics.median(each) for name, each in totals.items()}
        print(
            f"{way}: whole audit {whole:.2f} s (median of {rounds}), of which its "
            f"{len(queries)} queries {sum(queries.values()):.2f} s and the rest (Python: "
            f"building the map and the findings) {whole - sum(queries.values()):.2f} s; "
            f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
        )
        print(f"  {'query':36} {'seconds':>8} {'rows':>8} {'db hits':>12}")
        for name, median in sorted(queries.items(), key=lambda kv: -kv[1])[:10]:
            print(f"  {name:36} {median:8.2f} {rows[name]:8,} {_hits(store, name, journey):>12}")


def _audit_by_query(
    tx: Any,
    *,
    seconds: dict[str, list[float]],
    rows: Counter[str],
    journey: str,
    options: dict[str, Any],
) -> Any:
    return cypher_audit(_ByQuery(tx, seconds, rows), journey, **options)


def _hits(store: Any, name: str, journey: str) -> str:
    """The database hits of a shipped query of one run, by PROFILE ("" if it takes
    parameters other than the journey's and the thresholds)."""
    q = library.query(name)
    given = {"journey": journey, **AUDIT_PARAMETERS}
    if any(p not in given and p != "revision" for p in q.parameters):
        return ""
    parameters = gds.parameters(given) if name.startswith("gds/") else given
    ops = store.plan(
        q.text, {p: parameters[p] for p in parameters if p in q.parameters}, profile=True
    )
    return f"{sum(int(o.get('db_hits') or 0) for o in ops):,}"


def _whole_audits(store: Any, first: Any, rounds: int) -> None:
    """The whole Cypher audit of ``first``, each way, against the in-process audit,
    ``rounds`` times in turn; the medians, and whether the findings are the same."""
    # Loops and reachability on the pulled transitions (what `neo4j audit` does),
    # searched in the database instead (as before), and loops by GDS.
    ways: dict[str, dict[str, Any]] = {
        "in-process": {},
        "Cypher": {},
        "Cypher, searching in the database": {"in_database": True},
        "Cypher with GDS": {"gds": True},
    }
    seconds: dict[str, list[float]] = defaultdict(list)
    local = audit(first)
    want = [(f.rule, f.entities, f.message) for f in local.findings]
    for _ in range(rounds):
        for how, options in ways.items():
            started = time.perf_counter()
            if how == "in-process":
                audit(first)
            else:
                got = store.read(partial(cypher_audit, journey=first.journey.id, **options))
            seconds[how].append(time.perf_counter() - started)
            same = (
                how == "in-process"
                or [(f.rule, f.entities, f.message) for f in got.findings] == want
            )
            print(
                f"whole audit of {first.journey.id}, {how}: {seconds[how][-1]:.2f} s, "
                f"{len(local.findings)} findings, same findings: {same}; load average: "
                f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}",
                flush=True,
            )
    alone = statistics.median(seconds["in-process"])
    for how, times in seconds.items():
        median = statistics.median(times)
        print(f"median of {len(times)}, {how}: {median:.2f} s ({median / alone:.1f} times)")


class _Timed:
    """A store that adds up the seconds of each kind of transaction, by its work's name."""

    def __init__(self, store: Any) -> None:
        self.store, self.count = store, Counter[str]()
        self.seconds: dict[str, float] = defaultdict(float)
        # The switch's statements, each timed (by its query's name) in the last try.
        self.statements: dict[str, float] = defaultdict(float)
        self._names = {q.text: q.name for q in library.queries("sync")}
        self.switch_memory: dict[str, int] = {}

    def _timed(self, run: Callable[[Any], T], work: Any) -> T:
        name = getattr(getattr(work, "func", work), "__name__", "?")
        watch: AbstractContextManager[None] = nullcontext()
        if name == "_switch":
            self.statements.clear()
            work = partial(self._statements, work)
            watch = _MemoryWatch(self.store)
        started = time.perf_counter()
        try:
            with watch:
                return run(work)
        finally:
            self.seconds[name] += time.perf_counter() - started
            self.count[name] += 1
            if isinstance(watch, _MemoryWatch):
                self.switch_memory = watch.peak

    def _statements(self, work: Callable[[Any], T], tx: Any) -> T:
        outer = self

        class Runner:
            def run(self, text: str, parameters: Any) -> Any:
                started = time.perf_counter()
                try:
                    return tx.run(text, parameters)
                finally:
                    name = outer._names.get(text, text.split("\n", 1)[0][:40])
                    outer.statements[name] += time.perf_counter() - started

        return work(Runner())

    def write(self, work: Any) -> Any:
        return self._timed(self.store.write, work)

    def read(self, work: Any) -> Any:
        return self._timed(self.store.read, work)


class _MemoryWatch:
    """The most memory the server says a write transaction used while this is entered:
    ``SHOW TRANSACTIONS``, polled from another session four times a second (the
    figure that ``db.memory.transaction.max`` limits: ``estimatedUsedHeapMemory``,
    and the running statement's ``currentQueryAllocatedBytes``)."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.peak = {"estimatedUsedHeapMemory": 0, "currentQueryAllocatedBytes": 0}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def _poll(self) -> None:
        while not self._stop.wait(0.25):
            try:
                rows = self.store.run(_TRANSACTIONS, {})
            except Exception:  # the poll is best effort; the switch is what is timed
                continue
            for row in rows:
                for column in self.peak:
                    self.peak[column] = max(self.peak[column], int(row[column] or 0))

    def __enter__(self) -> None:
        self._thread.start()

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


_TRANSACTIONS = (
    "SHOW TRANSACTIONS YIELD currentQuery, estimatedUsedHeapMemory, currentQueryAllocatedBytes "
    "WHERE NOT currentQuery STARTS WITH 'SHOW TRANSACTIONS' "
    "RETURN estimatedUsedHeapMemory, currentQueryAllocatedBytes"
)

# Another application's links, each to a touchpoint of its journey's current version.
_LINKS = (
    "MATCH ()-[r:VISITED]->(t:Touchpoint:JourneyGraph) "
    "MATCH (:Journey:JourneyGraph {id: t.journey, revision: t.revision}) "
    "RETURN elementId(r) AS id, elementId(t) AS touchpoint, t.id AS touchpoint_id ORDER BY id"
)


def _update(store: Any, renamed: Any) -> None:
    """Push ``renamed`` again, staged, with another application linked to 1% of its
    touchpoints; time it, its switch and the switch's look for those links."""
    journey = renamed.journey.id
    store.run(
        "MATCH (t:Touchpoint:JourneyGraph {journey: $journey}) "
        "WHERE toInteger(t.position) % 100 = 0 "
        "CREATE (:BenchOther {n: t.position})-[:VISITED]->(t)",
        {"journey": journey},
    )
    links = store.run(_LINKS, {})
    staging.STAGE_ABOVE = 0  # type: ignore[misc]  # staged, however few rows change
    timed = _Timed(store)
    started = time.perf_counter()
    result = push_journey(timed, renamed)
    whole = time.perf_counter() - started
    print(
        f"staged update of {journey} ({sum(result.written.values()):,} rows staged): "
        f"{whole:.1f} s; switch {timed.seconds['_switch']:.1f} s; staging "
        f"{timed.seconds['_run']:.1f} s in {timed.count['_run']} transactions; removal of the "
        f"old version after it {timed.seconds['_remove']:.1f} s in {timed.count['_remove']} "
        "transactions; "
        f"staged: {result.staged}, other application's relationships removed: {result.detached}"
    )
    _switch_figures(timed)
    started = time.perf_counter()
    same = store.read(partial(pull, journey=journey)) == renamed
    print(f"pulled {journey} in {time.perf_counter() - started:.1f} s: ", end="")
    print("equal to the renamed map" if same else "NOT EQUAL to the renamed map")
    kept = store.run(_LINKS, {}) == links
    print(f"{len(links)} relationships of another application's: {'kept' if kept else 'NOT KEPT'}")


def _push(store: Any, maps: list[Any]) -> None:
    ensure_schema(store)
    timed = _Timed(store)
    started = time.perf_counter()
    staged = [push_journey(timed, m).staged for m in maps]
    seconds = time.perf_counter() - started
    print(
        f"pushed {len(maps)} journeys of {len(maps[0].touchpoints)} touchpoints in "
        f"{seconds:.1f} s ({sum(staged)} staged: above {STAGE_ABOVE:,} rows)"
    )
    if timed.count["_switch"]:
        _switch_figures(timed)


def _switch_figures(timed: _Timed) -> None:
    """The switch's time, its statements' (the rest is mostly its commit) and its memory."""
    statements = sum(timed.statements.values())
    print(
        f"the switch: {timed.seconds['_switch']:.1f} s in {timed.count['_switch']} "
        f"transaction(s), of which its statements {statements:.1f} s (the rest: sending, "
        "committing)"
    )
    slowest = sorted(timed.statements.items(), key=lambda kv: -kv[1])[:8]
    print("the switch's slowest statements: " + ", ".join(f"{n} {s:.1f} s" for n, s in slowest))
    memory = ", ".join(f"{k} {v / 2**20:.1f} MiB" for k, v in timed.switch_memory.items())
    print(f"the switch's transaction memory at its peak (SHOW TRANSACTIONS): {memory}")


def serve() -> None:
    """Run the test server until interrupted, saying how to use it."""
    with tempfile.TemporaryDirectory() as folder, neo4j_server.start(Path(folder) / "data") as s:
        print(f"export NEO4J_TEST_URI={s.uri}", flush=True)
        while True:
            time.sleep(3600)


def _unreachable(tx: Any, journey: str, touchpoints: list[str]) -> list[dict[str, Any]]:
    return list(unreachable_rows(tx, journey, touchpoints))


def _timed(store: object, text: str, given: dict[str, object]) -> str:
    started = time.perf_counter()
    rows = store.run(text, given)  # type: ignore[attr-defined]
    return f"{time.perf_counter() - started:8.2f} s, {len(rows)} rows"


if __name__ == "__main__":
    if "--serve" in sys.argv:
        serve()
    args = [int(a) for a in sys.argv[1:] if not a.startswith("--")]
    given = [a.removeprefix("--rounds=") for a in sys.argv if a.startswith("--rounds=")]
    main(
        *(args + [100, 1000][len(args) :]),
        push_only="--push-only" in sys.argv,
        update="--update" in sys.argv,
        audit_only="--audit-only" in sys.argv,
        by_query="--by-query" in sys.argv,
        rounds=int(given[-1]) if given else 1,
    )
