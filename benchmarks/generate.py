"""Journey-shaped benchmark maps: stages in order, mostly forward transitions.

Usage: ``python benchmarks/generate.py TOUCHPOINTS FUNCTIONS OUT.yaml [SEED]``
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

STAGES = ["awareness", "consideration", "decision", "retention", "advocacy"]


def generate_map(touchpoints: int, functions: int, *, seed: int = 1) -> str:
    """YAML text of a map with about three transitions per touchpoint.

    Transitions go mostly to the same or the next stage; about 2% go back to
    an earlier stage and a few run from advocacy back to awareness, so the
    map has loops of every kind. Functions sit in ``functions // 50 + 1``
    departments; declared handoffs cover about half the pairs that need one,
    nine in ten with an SLA. Nine Accountables in ten sit in the Responsible's
    department. The customer layer is there too: two personas, a pain point on
    one touchpoint in ten (half of them addressed by an opportunity), volumes
    and handle times on three in ten, and every function's FTE.
    """
    rng = random.Random(seed)
    n_departments = functions // 50 + 1
    out = [
        "version: 1",
        f"journey: {{id: bench-{touchpoints}, name: Benchmark {touchpoints}}}",
        "stages:",
    ]
    out += [f"  - {{id: {s}, name: {s.title()}, metrics: [{s}-kpi]}}" for s in STAGES]
    out.append("departments:")
    out += [f"  - {{id: d{i}, name: Department {i}}}" for i in range(n_departments)]
    out.append("functions:")
    out += [
        f"  - {{id: f{i}, name: Function {i}, department: d{i % n_departments}, fte: 20}}"
        for i in range(functions)
    ]
    out.append("personas: [{id: p0, name: Newcomer}, {id: p1, name: Regular}]")
    addressed: list[int] = []
    per_stage = touchpoints // len(STAGES)
    stage_of = [min(t // max(per_stage, 1), len(STAGES) - 1) for t in range(touchpoints)]
    first_of = {s: stage_of.index(s) for s in range(len(STAGES)) if s in stage_of}
    responsible = [rng.randrange(functions) for _ in range(touchpoints)]
    out.append("touchpoints:")
    pairs: set[tuple[int, int]] = set()
    for t in range(touchpoints):
        targets: set[int] = set()
        for _ in range(3):
            roll = rng.random()
            if roll < 0.02 and stage_of[t] > 0:  # back to an earlier stage
                target = rng.randrange(0, first_of[stage_of[t]])
            elif roll < 0.03 and stage_of[t] == len(STAGES) - 1:  # the flywheel
                target = rng.randrange(0, max(per_stage, 1))
            else:
                target = min(t + 1 + int(rng.expovariate(1 / 20)), touchpoints - 1)
            if target != t:
                targets.add(target)
        r = responsible[t]
        mates = range(r % n_departments, functions, n_departments)
        a = rng.choice(mates) if rng.random() < 0.9 else rng.randrange(functions)
        owners = f"R: [f{r}], A: f{a}"
        if rng.random() < 0.3:
            owners += f", C: [f{rng.randrange(functions)}]"
        nxt = ", ".join(
            f"{{to: t{x}, weight: {rng.randint(1, 9) / 10}}}" if rng.random() < 0.3 else f"t{x}"
            for x in sorted(targets)
        )
        exit_flag = ", exit: true" if t == touchpoints - 1 or rng.random() < 0.01 else ""
        extra = ""
        if rng.random() < 0.3:
            extra += f", volume: {rng.randint(10, 500)}, handle_minutes: {rng.randint(1, 30)}"
        if rng.random() < 0.1:
            extra += f", experience: {{persona: p{t % 2}, emotion: -1, pain_points: [slow]}}"
            if rng.random() < 0.5:
                addressed.append(t)
        out.append(
            f"  - {{id: t{t}, name: Touchpoint {t}, stage: {STAGES[stage_of[t]]}{exit_flag}, "
            f"owners: {{{owners}}}, next: [{nxt}]{extra}}}"
        )
        pairs.update((r, responsible[x]) for x in targets if responsible[x] != r)
    out.append("handoffs:")
    out += [
        f"  - {{from: f{a}, to: f{b}" + (", sla: 2d}" if rng.random() < 0.9 else "}")
        for a, b in sorted(pairs)
        if rng.random() < 0.5
    ]
    out.append("opportunities:" if addressed else "opportunities: []")
    out += [
        f"  - {{id: o{k}, touchpoints: [t{t}], owner: f{responsible[t]}, status: planned}}"
        for k, t in enumerate(addressed)
    ]
    return "\n".join(out) + "\n"


def main() -> None:
    touchpoints, functions, target = int(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    target.write_text(generate_map(touchpoints, functions, seed=seed), encoding="utf-8")


if __name__ == "__main__":
    main()
