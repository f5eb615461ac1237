"""A dialog of quizapp: drawn over the screen below it, reaching the app as a screen does
(:mod:`quizapp.tui.screens.base`)."""

from __future__ import annotations

from typing import ClassVar

from textual import getters
from textual.screen import ModalScreen, ScreenResultType

from quizapp.tui.app import QuizApp

__all__ = ["QuizModal"]


class QuizModal(ModalScreen[ScreenResultType]):
    """A dialog of quizapp (drawn over the screen below it)."""

    #: as :attr:`quizapp.tui.screens.base.QuizScreen.STYLESHEETS`
    STYLESHEETS: ClassVar[tuple[str, ...]] = ()

    app = getters.app(QuizApp)
