"""``quizapp serve``: the real server on loopback, driven over its websocket as the browser
page drives it (page served, the home screen's text arrives, a key press acts, q closes);
the host policy and messages. Skipped without the serve extra (textual-serve)."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from quizapp.cli import main

ROOT = Path(__file__).resolve().parents[2]
ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _first_line(proc: subprocess.Popen[str], timeout: float) -> str:
    import selectors

    with selectors.DefaultSelector() as sel:
        assert proc.stdout is not None
        sel.register(proc.stdout, selectors.EVENT_READ)
        if not sel.select(timeout):
            proc.kill()
            raise AssertionError(f"quizapp serve printed nothing in {timeout} s")
        return proc.stdout.readline()


@pytest.fixture
def server(tmp_path: Path):
    pytest.importorskip("textual_serve")
    port = _free_port()
    env = {**os.environ, "QUIZAPP_HOME": str(tmp_path / "home"), "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "quizapp", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    first = _first_line(proc, timeout=60)  # printed once the server listens
    try:
        yield port, first
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            out, err = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
        assert proc.returncode == 0, err
        assert "quizapp serve: stopped" in out


async def _read_until(ws, word: str, timeout: float = 90.0) -> str:  # type: ignore[no-untyped-def]
    import aiohttp

    seen = ""
    deadline = time.monotonic() + timeout
    while word not in seen:
        left = deadline - time.monotonic()
        assert left > 0, f"{word!r} never arrived; the screen showed: {seen[-800:]!r}"
        msg = await ws.receive(timeout=left)
        if msg.type == aiohttp.WSMsgType.BINARY:
            seen += ANSI.sub("", msg.data.decode("utf-8", "replace"))
        elif msg.type != aiohttp.WSMsgType.TEXT:
            raise AssertionError(f"the websocket closed before {word!r} arrived: {msg.type}")
    return seen


@pytest.mark.slow  # a served app end to end (CI has the extra); by default: the web driver
async def test_the_app_in_a_browser_over_the_websocket(server) -> None:
    aiohttp = pytest.importorskip("aiohttp")
    port, first = server
    assert f"quizapp is served at http://127.0.0.1:{port}/" in first
    assert "only this computer can connect" in first
    async with aiohttp.ClientSession() as session:
        async with session.get(f"http://127.0.0.1:{port}/") as page:
            assert page.status == 200
            html = await page.text()
        assert f"ws://127.0.0.1:{port}/ws" in html and "textual.js" in html
        url = f"http://127.0.0.1:{port}/ws?width=100&height=30"
        async with session.ws_connect(url) as ws:
            home = await _read_until(ws, "enter studies the selected row")
            assert "Decks" in home and "Optimizers" in home and "q Quit" in home
            await ws.send_json(["stdin", "?"])  # a key press acts: the help screen opens
            help_screen = await _read_until(ws, "escape closes")
            assert "Keys" in help_screen
            await ws.send_json(["stdin", "\x1b"])
            await asyncio.sleep(0.3)
            await ws.send_json(["stdin", "q"])  # q on home quits: the app ends, the socket closes
            closed = False
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                msg = await ws.receive(timeout=deadline - time.monotonic())
                if msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
                    closed = True
                    break
            assert closed


# --------------------------------------------------------------------- policy, messages
@pytest.fixture
def no_serving(monkeypatch):  # type: ignore[no-untyped-def]
    """Run the command up to the point where it would serve."""
    server_module = pytest.importorskip("textual_serve.server")
    started: list[object] = []
    monkeypatch.setattr(
        server_module.Server, "serve", lambda self, debug=False: started.append(self)
    )
    return started


def test_loopback_by_default_and_said_so(capsys, no_serving) -> None:
    assert main(["serve", "--port", str(_free_port())]) == 0
    (server,) = no_serving
    assert server.host == "127.0.0.1"
    out, err = capsys.readouterr()
    assert "WARNING" not in err
    assert server.command.endswith("-m quizapp --home " + str(os.environ["QUIZAPP_HOME"]))


def test_another_host_only_when_asked_and_with_a_warning(capsys, no_serving) -> None:
    assert main(["serve", "--host", "0.0.0.0", "--port", str(_free_port())]) == 0
    (server,) = no_serving
    assert server.host == "0.0.0.0"
    err = capsys.readouterr().err
    assert "WARNING: listening on 0.0.0.0: there is no authentication" in err


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (["--port", "0"], 2, "a port is 1-65535, not 0"),
        (["--port", "eighty"], 2, "not a port number: 'eighty'"),
        (["--host", "no-such-host.invalid"], 2, "not an address of this machine"),
    ],
)
def test_bad_arguments(capsys, no_serving, argv, code, message) -> None:
    try:
        result = main(["serve", *argv])
    except SystemExit as exc:
        result = exc.code
    assert result == code
    assert message in capsys.readouterr().err and not no_serving


def test_a_port_in_use_is_a_message(capsys, no_serving) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["serve", "--port", str(port)]) == 1
    assert (
        f"port {port} on 127.0.0.1 is in use; choose another with --port N"
        in capsys.readouterr().err
    )
    assert not no_serving


def test_without_the_extra_the_command_says_how_to_install(capsys, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "textual_serve.server", None)
    assert main(["serve"]) == 1
    assert "python -m pip install 'quizapp[serve]'" in capsys.readouterr().err


def test_home_runs_the_app_under_the_web_driver(capsys, monkeypatch) -> None:
    import quizapp.tui.app as tui_app

    opened: list[object] = []
    monkeypatch.setattr(tui_app, "run_app", lambda catalog: opened.append(catalog) or 0)
    assert main([]) == 0  # stdout is not a terminal here: the text summary
    assert not opened and "Optimizers:" in capsys.readouterr().out
    monkeypatch.setenv("TEXTUAL_DRIVER", "textual.drivers.web_driver:WebDriver")
    assert main([]) == 0
    assert len(opened) == 1 and "Optimizers:" not in capsys.readouterr().out
