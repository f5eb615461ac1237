"""The real app as a process a test drives: ``python -m quizapp … review`` with the pipe
driver (:mod:`tests.reliability.pipe_driver`), or ``tui_run.py`` when a fault must be
injected into it, and a learner who answers what is on screen.

Every byte the app writes is read straight from the pipe (``os.read``, no buffered reader
that could hold lines back at a kill), and a torn last line confirms nothing.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import select
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
RUNNER = Path(__file__).with_name("tui_run.py")
DRIVER = "tests.reliability.pipe_driver:PipeDriver"
#: New items without a daily cap, so `review` always has something to show.
CONFIG = "[scheduling]\nnew_per_day = 9999\nreviews_per_day = 9999\n"
Ack = dict[str, Any]


class AppDied(AssertionError):
    """The app ended (or went silent) while the test waited for it."""


@dataclass
class AppProcess:
    """One run of the app. ``fault_file``/``busy_ms`` start it through ``tui_run.py``."""

    home: Path
    args: tuple[str, ...] = ("review",)
    fault_file: Path | None = None
    busy_ms: int | None = None
    size: tuple[int, int] = (80, 24)
    timeout: float = 60.0
    acks: list[Ack] = field(default_factory=list)
    sent: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        config = self.home / "config.toml"
        if not config.exists():
            config.write_text(CONFIG, encoding="utf-8")
        head: list[str] = [sys.executable]
        if self.fault_file is not None or self.busy_ms is not None:
            head.append(str(RUNNER))
            if self.fault_file is not None:
                head += ["--fault-file", str(self.fault_file)]
            if self.busy_ms is not None:
                head += ["--busy-ms", str(self.busy_ms)]
            head.append("--")
        else:
            head += ["-m", "quizapp"]
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "TEXTUAL_DRIVER": DRIVER,
            "TEXTUAL_ANIMATIONS": "none",
            "COLUMNS": str(self.size[0]),
            "LINES": str(self.size[1]),
        }
        env.pop("QUIZAPP_HOME", None)
        # stderr to a file, not a pipe: a long message (a traceback) into a pipe nobody
        # reads until the end would block the app, and the test would wait for nothing
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 (closed by _drain)
        self.proc = subprocess.Popen(
            [*head, "--home", str(self.home), *self.args],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr,
            env=env, cwd=ROOT,
        )  # fmt: skip
        self._buffer = b""
        self.stderr = ""

    # -- talking to it -------------------------------------------------------------------------
    def send(self, command: str) -> None:
        assert self.proc.stdin is not None
        self.sent.append(command)
        self.proc.stdin.write(command.encode("utf-8") + b"\n")
        self.proc.stdin.flush()

    def do(self, command: str) -> Ack:
        """Send ``command`` and wait for its acknowledgement."""
        self.send(command)
        return self.wait_ack()

    def wait_ack(self) -> Ack:
        deadline = time.monotonic() + self.timeout
        while True:
            ack = self._next_ack()
            if ack is not None:
                return ack
            left = deadline - time.monotonic()
            if left <= 0:
                last = self.acks[-1] if self.acks else None
                raise AppDied(
                    f"no answer from the app for {self.timeout:.0f} s after {self.sent[-4:]};"
                    f" it showed {last}; its threads:\n{self._stacks()}"
                )
            chunk = self._read(left)
            if chunk == b"":
                raise AppDied(f"the app ended (exit {self.proc.wait(timeout=30)}){self._tail()}")
            if chunk is not None:
                self._buffer += chunk

    def _read(self, timeout: float) -> bytes | None:
        """What the app wrote (b"" at its end), or None if nothing came within ``timeout``."""
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        ready, _, _ = select.select([fd], [], [], timeout)
        return os.read(fd, 65536) if ready else None

    def _next_ack(self, *, strict: bool = True) -> Ack | None:
        while b"\n" in self._buffer:
            line, self._buffer = self._buffer.split(b"\n", 1)
            if strict and line.startswith(b"error "):  # the driver could not apply a command
                raise AppDied(f"{line.decode()} (after {self.sent[-3:]})")
            if line.startswith(b"ack "):
                ack = json.loads(line.split(b" ", 2)[2])
                self.acks.append(ack)
                return ack
        return None

    # -- ending it -------------------------------------------------------------------------------
    def kill(self) -> list[Ack]:
        """SIGKILL; then every acknowledgement written before the kill (complete lines)."""
        os.kill(self.proc.pid, signal.SIGKILL)
        return self._drain()

    def finish(self, timeout: float = 60.0) -> int:
        """Wait for the app to exit by itself; its exit code (stderr kept in .stderr)."""
        try:
            code = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AppDied(f"the app did not exit within {timeout:.0f} s") from None
        self._drain()
        return code

    def _drain(self) -> list[Ack]:
        assert self.proc.stdout is not None
        self.proc.wait(timeout=30)
        while chunk := os.read(self.proc.stdout.fileno(), 65536):
            self._buffer += chunk
        self._buffer = self._buffer[: self._buffer.rfind(b"\n") + 1]  # a torn line: nothing
        late = []
        while (ack := self._next_ack(strict=False)) is not None:
            late.append(ack)
        self.stderr = self._read_stderr()
        for stream in (self.proc.stdin, self.proc.stdout, self._stderr):
            if stream is not None:
                with contextlib.suppress(BrokenPipeError):
                    stream.close()
        return late

    def _stacks(self) -> str:
        """Where the app's threads stand (the driver dumps them on SIGUSR1), then kill it."""
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGUSR1)
            time.sleep(1.0)
            self.kill()
        err = self.stderr
        return err if len(err) < 12000 else f"{err[:6000]}\n[…]\n{err[-6000:]}"

    def _read_stderr(self) -> str:
        self._stderr.seek(0)
        return self._stderr.read().decode("utf-8", "replace")

    def _tail(self) -> str:
        if self.proc.poll() is None:
            return ""
        return ": " + self._read_stderr()[-3000:]

    def __enter__(self) -> AppProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc.poll() is None:
            self.kill()


# ------------------------------------------------------------------------- the learner
def answers(ack: Ack) -> list[tuple[str, int]]:
    """The answers the study screen shows as given, in order."""
    return [(item, rating) for item, rating in ack.get("answers", [])]


def in_session(ack: Ack) -> bool:
    return "item" in ack and ack["screens"][-1] == "StudyScreen"


def moves(ack: Ack, rng: random.Random) -> dict[str, str]:
    """What a learner may do now, by intent: ``answer`` (gives an answer), ``rerate``,
    ``undo`` (changes one), ``step`` (reveal, type, next: writes nothing)."""
    kind, allowed = ack.get("kind"), set(ack.get("allowed", ()))
    out: dict[str, str] = {}
    typing = kind == "drill" and not ack["answered"]  # the answer box has the keys
    if "undo" in allowed and not typing:
        out["undo"] = "key u"
    if ack["answered"]:
        out["step"] = "key enter"
        current = ack["answers"][-1][1]  # another rating: the same one just goes on
        out["rerate"] = f"key {rng.choice([r for r in (1, 2, 3, 4) if r != current])}"
    elif kind == "flashcard":
        if ack["revealed"]:
            out["answer"] = f"key {rng.randint(1, 4)}"
        else:
            out["step"] = "key space"
    elif kind == "trap":
        if ack["trap_mode"] == "pick":
            out["answer"] = "key " + "abcdef"[rng.randrange(ack["statements"])]
        else:
            out["answer"] = "key " + rng.choice("yn")
    elif kind == "drill":
        out["answer"] = "key enter"  # after typing (see Learner.step)
    return out


@dataclass
class Learner:
    """Answers whatever the screen shows; sometimes re-rates or undoes."""

    rng: random.Random
    typed_for: str | None = None

    def step(self, ack: Ack, want: str | None = None) -> tuple[str, str]:
        """The next (intent, command): ``want`` when it is possible now, else a step
        towards it (no re-rate or undo on the way); without ``want``, any usual one."""
        if ack.get("kind") == "drill" and not ack["answered"] and self.typed_for != ack["item"]:
            if ack.get("focus") not in ("Input", "AnswerInput"):
                return "step", "key tab"  # into the answer box (a learner would click it)
            if self.typed_for == "clear":  # the box is empty now: right or wrong, readable
                self.typed_for = ack["item"]
                return "step", "text " + self.rng.choice((ack["exact"], ack["exact"], "0.5", "0"))
            self.typed_for = "clear"
            return "step", "key ctrl+u"
        options = moves(ack, self.rng)
        if want in options:
            return want, options[want]  # type: ignore[index]
        if want is not None:  # on to where ``want`` can be made, changing nothing else
            for calm in ("step", "answer"):
                if calm in options:
                    return calm, options[calm]
        weights = {"answer": 6, "step": 6, "rerate": 2, "undo": 1}
        names = list(options)
        if not names:
            return "step", "key escape"
        intent = self.rng.choices(names, [weights[n] for n in names])[0]
        if ack.get("kind") == "drill" and intent == "answer":
            self.typed_for = None  # if it is refused, the box is cleared and typed again
        return intent, options[intent]
