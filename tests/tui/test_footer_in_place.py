"""The footer updates its keys in place: across an answer it keeps the ``FooterKey`` widgets
it already has (relabelled, dimmed or not), adds or removes only the difference, and then
draws exactly what a footer recomposed from the same bindings draws; a key whose
availability changes still comes and goes."""

from __future__ import annotations

from typing import Any

import pytest
from textual.app import App
from textual.widgets._footer import FooterKey

from quizapp.study.items import DrillView, FlashcardView, TrapView
from quizapp.tui.widgets.footer import QuizFooter
from tests.tui.test_flows import trap_keys
from tests.tui.test_footers import assert_footer_true, bottom_line


def keys(app: App[Any]) -> list[FooterKey]:
    return list(app.screen.query_one(QuizFooter).query_children(FooterKey))


def drawn(app: App[Any]) -> tuple[str, list[tuple[Any, ...]]]:
    """The footer's drawn line and every key's state (what a key built from its binding has)."""
    return bottom_line(app), [
        (
            key.key,
            key.key_display,
            key.description,
            key.action,
            key._disabled,
            sorted(key.classes),
            key.tooltip,
            key.compact,
            key.region,
        )
        for key in keys(app)
    ]


async def assert_as_recomposed(pilot: Any, app: App[Any], where: str) -> None:
    """What the footer shows now is what a recompose of it shows."""
    before, old = drawn(app), keys(app)
    footer = app.screen.query_one(QuizFooter)
    footer._composed = None  # forces the recompose it would otherwise skip
    with footer._context():  # as when Textual runs it: the footer composes its keys
        await footer.recompose()
    await pilot.pause()
    assert not set(map(id, old)) & set(map(id, keys(app))), f"{where}: not recomposed"
    assert drawn(app) == before, where


async def step(pilot: Any, app: App[Any], *presses: str) -> tuple[list[FooterKey], list[FooterKey]]:
    """Press, and return the footer's keys before and after."""
    old = keys(app)
    await pilot.press(*presses)
    await pilot.pause()
    return old, keys(app)


def assert_kept(old: list[FooterKey], new: list[FooterKey], where: str) -> None:
    """The keys there before are the same widgets, as far as both rows go."""
    shared = min(len(old), len(new))
    assert shared > 0, where
    assert all(a is b for a, b in zip(old[:shared], new[:shared], strict=True)), where


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
async def test_the_study_footer_keeps_its_keys_and_draws_as_recomposed(make_app) -> None:
    app = make_app(review=True)  # a flashcard, the trap, the drill, a flashcard
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await pilot.pause()
        assert isinstance(screen.session.current, FlashcardView)
        front = assert_footer_true(app, "front")
        assert "Show answer" in front and "Rate" not in front

        old, new = await step(pilot, app, "space")
        assert_kept(old, new, "front -> back")
        back = assert_footer_true(app, "back")
        assert "Rate" in back and "Show answer" not in back
        await assert_as_recomposed(pilot, app, "back")

        view = screen.session.current
        old, new = await step(pilot, app, "3")
        assert isinstance(screen.session.current, TrapView)
        assert_kept(old, new, "rated -> trap")
        assert_footer_true(app, "trap")
        await assert_as_recomposed(pilot, app, "trap")

        view = screen.session.current
        assert isinstance(view, TrapView)
        old, new = await step(pilot, app, trap_keys(view)[1])  # a wrong answer
        assert_kept(old, new, "trap answered")
        answered = assert_footer_true(app, "trap answered")
        assert "Pick" not in answered
        await assert_as_recomposed(pilot, app, "trap answered")

        old, new = await step(pilot, app, "enter")
        assert isinstance(screen.session.current, DrillView)
        assert_kept(old, new, "drill")
        assert_footer_true(app, "drill")
        await assert_as_recomposed(pilot, app, "drill")

        old, new = await step(pilot, app, "escape")  # out of the answer box: Type answer
        assert_kept(old, new, "drill, box left")
        assert "Type answer" in assert_footer_true(app, "drill, box left")
        await assert_as_recomposed(pilot, app, "drill, box left")


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
async def test_same_keys_relabelled_keep_every_widget(make_app) -> None:
    """Answer after answer of flashcards: the footer's row of keys has the same length on
    every front, and it is the same widgets each time."""
    app = make_app("flashcard")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await pilot.pause()
        first = keys(app)
        fronts = 0
        while fronts < 3 and isinstance(screen.session.current, FlashcardView):
            await pilot.press("space", "3")
            await pilot.pause()
            if not isinstance(screen.session.current, FlashcardView):
                break
            now = keys(app)
            if len(now) == len(first):
                assert all(a is b for a, b in zip(first, now, strict=True))
                fronts += 1
            assert_footer_true(app, f"front {fronts}")
        assert fronts > 0
        await assert_as_recomposed(pilot, app, "a later front")


class Dimming(App[None]):
    """A screen of three keys: ``t`` dims ``b`` (its check answers None) or brings it back,
    and shows ``c`` only while ``b`` is dimmed."""

    BINDINGS = [("t", "toggle", "Toggle"), ("b", "bee", "Bee"), ("c", "sea", "Sea")]
    dim = False

    def compose(self) -> Any:
        yield QuizFooter(show_command_palette=False)

    def action_toggle(self) -> None:
        self.dim = not self.dim
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "bee":
            return None if self.dim else True
        if action == "sea":
            return self.dim
        return True


async def test_a_dimmed_key_is_dimmed_in_place_and_a_key_comes_and_goes() -> None:
    app = Dimming()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        first = keys(app)
        assert [k.description for k in first] == ["Toggle", "Bee"]
        assert not first[1].has_class("-disabled")
        old, new = await step(pilot, app, "t")
        assert [k.description for k in new] == ["Toggle", "Bee", "Sea"]
        assert_kept(old, new, "dimmed")
        assert new[1].has_class("-disabled") and new[1]._disabled
        await assert_as_recomposed(pilot, app, "dimmed")
        old, new = await step(pilot, app, "t")
        assert [k.description for k in new] == ["Toggle", "Bee"]
        assert_kept(old, new, "back")
        assert not new[1].has_class("-disabled") and not new[1]._disabled
        await assert_as_recomposed(pilot, app, "back")
