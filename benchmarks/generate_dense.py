"""Finding-heavy benchmark maps: a function per three touchpoints, random roles and transitions.

This is the shape of the maps in issue 30's table (10,000 touchpoints, 3,333
functions, about 32,000 findings): every touchpoint has a random Responsible
and Accountable, sometimes a Consulted and an Informed, and about three random
transitions, most of them forward. Unlike ``generate.py``'s journey-shaped map
(few findings), almost every transition is an undeclared handoff.

Usage: ``python benchmarks/generate_dense.py TOUCHPOINTS OUT.yaml [SEED]``
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

__all__ = ["generate_dense_map"]

STAGES = ["awareness", "consideration", "decision", "retention", "advocacy"]


def generate_dense_map(touchpoints: int, *, seed: int = 1) -> str:
    """YAML text of a map with ``touchpoints // 3`` functions and random R/A/C/I.

    Seeded: the same arguments give the same text.
    """
    rng = random.Random(seed)
    functions = max(touchpoints // 3, 1)
    n_departments = functions // 50 + 1
    out = [
        "version: 1",
        f"journey: {{id: dense-{touchpoints}, name: Dense {touchpoints}}}",
        "stages:",
    ]
    out += [f"  - {{id: {s}, name: {s.title()}}}" for s in STAGES]
    out.append("departments:")
    out += [f"  - {{id: d{i}, name: Department {i}}}" for i in range(n_departments)]
    out.append("functions:")
    out += [
        f"  - {{id: f{i}, name: Function {i}, department: d{i % n_departments}}}"
        for i in range(functions)
    ]
    per_stage = max(touchpoints // len(STAGES), 1)
    out.append("touchpoints:")
    for t in range(touchpoints):
        stage = STAGES[min(t // per_stage, len(STAGES) - 1)]
        targets = sorted(
            {
                rng.randrange(touchpoints)
                if rng.random() < 0.1
                else min(t + 1 + rng.randrange(30), touchpoints - 1)
                for _ in range(3)
            }
            - {t}
        )
        owners = f"R: [f{rng.randrange(functions)}], A: f{rng.randrange(functions)}"
        if rng.random() < 0.5:
            owners += f", C: [f{rng.randrange(functions)}]"
        if rng.random() < 0.3:
            owners += f", I: [f{rng.randrange(functions)}]"
        exit_flag = ", exit: true" if t == touchpoints - 1 or rng.random() < 0.02 else ""
        nxt = ", ".join(f"t{x}" for x in targets)
        out.append(
            f"  - {{id: t{t}, name: Touchpoint {t}, stage: {stage}{exit_flag}, "
            f"owners: {{{owners}}}, next: [{nxt}]}}"
        )
    return "\n".join(out) + "\n"


def main() -> None:
    touchpoints, target = int(sys.argv[1]), Path(sys.argv[2])
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    target.write_text(generate_dense_map(touchpoints, seed=seed), encoding="utf-8")


if __name__ == "__main__":
    main()
