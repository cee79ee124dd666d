"""How long the Neo4j driver takes to decode a pull's rows, without a server.

Packs 10,000 rows shaped as `sync/read-touchpoints` returns them (18 plain
values) with the driver's own packstream, then times decoding them (best of
five, CPU seconds): with the driver's pure-Python decoder, and with Neo4j's
optional Rust one when ``neo4j-rust-ext`` is installed.

Usage: ``python benchmarks/bench_bolt_decoding.py`` (needs the ``neo4j`` extra).
"""

from __future__ import annotations

import importlib
import subprocess
import sys
import time
from typing import Any

ROW = [
    "t123",
    "Touchpoint 123",
    "A description of some length here",
    "consideration",
    "web",
    "frontstage",
    True,
    False,
    ["kpi-a", "kpi-b"],
    12.5,
    4.0,
    [],
    [],
    2,
    ["pain"],
    ["quote one"],
    None,
    123,
]
ROWS = 10_000


def decode(python: bool) -> float:
    """CPU seconds to decode the rows, best of five."""
    if python:
        sys.modules["neo4j._rust"] = None  # type: ignore[assignment]  # as without the extension
    # The driver's own (private, untyped) packstream module.
    v1: Any = importlib.import_module("neo4j._codec.packstream.v1")
    Packer, UnpackableBuffer, Unpacker = v1.Packer, v1.UnpackableBuffer, v1.Unpacker

    packed = bytearray()

    class Sink:
        def write(self, data: bytes) -> None:
            packed.extend(data)

    packer = Packer(Sink())
    for _ in range(ROWS):
        packer.pack(ROW)
    best = float("inf")
    for _ in range(5):
        buffer = UnpackableBuffer()
        buffer.data, buffer.used, buffer.p = bytearray(packed), len(packed), 0
        unpacker = Unpacker(buffer)
        started = time.process_time()
        for _ in range(ROWS):
            unpacker.unpack()
        best = min(best, time.process_time() - started)
    return best


def main() -> None:
    if len(sys.argv) > 1:  # one decoder, in a process of its own
        print(f"{decode(sys.argv[1] == 'python'):.3f}")
        return
    for kind in ("python", "rust"):
        run = subprocess.run(
            [sys.executable, __file__, kind], capture_output=True, text=True, check=True
        )
        print(
            f"{kind:6} decoder: {run.stdout.strip()} s CPU for {ROWS:,} rows of {len(ROW)} values"
        )
    print("(the rust line is the Python decoder again when neo4j-rust-ext is not installed)")


if __name__ == "__main__":
    main()
