"""The one way a screen reaches the app: ``self.app`` is the :class:`QuizApp` (typed), and
``self.app.ctx`` the :class:`quizapp.study.context.AppContext` with everything below it."""

from __future__ import annotations

from textual import getters
from textual.screen import ModalScreen, Screen, ScreenResultType

from quizapp.tui.app import QuizApp

__all__ = ["QuizModal", "QuizScreen"]


class QuizScreen(Screen[ScreenResultType]):
    """A full screen of quizapp."""

    app = getters.app(QuizApp)


class QuizModal(ModalScreen[ScreenResultType]):
    """A dialog of quizapp (drawn over the screen below it)."""

    app = getters.app(QuizApp)
