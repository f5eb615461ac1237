"""The one way a screen reaches the app: ``self.app`` is the :class:`QuizApp` (typed), and
``self.app.ctx`` the :class:`quizapp.study.context.AppContext` with everything below it.
Dialogs are :class:`quizapp.tui.screens.modal.QuizModal` (a module of its own: a first
card shows no dialog, and each screen class costs ~2 M instructions to build)."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar, TypeVar

from textual import getters
from textual.screen import Screen, ScreenResultType

from quizapp.study.context import StoreError
from quizapp.tui.app import STYLES, QuizApp

__all__ = ["MOCK_CSS", "STATS_CSS", "QuizScreen"]

#: The stylesheets of the mock interview's and the stats' screens, loaded by Textual when
#: one of their screens first shows (``CSS_PATH``), not at every start.
MOCK_CSS = STYLES / "mock.tcss"
STATS_CSS = STYLES / "stats.tcss"

T = TypeVar("T")


class QuizScreen(Screen[ScreenResultType]):
    """A full screen of quizapp."""

    #: the stylesheets (``styles/<name>.tcss``) the app loads as the screen is installed,
    #: when not loaded yet (:meth:`QuizApp.use_styles`)
    STYLESHEETS: ClassVar[tuple[str, ...]] = ()

    app = getters.app(QuizApp)

    def commit(self, intent: Callable[[], T], then: Callable[[T], object] | None = None) -> None:
        """Run ``intent`` (a session call that writes progress), then ``then(result)``.

        Every screen that records something goes through here. When the store refuses
        the write (:class:`StoreError`: locked, disk full, read-only, ...) nothing was
        changed, so the screen stays as it is (the learner's typed answer included) and a
        dialog offers to retry the same intent or to quit with exit code 1 and the
        message — never a traceback.
        """
        try:
            result = intent()
        except StoreError as exc:
            from quizapp.tui.screens.store_error import StoreErrorModal

            error = exc  # the except clause unbinds ``exc``; the callback needs it

            def decided(retry: bool | None) -> None:
                if retry:
                    self.commit(intent, then)
                else:
                    self.app.exit(1, return_code=1, message=f"quizapp: {error}")

            self.app.push_screen(StoreErrorModal(error), decided)
            return
        self.app.upkeep_later()
        if then is not None:
            then(result)
