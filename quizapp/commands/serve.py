"""``quizapp serve [--port N] [--host H]``: the whole app in a web browser (textual-serve).

Each browser tab that connects gets its own ``quizapp`` process (the home screen), driven
over a websocket by textual-serve's page. It listens on 127.0.0.1 unless ``--host`` says
otherwise, because there is no authentication: whoever can reach the port uses the app and
its progress.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import shlex
import socket
import sys
from pathlib import Path

INSTALL_HINT = "python -m pip install 'quizapp[serve]'  (or: python -m pip install textual-serve)"
LOOPBACK = "127.0.0.1"


def under_web_driver() -> bool:
    """Is this process an app that textual-serve started (its output goes to a browser)?"""
    return "web_driver" in os.environ.get("TEXTUAL_DRIVER", "")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "serve",
        help="run the app in your web browser (127.0.0.1 only, unless --host)",
        description=(
            "Serve the whole app to a web browser with textual-serve: open the address it "
            "prints, and every tab gets its own quizapp on this machine's progress. It listens "
            f"on {LOOPBACK} (this computer only) unless --host is given: there is no "
            "authentication, so anyone who can reach another address can use your quizapp. "
            "Needs the serve extra: python -m pip install 'quizapp[serve]'."
        ),
    )
    p.add_argument("--port", type=_port, default=8000, metavar="N", help="port (default 8000)")
    p.add_argument(
        "--host",
        metavar="H",
        help=f"address to listen on (default {LOOPBACK}); anything else is reachable from "
        "other machines, without a password",
    )
    p.set_defaults(func=run)


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"a port is 1-65535, not {value}")
    return value


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def run(args: argparse.Namespace) -> int:
    try:
        from textual_serve.server import Server
    except ImportError:
        return _fail(f"serving the app needs textual-serve: {INSTALL_HINT}")
    host = LOOPBACK if args.host is None else args.host.strip()
    try:
        family = socket.getaddrinfo(host, args.port, type=socket.SOCK_STREAM)[0][0]
    except (socket.gaierror, UnicodeError) as exc:
        return _fail(f"--host {host!r}: not an address of this machine ({exc})", code=2)
    problem = _port_problem(family, host, args.port)
    if problem:
        return _fail(problem)
    command = shlex.join([sys.executable, "-m", "quizapp", *_passed_on(args)])
    url = f"http://{'[' + host + ']' if ':' in host else host}:{args.port}"
    if _is_loopback(host):
        where = f"only this computer can connect ({host})"
    else:
        where = "other machines can connect"
        print(
            f"quizapp serve: WARNING: listening on {host}: there is no authentication; anyone "
            f"who can reach {url} can use quizapp and change your progress",
            file=sys.stderr,
        )

    class QuizServer(Server):  # type: ignore[misc]
        async def on_startup(self, app: object) -> None:
            print(f"quizapp is served at {url}/ — {where}. Open it in a browser; Ctrl+C stops.")
            sys.stdout.flush()

    server = QuizServer(command, host=host, port=args.port, title="quizapp")
    server.public_url = url
    try:
        server.serve()
    except OSError as exc:
        return _fail(f"cannot listen on {host}:{args.port}: {exc.strerror or exc}")
    except KeyboardInterrupt:
        pass
    print("quizapp serve: stopped")
    return 0


def _passed_on(args: argparse.Namespace) -> list[str]:
    """The global options the app processes need: the same home and decks as this one."""
    from quizapp import paths

    out: list[str] = []
    home = paths.home()
    if home is not None:
        out += ["--home", str(home)]
    for folder in getattr(args, "content", None) or []:
        out += ["--content", str(Path(folder).resolve())]
    return out


def _port_problem(family: int, host: str, port: int) -> str | None:
    probe = socket.socket(family, socket.SOCK_STREAM)
    try:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((host, port))
    except OSError as exc:
        if exc.errno in (98, 48, 10048):  # EADDRINUSE on Linux, macOS, Windows
            return f"port {port} on {host} is in use; choose another with --port N"
        return f"cannot listen on {host}:{port}: {exc.strerror or exc}"
    finally:
        probe.close()
    return None


def _fail(message: str, *, code: int = 1) -> int:
    print(f"quizapp serve: {message}", file=sys.stderr)
    return code
