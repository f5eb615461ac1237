"""Smoke test of ``quizapp serve`` as a person sees it: the app in headless Chromium.

    python scripts/serve_screenshot.py [--out serve.png] [--key ?] [--home DIR]

Starts ``quizapp serve`` on a free loopback port (with a fresh temporary home unless
``--home``), opens it in headless Chromium through the DevTools protocol, waits until the
terminal in the page shows the app, optionally presses keys, and saves a PNG screenshot.
Needs the serve extra (textual-serve, which brings aiohttp) and a Chromium
(Debian: ``apt-get install -y chromium``). Exit 1 with a message when something is missing.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise SystemExit(f"serve_screenshot: nothing listens on port {port} after {timeout:.0f} s")


async def capture(app_url: str, devtools_port: int, out: Path, keys: list[str]) -> None:
    import aiohttp

    async with aiohttp.ClientSession() as http:
        deadline = time.monotonic() + 30
        while True:
            try:
                async with http.get(f"http://127.0.0.1:{devtools_port}/json/list") as resp:
                    targets = await resp.json()
                pages = [t for t in targets if t.get("type") == "page"]
                if pages:
                    break
            except aiohttp.ClientError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("serve_screenshot: Chromium's DevTools never answered")
            await asyncio.sleep(0.3)
        async with http.ws_connect(pages[0]["webSocketDebuggerUrl"], max_msg_size=0) as cdp:
            counter = 0

            async def call(method: str, **params: object) -> dict:
                nonlocal counter
                counter += 1
                await cdp.send_json({"id": counter, "method": method, "params": params})
                while True:
                    msg = json.loads((await cdp.receive()).data)
                    if msg.get("id") == counter:
                        if "error" in msg:
                            raise SystemExit(f"serve_screenshot: {method}: {msg['error']}")
                        return msg.get("result", {})

            await call("Page.enable")
            await call("Page.navigate", url=app_url)
            shown = "document.body && document.body.classList.contains('-first-byte')"
            deadline = time.monotonic() + 90
            while True:
                result = await call("Runtime.evaluate", expression=shown, returnByValue=True)
                if result.get("result", {}).get("value") is True:
                    break
                if time.monotonic() > deadline:
                    raise SystemExit("serve_screenshot: the app never appeared in the page")
                await asyncio.sleep(0.3)
            await asyncio.sleep(2.0)  # let the first screen finish drawing
            if keys:  # xterm.js reads keys from its hidden textarea: focus it first
                await call(
                    "Runtime.evaluate", expression="document.querySelector('textarea')?.focus()"
                )
                for key in keys:
                    await call("Input.dispatchKeyEvent", type="keyDown", text=key, key=key)
                    await call("Input.dispatchKeyEvent", type="keyUp", key=key)
                    await asyncio.sleep(1.5)
            shot = await call("Page.captureScreenshot", format="png")
            out.write_bytes(base64.b64decode(shot["data"]))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path("serve.png"), help="PNG to write")
    ap.add_argument("--key", action="append", default=[], help="type this after load (repeatable)")
    ap.add_argument("--home", type=Path, help="quizapp home (default: a fresh temporary one)")
    ap.add_argument("--size", default="1280,860", help="window size W,H (default 1280,860)")
    args = ap.parse_args()
    browser = next((b for b in map(shutil.which, BROWSERS) if b), None)
    if browser is None:
        print(
            "serve_screenshot: no Chromium found (Debian: apt-get install -y chromium)",
            file=sys.stderr,
        )
        return 1
    try:
        import aiohttp  # noqa: F401
        import textual_serve  # noqa: F401
    except ImportError:
        print(
            "serve_screenshot: needs the serve extra: python -m pip install 'quizapp[serve]'",
            file=sys.stderr,
        )
        return 1
    with tempfile.TemporaryDirectory() as scratch:
        home = args.home or Path(scratch) / "home"
        port, devtools = free_port(), free_port()
        env = {**os.environ, "QUIZAPP_HOME": str(home), "PYTHONPATH": str(ROOT)}
        server = subprocess.Popen(
            [sys.executable, "-m", "quizapp", "serve", "--port", str(port)],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        chromium = None
        try:
            wait_for_port(port, 60)
            chromium = subprocess.Popen(
                [
                    browser, "--headless=new", "--no-sandbox", "--disable-gpu",
                    "--hide-scrollbars", f"--window-size={args.size}",
                    f"--remote-debugging-port={devtools}", "--remote-allow-origins=*",
                    f"--user-data-dir={Path(scratch) / 'chromium'}", "about:blank",
                ],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
            asyncio.run(capture(f"http://127.0.0.1:{port}/", devtools, args.out, args.key))
        finally:
            if chromium is not None:
                chromium.terminate()
                chromium.wait(timeout=30)
            server.send_signal(signal.SIGINT)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
    print(f"saved {args.out} ({args.out.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
