"""A small WebDriver BiDi client for Debian's Firefox ESR, for the workshop's Firefox test.

There is no geckodriver package, and nothing may be downloaded at test time;
Firefox speaks WebDriver BiDi itself (``--remote-debugging-port``), over a
WebSocket. This client knows the few commands the test needs: open a page, and
run a function in it (which is how a test clicks, types and reads; WebDriver's
scripts are not the page's, so its Content-Security-Policy does not stop them).
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

PREFERENCES = {
    # Nothing from the network: no updates, no telemetry, no remote settings.
    "app.update.enabled": False,
    "browser.shell.checkDefaultBrowser": False,
    "datareporting.policy.dataSubmissionEnabled": False,
    "toolkit.telemetry.enabled": False,
    "services.settings.server": "http://127.0.0.1:9/",
    "network.captive-portal-service.enabled": False,
    "browser.safebrowsing.update.enabled": False,
}


def find_firefox() -> str | None:
    """Debian's Firefox (``firefox-esr``), or any ``firefox`` on the path."""
    return shutil.which("firefox-esr") or shutil.which("firefox")


class Firefox:
    """A headless Firefox on its own profile, driven over WebDriver BiDi."""

    def __init__(self, executable: str, *, timeout: float = 60) -> None:
        from websockets.sync.client import connect

        self.profile = tempfile.TemporaryDirectory(prefix="journeygraph-firefox-")
        user = "".join(
            f"user_pref({json.dumps(k)}, {json.dumps(v)});\n" for k, v in PREFERENCES.items()
        )
        (Path(self.profile.name) / "user.js").write_text(user, encoding="utf-8")
        self.process = subprocess.Popen(
            [
                executable,
                "--headless",
                "--no-remote",
                "--profile",
                self.profile.name,
                "--remote-debugging-port=0",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert self.process.stderr is not None
        address = None
        deadline = time.monotonic() + timeout
        while address is None and time.monotonic() < deadline:
            line = self.process.stderr.readline()
            if not line:
                break
            found = re.search(r"WebDriver BiDi listening on (ws://\S+)", line)
            address = found.group(1) if found else None
        if address is None:
            self.close()
            raise AssertionError("Firefox did not say where WebDriver BiDi listens")
        # Read what Firefox goes on saying, so that a full pipe never stops it.
        threading.Thread(target=self.process.stderr.read, daemon=True).start()
        self.connection = contextlib.ExitStack()
        self.socket = self.connection.enter_context(
            connect(f"{address}/session", max_size=2**26, open_timeout=timeout)
        )
        self.ids = 0
        self.command("session.new", {"capabilities": {}})
        tree = self.command("browsingContext.getTree", {})
        self.context = tree["contexts"][0]["context"]

    def command(self, method: str, params: dict[str, Any]) -> Any:
        """Send one command and return its result (events in between are not needed)."""
        self.ids += 1
        self.socket.send(json.dumps({"id": self.ids, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv(timeout=60))
            if message.get("id") != self.ids:
                continue
            if message.get("type") == "error":
                raise AssertionError(f"{method}: {message.get('error')}: {message.get('message')}")
            return message["result"]

    def open(self, url: str) -> None:
        self.command(
            "browsingContext.navigate", {"context": self.context, "url": url, "wait": "complete"}
        )

    def run(self, function: str, *arguments: str) -> Any:
        """``function`` (JavaScript source of a function) called in the page with string
        ``arguments``; its value if it is a string, number, boolean or null."""
        result = self.command(
            "script.callFunction",
            {
                "functionDeclaration": function,
                "arguments": [{"type": "string", "value": a} for a in arguments],
                "target": {"context": self.context},
                "awaitPromise": True,
                "resultOwnership": "none",
            },
        )
        if result.get("type") == "exception":
            raise AssertionError(result["exceptionDetails"].get("text"))
        return result["result"].get("value")

    def close(self) -> None:
        if hasattr(self, "connection"):
            self.connection.close()
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.profile.cleanup()
