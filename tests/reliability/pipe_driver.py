"""A Textual driver that lets a test drive the real app from a pipe (no terminal).

    TEXTUAL_DRIVER=tests.reliability.pipe_driver:PipeDriver python -m quizapp review

Textual reads ``TEXTUAL_DRIVER`` when the app is built, so the process under test is the
exact command a learner runs (argument parsing, deck loading, opening the store, the daily
backup, ``App.run``, the exit code); only the terminal is replaced. The driver is Textual's
headless one (nothing drawn) plus a thread that reads one command per line from stdin:

    key NAME        press a key (Textual key names: space, enter, escape, 3, a, ...)
    text CHARS      type the characters
    state           nothing; just report

Each command is applied with Textual's own Pilot (the way ``run_test`` presses keys) and,
once the app has handled it and settled, answered on stdout with one line::

    ack SEQ {json}

whose JSON says what the learner would see: the screen stack, the answers the study
screen shows as given (``answers``: [item_id, rating] in order — what the learner was told
is recorded), the current item (kind, answered, a trap's statements, a drill's exact
answer to type back), the intents allowed,
and the store's message when the "not saved" dialog is up. An ``ack`` is only written
after the key's effects (a committed answer included) are complete, so a test that kills
the process knows exactly what was confirmed: everything in the last ``ack``, and perhaps
the command it had sent after it.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import os
import sys
import threading
from typing import Any

from textual._context import active_app
from textual.drivers.headless_driver import HeadlessDriver
from textual.pilot import Pilot


class PipeDriver(HeadlessDriver):
    """Headless, with keys from stdin and an acknowledgement per command on stdout."""

    def start_application_mode(self) -> None:
        import faulthandler
        import signal

        # a test that gets no ack can ask where every thread stands (SIGUSR1)
        faulthandler.register(signal.SIGUSR1, file=sys.__stderr__, all_threads=True)
        super().start_application_mode()
        self._pilot = Pilot(self._app)
        self._seq = 0
        threading.Thread(target=self._read_commands, name="pipe-driver", daemon=True).start()

    # -- the command thread ------------------------------------------------------------------
    def _read_commands(self) -> None:
        stdin = sys.__stdin__.buffer if sys.__stdin__ is not None else None
        if stdin is None:
            return
        for raw in stdin:
            line = raw.decode("utf-8").rstrip("\n")
            if not line:
                continue
            try:
                future = asyncio.run_coroutine_threadsafe(self._apply(line), self._loop)
                future.result()
            except (concurrent.futures.CancelledError, RuntimeError) as exc:
                if self._app._exit:  # the app is exiting (the key was q): no more acks
                    return
                _fail(exc)
                return
            except Exception as exc:  # a bad command, or the app could not handle the key
                _fail(exc)
                return

    async def _apply(self, line: str) -> None:
        app = self._app
        # This task was started from the driver's thread, whose context lacks the app;
        # Textual's own tasks (and run_test's Pilot) have it, and layout code needs it.
        active_app.set(app)
        while not app.screen_stack or not app.screen.is_mounted:  # still starting
            await asyncio.sleep(0.01)
        verb, _, arg = line.partition(" ")
        if verb == "key":
            await self._pilot.press(arg)
        elif verb == "text":
            await self._pilot.press(*arg)
        elif verb != "state":
            raise ValueError(f"unknown command {line!r}")
        await self._pilot.pause()
        self._seq += 1
        _write(f"ack {self._seq} {json.dumps(self._report())}\n")

    # -- what the learner sees ---------------------------------------------------------------
    def _report(self) -> dict[str, Any]:
        from quizapp.study.items import DrillView, TrapView
        from quizapp.tui.screens.store_error import StoreErrorModal
        from quizapp.tui.screens.study import StudyScreen

        app = self._app
        stack = list(app.screen_stack)
        out: dict[str, Any] = {"screens": [type(s).__name__ for s in stack]}
        study = next((s for s in reversed(stack) if isinstance(s, StudyScreen)), None)
        if study is not None:
            session = study.session
            state = session.state()
            view = state.view
            out["answers"] = [[a.outcome.item_id, int(a.outcome.rating)] for a in session.history]
            out["allowed"] = sorted(state.allowed)
            out["answered"] = state.answered
            out["revealed"] = state.revealed
            if view is not None:
                out["item"] = view.item_id
                out["kind"] = view.kind
                if isinstance(view, DrillView):  # the exact value, to type back
                    out["exact"] = view.problem.answers_text[view.problem.primary]
                if isinstance(view, TrapView):
                    out["statements"] = len(view.statements)
                    out["trap_mode"] = view.mode
        out["focus"] = type(app.focused).__name__ if app.focused is not None else None
        top = app.screen
        if isinstance(top, StoreErrorModal):
            out["error"] = {"kind": top.error.kind, "message": str(top.error)}
        return out


def _fail(exc: BaseException) -> None:
    import traceback

    traceback.print_exception(exc, file=sys.__stderr__)
    _write(f"error {type(exc).__name__}: {exc}\n")


def _write(text: str) -> None:
    """Straight to fd 1 (Textual redirects ``sys.stdout`` while the app runs)."""
    data = text.encode("utf-8")
    while data:
        data = data[os.write(1, data) :]
