"""Pilot tests of every flow: flashcards, traps and drills (right and wrong), unreadable
drill input, undo, leaving a session, and quitting and reopening with progress intact."""

from __future__ import annotations

import pytest

from quizapp.study.items import DrillView, FlashcardView, TrapView
from quizapp.tui.screens.home import HomeScreen
from quizapp.tui.screens.study import StudyScreen
from quizapp.tui.screens.summary import SummaryScreen
from quizapp.tui.widgets.trap.card import LETTERS
from tests import sampling


def trap_keys(view: TrapView) -> tuple[str, str]:
    """(the right key, a wrong key) for a trap in either mode."""
    if view.mode == "pick":
        wrong = next(i for i in range(len(view.statements)) if i != view.trap_index)
        return LETTERS[view.trap_index], LETTERS[wrong]
    return ("y", "n") if view.holds else ("n", "y")


async def answer_current(pilot, app) -> None:
    """Answer whatever item is showing (right where it is graded) and go on."""
    view = app.screen.session.current
    if isinstance(view, FlashcardView):
        await pilot.press("space", "3")
    elif isinstance(view, TrapView):
        await pilot.press(trap_keys(view)[0], "enter")
    else:
        box = app.screen.query_one(f"#answer-{view.problem.primary}")
        box.value = repr(view.problem.answers[view.problem.primary])
        box.focus()
        await pilot.press("enter", "enter")


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
async def test_flashcard_reveal_and_rate(make_app) -> None:
    app = make_app(review=True)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        view = screen.session.current
        assert isinstance(view, FlashcardView)
        # the answer is not shown (its line is built when it first shows)
        assert not [back for back in screen.query("#back") if back.display]
        await pilot.press("space")
        assert screen.session.revealed and screen.query_one("#back").display
        labels = [str(b.label) for b in screen.query("RatingBar Button.rate")]
        assert all("·" in label for label in labels)  # every button shows its interval
        await pilot.press("3")
        reviews = app.ctx.store.reviews(view.item_id)
        assert [int(r.rating) for r in reviews] == [3]
        assert screen.session.position == 1


async def test_flashcard_rating_needs_reveal(make_app) -> None:
    app = make_app(review=True)
    async with app.run_test() as pilot:
        await pilot.press("3")  # not revealed yet: nothing happens
        assert app.ctx.store.review_count() == 0


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
async def test_trap_right_then_wrong_with_override(make_app) -> None:
    app = make_app("trap")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        view = screen.session.current
        assert isinstance(view, TrapView)
        right, _ = trap_keys(view)
        await pilot.press(right)
        outcome = screen.session.last_outcome
        assert outcome is not None and outcome.correct
        assert screen.query_one("#trap-verdict").display
        assert "Correct" in str(screen.query_one("#trap-explain").render())
        # undo, then answer wrong and override the automatic Again with Hard
        await pilot.press("u")
        assert screen.session.last_outcome is None and app.ctx.store.review_count() == 0
        _, wrong = trap_keys(view)
        await pilot.press(wrong)
        assert screen.session.last_outcome.correct is False
        assert int(screen.session.last_outcome.rating) == 1
        await pilot.press("2")
        reviews = app.ctx.store.reviews(view.item_id)
        assert [(int(r.rating), r.correct) for r in reviews] == [(2, False)]
        await pilot.pause()
        # Hard leaves a new item in a learning step: it comes back in this session
        assert app.screen is screen and screen.session.current.item_id == view.item_id


async def test_the_unreadable_line_goes_once_the_box_reads(make_app) -> None:
    """D1: "Could not read that" is about what was submitted; once the box is edited into
    something readable (the live "reads as" says so) the line goes, still unsubmitted."""
    app = make_app("drill")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen.session.current, DrillView)
        await pilot.press(*"suq", "enter")
        await pilot.pause()
        error = screen.query_one("#drill-error")
        assert error.display and "Could not read that" in str(error.render())
        await pilot.press("backspace")  # "su": still unreadable, the line stays
        await pilot.pause()
        assert error.display
        await pilot.press("backspace", "backspace", *"39*241")
        await pilot.pause()
        assert "reads as" in str(screen.query_one(".preview").render())
        assert not error.display and str(error.render()) == ""
        assert screen.session.last_outcome is None and app.ctx.store.review_count() == 0


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
async def test_drill_unreadable_costs_nothing_then_wrong_and_right(make_app) -> None:
    app = make_app("drill")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        view = screen.session.current
        assert isinstance(view, DrillView)
        primary = view.problem.primary
        # unreadable: explained in place, nothing recorded
        await pilot.press(*"1.2.3", "enter")
        error = screen.query_one("#drill-error")
        assert error.display and "Nothing was recorded" in str(error.render())
        assert screen.session.last_outcome is None
        assert app.ctx.store.review_count() == 0
        assert "?" in str(screen.query_one(".preview").render())
        # wrong
        box = screen.query_one(f"#answer-{primary}")
        box.value = ""
        await pilot.press(*"123456", "enter")
        outcome = screen.session.last_outcome
        assert outcome is not None and outcome.correct is False
        assert screen.query_one("#drill-verdict").display
        assert "exact" in app.export_screenshot()  # the per-field marks are on screen
        assert app.ctx.store.review_count() == 1
        # undo and answer right with the exact value (same numbers shown again)
        await pilot.press("u")
        assert screen.session.current.problem == view.problem
        assert app.ctx.store.review_count() == 0
        box = screen.query_one(f"#answer-{primary}")
        box.value = repr(view.problem.answers[primary])
        box.focus()
        await pilot.press("enter")
        assert screen.session.last_outcome.correct is True
        assert "✓ Correct" in str(screen.query_one("#drill-verdict").render())
        await pilot.press("enter")  # accept the automatic rating and go on
        reviews = app.ctx.store.reviews(view.item_id)
        assert len(reviews) == 1 and reviews[0].correct


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
async def test_drill_intermediate_fields_are_graded(make_app) -> None:
    app = make_app("drill")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        problem = screen.session.current.problem
        other = next(f.name for f in problem.fields if f.name != problem.primary)
        screen.query_one(f"#answer-{other}").value = "0"
        screen.query_one(f"#answer-{problem.primary}").value = repr(
            problem.answers[problem.primary]
        )
        screen.query_one(f"#answer-{problem.primary}").focus()
        await pilot.press("enter")
        verdict = screen.session.last_outcome.verdict
        assert {f.field for f in verdict.fields} == {other, problem.primary}
        assert not verdict.correct or verdict.fields


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
async def test_undo_flashcard_restores_progress(make_app) -> None:
    app = make_app(review=True)
    async with app.run_test() as pilot:
        first = app.screen.session.current
        await pilot.press("space", "4")
        assert app.ctx.store.review_count() == 1
        await pilot.press("u")
        assert app.ctx.store.review_count() == 0
        assert app.screen.session.current == first
        assert app.ctx.store.get(first.item_id) is None


async def test_escape_ends_with_summary_then_home(make_app) -> None:
    app = make_app(review=True)
    async with app.run_test() as pilot:
        await pilot.press("space", "3", "escape")
        assert isinstance(app.screen, SummaryScreen)
        assert app.screen.summary.answered == 1
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)  # built now: the app started in the session
        assert "1 answered today" in str(app.screen.query_one("#today").render())
        assert app.screen.query_one("#decks").row_count == 3


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
async def test_full_review_reaches_summary(make_app) -> None:
    app = make_app(review=True)
    async with app.run_test(size=(120, 40)) as pilot:
        session = app.screen.session
        while not session.finished:
            await answer_current(pilot, app)
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        # four new items; the flashcards and the trap (rated Good) come back once for the
        # 10-minute learning step, the fast right drill (Easy) graduates at once
        assert app.screen.summary.answered == 7
        sessions = app.ctx.store.sessions()
        assert sessions and sessions[-1].summary["answered"] == 7


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
async def test_quit_and_reopen_keeps_progress(make_app) -> None:
    app = make_app(review=True)
    async with app.run_test() as pilot:
        await answer_current(pilot, app)
        await answer_current(pilot, app)
        # the drill's answer box has the focus: escape leaves it, then ends the session
        await pilot.press("escape", "escape", "enter")
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("q")
    again = make_app()
    async with again.run_test() as pilot:
        overview = again.ctx.overview()
        assert again.ctx.store.review_count() == 2
        assert overview.new_total == 2  # two of four items are no longer new
        assert "2" in str(again.screen.query_one("#today").render())


async def test_home_enter_studies_selected_topic(make_app) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("down", "enter")  # the first topic row under the deck
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        assert screen.session.total == 3 and "adam" in screen.study_title
        await pilot.press("escape")  # nothing answered: straight back home
        assert isinstance(app.screen, HomeScreen)


@pytest.mark.slow
async def test_help_mock_and_stats_from_home(make_app) -> None:
    """Slow (CI): by default test_home.py::test_every_key_opens_its_screen_and_escape_comes_back
    opens the mock setup and stats with their keys and comes back; test_footers.py opens help."""
    from quizapp.tui.screens.help import HelpScreen
    from quizapp.tui.screens.mock_setup import MockSetupScreen
    from quizapp.tui.screens.stats import StatsScreen

    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen)
        await pilot.press("escape")
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, MockSetupScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
async def test_drill_practice_from_picker(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("d")
        assert type(app.screen).__name__ == "DrillPickScreen"
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, StudyScreen) and screen.session.mode == "practice"
        problem = screen.session.current.problem
        screen.query_one(f"#answer-{problem.primary}").value = repr(
            problem.answers[problem.primary]
        )
        await pilot.press("enter")
        assert screen.session.last_outcome.correct
        await pilot.press("enter")
        assert screen.session.current.problem != problem
        # Practice is logged when answered (cram mode) but never scheduled.
        assert app.ctx.store.review_count() == 1
        review = app.ctx.store.reviews()[0]
        assert review.mode == "cram" and review.seed == problem.seed and review.correct
        state = app.ctx.store.get(review.item_id)
        assert state is not None and state.reps == 0 and state.due is None


@pytest.mark.slow
async def test_command_palette_starts_a_drill(make_app) -> None:
    """Slow (CI): by default test_home.py::test_the_palette_reaches_browse_lab_and_stats opens
    a screen from the palette, and test_drill_practice_from_picker starts a drill."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"bias correction")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, StudyScreen)


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
async def test_footer_keys_do_not_pile_up(make_app) -> None:
    """Recomposed footer keys must not stay alive (Textual's data_bind watchers held them)."""
    import gc

    from textual.widgets._footer import FooterKey

    app = make_app(review=True)
    async with app.run_test() as pilot:
        # each round changes the footer three times: 5 rounds by default (a footer key
        # kept per change would be 15 or more, over the 12 allowed), 10 in the full run (CI)
        for _ in range(10 if sampling.FULL else 5):
            await pilot.press("space", "3", "u")
            await pilot.pause()
        assert app.ctx.store.review_count() == 0
        gc.collect()
        detached = [o for o in gc.get_objects() if isinstance(o, FooterKey) and not o.is_attached]
        assert len(detached) <= 12


async def test_mouse_works_on_buttons(make_app) -> None:
    """Click to reveal, click a rating, click a trap statement, click Next in practice."""
    app = make_app(review=True)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        first = screen.session.current
        assert isinstance(first, FlashcardView)
        await pilot.click("#flashcard")
        assert screen.session.revealed
        await pilot.click("#rate-3")
        assert [int(r.rating) for r in app.ctx.store.reviews(first.item_id)] == [3]
        view = screen.session.current
        assert isinstance(view, TrapView)
        right, _ = trap_keys(view)
        from quizapp.tui.widgets.trap.card import Choice

        target = next(c for c in screen.query(Choice) if c.key == right)
        await pilot.click(target)
        await pilot.pause()
        assert screen.session.last_outcome is not None and screen.session.last_outcome.correct
    practice = make_app(drill="bias-correction")
    async with practice.run_test(size=(120, 40)) as pilot:
        screen = practice.screen
        problem = screen.session.current.problem
        box = screen.query_one(f"#answer-{problem.primary}")
        box.value = "1"
        box.focus()
        await pilot.press("enter")
        assert screen.session.last_outcome is not None
        await pilot.pause()
        await pilot.click("#next-item")
        assert screen.session.current.problem != problem


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
async def test_drill_with_a_seed_shows_that_problem(make_ctx) -> None:
    from quizapp.engine import drills
    from quizapp.tui.app import QuizApp

    app = QuizApp(make_ctx(7), start="drill", drill_kind="adam", drill_seed=12345)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        assert screen.session.current.problem == drills.generate("adam", 12345)


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
async def test_flashcard_hint_waits_to_be_asked_for(make_app) -> None:
    app = make_app("flashcard")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        while screen.session.current.item_id != "t.card.bias":
            screen.session.skip()
            screen.render_session()
        await pilot.pause()
        # not shown before it is asked for (its line is built when it first shows)
        assert not [hint for hint in screen.query("#hint") if hint.display]
        await pilot.press("h")
        await pilot.pause()
        hint = screen.query_one("#hint")
        assert hint.display and "one step from zero" in str(hint.render())
        await pilot.press("space")
        await pilot.pause()
        assert not hint.display and screen.session.revealed
