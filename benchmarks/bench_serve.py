"""Benchmark of the workshop: from an edit to every connected page holding its result.

Starts ``journeygraph serve`` on the generated map, connects CLIENTS event
streams, and makes EDITS edits (a Consulted function set and cleared in turn). Each
client does what the page does on an event: it fetches the new state (findings,
scorecard, the map) and the flow it shows. The latency of one edit at one client
runs from sending the edit to that client holding both; the script prints the
median, p95 and worst over every edit and client.

Usage: ``python benchmarks/bench_serve.py [TOUCHPOINTS [CLIENTS [EDITS [KIND]]]]``
(default 150 touchpoints, 10 clients, 40 edits, kind ``consulted``). KIND
``consulted`` sets and clears a Consulted function in turn: the findings and the
scorecard change, the flow's drawing does not (it is reused). ``rename`` gives the
first touchpoint a new name at each edit, so Graphviz draws the flow anew each time:
the pages are shown a draft on the last layout at once, then the flow's own drawing
(``render``'s) when it is made; the script waits for that before the next edit.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate_map  # noqa: E402


class Client(threading.Thread):
    """One page: an event stream, and on each revision the state and the flow."""

    def __init__(self, host: str, port: int) -> None:
        super().__init__(daemon=True)
        self.host, self.port = host, port
        self.held: dict[int, float] = {}  # revision -> when the page had it all
        self.findings: dict[int, float] = {}  # revision -> when it had the findings
        self.exact: dict[int, float] = {}  # revision -> when it had the flow's own drawing
        self.ready = threading.Event()

    def get(self, path: str) -> bytes:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=600)
        connection.request("GET", path)
        body = connection.getresponse().read()
        connection.close()
        return body

    def run(self) -> None:
        stream = http.client.HTTPConnection(self.host, self.port, timeout=600)
        stream.request("GET", "/api/maps/0/events")
        response = stream.getresponse()
        self.ready.set()
        event = b""
        while True:
            line = response.fp.readline()
            if not line:
                return
            if line.startswith(b"event: "):
                event = line[7:].strip()
            found = re.match(rb"data: (\d+)", line)
            if found and event == b"revision":
                revision = int(found.group(1))
                state = json.loads(self.get("/api/maps/0/state"))
                self.findings.setdefault(state["revision"], time.perf_counter())
                self.flow()
                self.held.setdefault(state["revision"], time.perf_counter())
                self.held.setdefault(revision, time.perf_counter())
            elif line.startswith(b"data: flow") and event == b"drawn":
                self.flow()  # the flow's own drawing, in place of its draft

    def flow(self) -> None:
        view = json.loads(self.get("/api/maps/0/views/flow"))
        if not view.get("draft"):
            self.exact.setdefault(view["revision"], time.perf_counter())


def server_cpu(pid: int) -> tuple[float, float]:
    """CPU seconds (user and system) of process ``pid``, and of its children (the drawing
    processes), from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    own = children = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        cpu = (int(fields[11]) + int(fields[12])) / ticks
        if stat.parent.name == str(pid):
            own += cpu
        elif fields[1] == str(pid):
            children += cpu
    return own, children


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf-token" content="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def main() -> None:
    touchpoints = int(sys.argv[1]) if len(sys.argv) > 1 else 150
    clients = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    edits = int(sys.argv[3]) if len(sys.argv) > 3 else 40
    kind = sys.argv[4] if len(sys.argv) > 4 else "consulted"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.yaml"
        path.write_text(generate_map(touchpoints, max(2, touchpoints // 5)), encoding="utf-8")
        server = subprocess.Popen(
            [sys.executable, "-m", "journeygraph", "serve", str(path), "--port", "0"],
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert server.stdout is not None
            address = server.stdout.readline().strip()
            found = re.match(r"http://([^:/]+):(\d+)/", address)
            assert found is not None, address
            host, port = found.group(1), int(found.group(2))
            run(path, host, port, clients, edits, kind, server.pid)
        finally:
            server.terminate()
            server.wait(timeout=30)


def run(path: Path, host: str, port: int, clients: int, edits: int, kind: str, pid: int) -> None:
    import journeygraph

    m = journeygraph.load(path)
    touchpoint = m.touchpoints[0]
    function = next(f.id for f in m.functions if f.id not in touchpoint.owners.consulted)
    pages = [Client(host, port) for _ in range(clients)]
    for page in pages:
        page.start()
        page.ready.wait(60)
    while not all(page.held for page in pages):  # the first drawing is not an edit's
        time.sleep(0.05)
    csrf = csrf_of(pages[0].get("/").decode("utf-8"))
    load, before = os.getloadavg()[0], server_cpu(pid)
    origin = f"http://{host}:{port}"
    latencies: list[float] = []
    findings: list[float] = []
    answered: list[float] = []
    exact: list[float] = []
    name = touchpoint.name
    for n in range(edits):
        on = n % 2 == 0
        edit: dict[str, object] = {
            "kind": "raci",
            "target": [touchpoint.id, function, "C"],
            "value": on,
            "was": not on,
        }
        if kind == "rename":
            edit = {
                "kind": "touchpoint-set",
                "target": [touchpoint.id],
                "field": "name",
                "value": f"{touchpoint.name} ({n})",
                "was": name,
            }
            name = f"{touchpoint.name} ({n})"
        body = json.dumps({**edit, "revision": 0, "client": "bench"})
        connection = http.client.HTTPConnection(host, port, timeout=60)
        sent = time.perf_counter()
        connection.request(
            "POST",
            "/api/maps/0/edit",
            body,
            {"Content-Type": "application/json", "Origin": origin, "X-CSRF-Token": csrf},
        )
        answer = json.loads(connection.getresponse().read())
        answered.append(time.perf_counter() - sent)
        connection.close()
        assert answer["status"] == "applied", answer
        revision = answer["revision"]
        deadline = time.perf_counter() + 600
        while any(revision not in p.held for p in pages) and time.perf_counter() < deadline:
            time.sleep(0.002)
        latencies += [p.held[revision] - sent for p in pages]
        findings += [p.findings[revision] - sent for p in pages]
        while any(revision not in p.exact for p in pages) and time.perf_counter() < deadline:
            time.sleep(0.002)  # the next edit after the layout is refined: the worst case
        exact += [p.exact[revision] - sent for p in pages]
        time.sleep(0.2)  # people do not edit back to back
    own, drawing = (b - a for a, b in zip(before, server_cpu(pid), strict=True))
    print(f"{len(m.touchpoints)} touchpoints, {clients} clients, {edits} edits ({kind})")
    print(
        f"  CPU (user+sys) over the edits: server {own:.1f} s "
        f"({own / edits * 1000:.0f} ms an edit), drawing processes {drawing:.1f} s; "
        f"load average {load:.1f} at the start, {os.getloadavg()[0]:.1f} at the end"
    )
    for label, times in (
        ("edit answered (written, re-audited)", answered),
        ("every page holding the findings", findings),
        ("every page holding findings and flow", latencies),
        ("every page holding the flow's own drawing", exact),
    ):
        times.sort()
        p95 = times[int(0.95 * (len(times) - 1))]
        print(
            f"  {label}: median {statistics.median(times) * 1000:.0f} ms, "
            f"p95 {p95 * 1000:.0f} ms, worst {times[-1] * 1000:.0f} ms"
        )


if __name__ == "__main__":
    main()
