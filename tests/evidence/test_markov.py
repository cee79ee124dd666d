"""The absorbing-chain expectations against simulation, and against hand computation."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from journeygraph.evidence import Chain, expectations, map_chain
from journeygraph.exceptions import JourneyGraphError
from journeygraph.testing import fragment

CHAIN = Chain(
    {"a": 0.7, "b": 0.3},
    {
        ("a", "b"): 0.6,
        ("a", "c"): 0.3,  # a ends with 0.1
        ("b", "a"): 0.2,
        ("b", "c"): 0.5,
        ("b", "b"): 0.1,  # b ends with 0.2
        ("c", "a"): 0.25,  # c ends with 0.75
    },
)
CHANGES = {("a", "b"), ("b", "c"), ("c", "a")}
LOOPS = {("b", "a"), ("b", "b"), ("c", "a")}


def _simulate(chain: Chain, customers: int, seed: int) -> tuple[float, float, float]:
    rng = random.Random(seed)
    starts = list(chain.start)
    steps_from: dict[str, list[tuple[str, float]]] = {}
    for (a, b), p in chain.steps.items():
        steps_from.setdefault(a, []).append((b, p))
    total = changes = loops = 0
    for _ in range(customers):
        here = rng.choices(starts, [chain.start[s] for s in starts])[0]
        while True:
            roll, chosen = rng.random(), None
            for target, p in steps_from.get(here, []):
                if roll < p:
                    chosen = target
                    break
                roll -= p
            if chosen is None:
                break
            total += 1
            changes += (here, chosen) in CHANGES
            loops += (here, chosen) in LOOPS
            here = chosen
    return total / customers, changes / customers, loops / customers


def test_expectations_match_simulation() -> None:
    exact = expectations(CHAIN, changes=CHANGES, loops=LOOPS)
    simulated = _simulate(CHAIN, 200_000, seed=3)
    for figure, value in zip(
        (exact.steps, exact.changes_of_hands, exact.loop_steps), simulated, strict=True
    ):
        assert value == pytest.approx(figure, rel=0.02)


def test_a_straight_journey_is_counted_exactly() -> None:
    chain = Chain({"a": 1.0}, {("a", "b"): 1.0, ("b", "c"): 1.0})
    e = expectations(chain, changes={("b", "c")}, loops=set())
    assert (e.steps, e.changes_of_hands, e.loop_steps) == (2.0, 1.0, 0.0)


def test_a_journey_nobody_can_leave_is_an_error() -> None:
    chain = Chain({"a": 1.0}, {("a", "b"): 1.0, ("b", "a"): 1.0})
    with pytest.raises(
        JourneyGraphError, match="could go round for ever: no touchpoint among 'a', 'b'"
    ):
        expectations(chain, changes=set(), loops=set())


def test_the_map_chain_uses_weights_and_lets_exits_end() -> None:
    m = fragment(
        """
stages: [{id: s}]
touchpoints:
  - {id: ad, stage: s, entry: true, next: [{to: shop, weight: 3}, {to: chat, weight: 1}]}
  - {id: chat, stage: s, next: [shop]}
  - {id: shop, stage: s, exit: true, next: [ad]}
"""
    )
    chain = map_chain(m)
    assert chain.start == {"ad": 1.0}
    assert chain.steps == {
        ("ad", "shop"): 0.75,
        ("ad", "chat"): 0.25,
        ("chat", "shop"): 1.0,
        ("shop", "ad"): 0.5,
    }


def test_a_step_the_map_marks_as_an_intended_cycle_is_no_step_back() -> None:
    """Steps back round a loop, counted from the definition: inside a loop found without
    the intended steps, to the same or an earlier stage."""
    from journeygraph.evidence.statistics.markov import loop_steps

    def steps(renew_next: str) -> set[tuple[str, str]]:
        m = fragment(
            f"""
stages: [{{id: aware}}, {{id: buy}}, {{id: keep}}]
touchpoints:
  - {{id: ad, stage: aware, entry: true, next: [quote]}}
  - {{id: quote, stage: buy, next: [sign, ad]}}
  - {{id: sign, stage: buy, next: [renew]}}
  - {{id: renew, stage: keep, exit: true, next: [{renew_next}]}}
"""
        )
        return loop_steps(m.to_networkx())

    # Unmarked, renew -> quote closes one loop with ad -> quote -> sign -> renew and
    # quote -> ad: back to an earlier stage twice, and quote -> sign within the stage.
    assert steps("quote") == {("renew", "quote"), ("quote", "ad"), ("quote", "sign")}
    # Marked, the renewal is wanted: only the rework step back is left.
    assert steps("{to: quote, cycle: renewal}") == {("quote", "ad")}


def test_a_map_nobody_can_leave_is_refused_at_its_place_by_the_commands(tmp_path: Path) -> None:
    """`render --view canvas --log` and `report --log` on a map whose loop has no way
    out: one message at the loop's first touchpoint (file:line:col), exit 2, nothing
    written (it was said without a place)."""
    from typer.testing import CliRunner

    from journeygraph.cli import ExitCode, app

    trapped = tmp_path / "trapped.yaml"
    trapped.write_text(
        "version: 1\n"
        "journey: {id: j}\n"
        "stages: [{id: s}]\n"
        "touchpoints:\n"
        "  - {id: a, stage: s, next: [b]}\n"
        "  - {id: b, stage: s, next: [a]}\n",
        encoding="utf-8",
    )
    log = tmp_path / "log.csv"
    log.write_text("case_id,touchpoint,timestamp\nc1,a,1\nc1,b,2\n", encoding="utf-8")
    runs = [
        ["render", str(trapped), "--view", "canvas", "--log", str(log), "-o", "c.svg"],
        ["report", str(trapped), "--log", str(log), "-o", "out"],
    ]
    for args in runs:
        args[-1] = str(tmp_path / args[-1])
        result = CliRunner().invoke(app, args)
        assert result.exit_code == ExitCode.ERROR, result.output
        assert f"{trapped}:5:" in result.stderr
        assert "could go round for ever" in result.stderr
        assert "Traceback" not in result.output
        assert not Path(args[-1]).exists()
