"""One headless Chromium for many pages: the DevTools protocol over a pipe (--remote-debugging-pipe:
JSON messages ended by a NUL byte, Chromium reading on its fd 3 and writing on its fd 4), so no
websocket library is needed. Printing each page in its own `chromium --print-to-pdf` costs a browser
start per page (about 4 s each on a small machine, against about 0.7 s here)."""

from __future__ import annotations

import base64
import json
import os
import subprocess
from pathlib import Path
from typing import Any


class Chromium:
    def __init__(self, executable: str, profile: Path) -> None:
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()

        def wire() -> None:  # in the child, before exec: the protocol's two descriptors
            os.dup2(to_browser_r, 3)
            os.dup2(from_browser_w, 4)

        cmd = [executable, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
               "--remote-debugging-pipe", f"--user-data-dir={profile}", "about:blank"]
        self.proc = subprocess.Popen(cmd, pass_fds=(3, 4), preexec_fn=wire,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._count = 0
        self._buffer = b""
        self._events: list[dict[str, Any]] = []

    def call(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> Any:
        """Send one command and return its result (events that arrive meanwhile are kept)."""
        self._count += 1
        message: dict[str, Any] = {"id": self._count, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read()
            if reply.get("id") == self._count:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply["result"]
            self._events.append(reply)

    def _read(self) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            chunk = os.read(self._from_browser, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def _wait(self, method: str, session: str) -> None:
        while not any(e.get("method") == method and e.get("sessionId") == session for e in self._events):
            self._events.append(self._read())
        self._events = [e for e in self._events if e.get("sessionId") != session]

    def _open(self, page: Path, width: int, height: int) -> tuple[str, str]:
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        metrics = {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}
        self.call("Emulation.setDeviceMetricsOverride", metrics, session)
        self.call("Page.enable", session=session)
        self.call("Page.navigate", {"url": page.as_uri()}, session)
        self._wait("Page.loadEventFired", session)
        return target, session

    def pdf(self, page: Path) -> bytes:
        """The page printed as the browser's "print to PDF" does (its own @page size, no header)."""
        target, session = self._open(page, 1000, 1400)
        options = {"preferCSSPageSize": True, "displayHeaderFooter": False}
        data = self.call("Page.printToPDF", options, session)
        self.call("Target.closeTarget", {"targetId": target})
        return base64.b64decode(data["data"])

    def screenshot(self, page: Path, width: int = 800, height: int = 600) -> bytes:
        """A PNG of the page's first screen."""
        target, session = self._open(page, width, height)
        data = self.call("Page.captureScreenshot", {"format": "png"}, session)
        self.call("Target.closeTarget", {"targetId": target})
        return base64.b64decode(data["data"])

    def close(self) -> None:
        try:
            self.call("Browser.close")
        except RuntimeError:
            pass
        os.close(self._to_browser)
        os.close(self._from_browser)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
