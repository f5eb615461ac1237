"""Issue 10 item 1: whenever a drill is shown the first empty answer box has the focus;
while a box has it, printable keys are typed (never actions) and skip, undo and help stay
reachable on ctrl+s, ctrl+z and F1; escape leaves the box first; the footer shows what
the keys do now."""

from __future__ import annotations

import pytest
from textual.widgets import Input
from textual.widgets._footer import FooterKey

from quizapp.study.items import DrillView, FlashcardView, TrapView
from quizapp.tui.screens.help import HelpScreen
from quizapp.tui.screens.study import StudyScreen
from tests import sampling
from tests.tui.test_flows import trap_keys


def footer(app) -> dict[str, str]:
    """What the footer shows: description -> key as displayed."""
    return {
        key.description: key.key_display for key in app.screen.query(FooterKey) if key.description
    }


def primary_box(screen: StudyScreen) -> Input:
    view = screen.session.current
    assert isinstance(view, DrillView)
    return screen.query_one(f"#answer-{view.problem.primary}", Input)


def assert_primary_focused_and_empty(app) -> None:
    box = primary_box(app.screen)
    assert app.screen.focused is box, app.screen.focused
    assert box.value == ""


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
async def test_first_drill_of_a_session_takes_typing_at_once(make_app) -> None:
    app = make_app("drill")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"0.5")  # typed before anything else: nothing may get lost
        await pilot.pause()
        assert primary_box(app.screen).value == "0.5"
        assert app.screen.focused is primary_box(app.screen)


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
async def test_focus_after_a_flashcard_a_trap_next_and_undo(make_app) -> None:
    app = make_app(review=True)  # a flashcard, the trap, the drill, a flashcard
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen.session.current, FlashcardView)
        await pilot.press("space", "3")
        view = screen.session.current
        assert isinstance(view, TrapView)
        await pilot.press(trap_keys(view)[0], "enter")  # answered, then Next
        await pilot.pause()
        assert isinstance(screen.session.current, DrillView)
        assert_primary_focused_and_empty(app)
        await pilot.press(*"123", "enter")  # a wrong answer
        await pilot.pause()
        assert screen.session.last_outcome is not None
        assert screen.focused is None  # the verdict is shown: keys are actions again
        await pilot.press("u")
        await pilot.pause()
        assert screen.session.last_outcome is None
        assert_primary_focused_and_empty(app)  # shown again as it was first shown


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
async def test_focus_after_a_drill_in_practice(make_app) -> None:
    app = make_app(drill="bias-correction")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        for _ in range(3 if sampling.FULL else 2):  # the first problem and a next one; 3 in CI
            await pilot.pause()
            assert_primary_focused_and_empty(app)
            await pilot.press(*"1", "enter")
            await pilot.pause()
            assert screen.session.last_outcome is not None
            await pilot.press("enter")  # next problem
            await pilot.pause()


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
async def test_printable_keys_are_typed_and_ctrl_keys_act(make_app) -> None:
    app = make_app(review=True)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await pilot.press("space", "3")
        await pilot.press(trap_keys(screen.session.current)[0], "enter")
        await pilot.pause()
        drill = screen.session.current
        assert isinstance(drill, DrillView)
        keys = footer(app)
        assert keys["Skip"] == "^s" and keys["Undo"] == "^z" and keys["Help"] == "f1"
        assert "Convention" not in keys  # c is typed into the box now
        await pilot.press(*"sucqhy?n1234")
        await pilot.pause()
        assert primary_box(screen).value == "sucqhy?n1234"
        assert screen.session.current is drill and screen.session.last_outcome is None
        assert app.ctx.store.review_count() == 2  # nothing rated, skipped or undone
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("ctrl+z")  # takes back the trap's answer
        await pilot.pause()
        assert app.ctx.store.review_count() == 1
        assert isinstance(screen.session.current, TrapView)


async def test_ctrl_s_skips_and_escape_leaves_the_box_first(make_app) -> None:
    app = make_app("drill", seed=7)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await pilot.pause()
        assert screen.focused is primary_box(screen)
        await pilot.press("escape")
        await pilot.pause()
        assert screen.focused is None and app.screen is screen  # still studying
        keys = footer(app)
        assert keys.get("Convention") == "c" and "Type answer" in keys
        await pilot.press("c")
        await pilot.pause()
        assert not screen.query_one("#convention").collapsed
        await pilot.press("enter")  # back into the box
        await pilot.pause()
        assert screen.focused is primary_box(screen)


async def test_skip_from_inside_the_box(make_app) -> None:
    app = make_app(review=True)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await pilot.press("space", "3")
        await pilot.press(trap_keys(screen.session.current)[0], "enter")
        await pilot.pause()
        drill = screen.session.current
        assert isinstance(drill, DrillView)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert screen.session.current is not drill
        assert isinstance(screen.session.current, FlashcardView)
        assert screen.focused is None


# -- issue 10 item 4: space/enter = Good after the reveal; working boxes never submit ----
# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
async def test_space_or_enter_after_the_reveal_rates_good(make_app) -> None:
    app = make_app("flashcard")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        first = screen.session.current
        await pilot.press("space")
        await pilot.pause()
        assert footer(app).get("Good") == "space"
        await pilot.press("space")
        second = screen.session.current
        await pilot.press("enter", "enter")  # enter reveals, then enter is Good too
        reviews = app.ctx.store.reviews()
        assert [(r.item_id, int(r.rating)) for r in reviews] == [
            (first.item_id, 3),
            (second.item_id, 3),
        ]


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
async def test_enter_in_a_working_box_moves_on_and_submitting_needs_the_asked_field(
    make_app,
) -> None:
    app = make_app("drill")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        await pilot.pause()
        problem = screen.session.current.problem
        working = [f.name for f in problem.fields if f.name != problem.primary]
        assert len(working) >= 2
        await pilot.click("#working CollapsibleTitle")
        await pilot.pause()
        first = screen.query_one(f"#answer-{working[0]}", Input)
        first.focus()
        await pilot.pause()
        assert footer(app).get("Next box") == "⏎"
        await pilot.press("1", "enter")
        await pilot.pause()
        assert screen.focused is screen.query_one(f"#answer-{working[1]}")
        assert screen.session.last_outcome is None  # a half answer is not submitted
        for _ in working[1:]:
            await pilot.press("enter")
        await pilot.pause()
        assert screen.focused is primary_box(screen)  # after the last working box
        await pilot.press("enter")  # the asked-for box is empty: nothing is graded
        await pilot.pause()
        assert screen.session.last_outcome is None and app.ctx.store.review_count() == 0
        error = str(screen.query_one("#drill-error").render())
        assert "asked for" in error and "Nothing was recorded" in error
        await pilot.press(*"0.5", "enter")
        await pilot.pause()
        outcome = screen.session.last_outcome
        assert outcome is not None and working[0] in {f.field for f in outcome.verdict.fields}


# -- issue 10 item 5: long feedback scrolls with ↑ ↓ PgUp PgDn, no tabbing first --------
async def test_long_feedback_scrolls_with_the_arrow_and_page_keys(make_app) -> None:
    app = make_app("trap")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        scroll = screen.query_one("#card-scroll")
        await pilot.press(trap_keys(screen.session.current)[1])  # wrong: the long verdict
        await pilot.pause()
        assert scroll.max_scroll_y > 0 and screen.focused is None
        assert footer(app).get("Scroll") == "PgUp/Dn"  # ↑↓ scroll too
        start = scroll.scroll_y
        await pilot.press("down", "down")
        await pilot.pause()
        assert scroll.scroll_y == start + 2
        await pilot.press("pagedown")
        await pilot.pause()
        assert scroll.scroll_y == scroll.max_scroll_y or scroll.scroll_y > start + 2
        await pilot.press("pageup", "pageup", "up")
        await pilot.pause()
        assert scroll.scroll_y == 0


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
async def test_the_card_scrolls_while_typing_and_scroll_shows_only_when_it_can(
    make_app,
) -> None:
    app = make_app("drill")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "Scroll" not in footer(app)  # everything fits at 120×40
    app = make_app("drill")
    async with app.run_test(size=(80, 16)) as pilot:
        screen = app.screen
        await pilot.pause()
        scroll = screen.query_one("#card-scroll")
        box = primary_box(screen)
        assert screen.focused is box and scroll.max_scroll_y > 0
        await pilot.press("pagedown")
        await pilot.pause()
        assert scroll.scroll_y > 0 and screen.focused is box


def assert_footer_fits(app) -> None:
    """Every key the footer shows is on screen in full (none cut at the right edge)."""
    width = app.screen.size.width
    keys = list(app.screen.query(FooterKey))
    assert keys
    for key in keys:
        assert key.region.width > 0 and key.region.right <= width, (key.description, width)


async def test_the_study_footer_fits_80_columns_in_every_state(make_app) -> None:
    app = make_app(review=True)  # a flashcard, the trap, the drill, a flashcard
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await pilot.pause()
        assert_footer_fits(app)  # the flashcard's front
        await pilot.press("space")
        await pilot.pause()
        assert_footer_fits(app)  # its back
        await pilot.press("3")
        await pilot.press(trap_keys(screen.session.current)[1])
        await pilot.pause()
        assert_footer_fits(app)  # a wrong trap
        await pilot.press("enter")
        await pilot.pause()
        assert_footer_fits(app)  # typing in a drill
        await pilot.press("escape")
        await pilot.pause()
        assert_footer_fits(app)  # a drill, out of the box
        await pilot.press(*"123", "enter")
        await pilot.pause()
        assert_footer_fits(app)  # a graded drill (convention, undo, scroll, ...)


# -- issue 13: the "see it" key opens the lab on the item's experiment -----------------
async def test_see_it_opens_the_lab_and_escape_returns_to_the_same_card(make_app) -> None:
    from quizapp.tui.screens.lab import LabScreen

    app = make_app(drill="adam")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        await pilot.pause()
        assert "See it" not in footer(app)  # not before the answer: lab time is not answer time
        await pilot.press("1", "enter")
        await pilot.pause()
        problem, outcome = screen.session.current.problem, screen.session.last_outcome
        assert footer(app).get("See it") == "l"
        await pilot.press("l")
        await pilot.pause()
        lab = app.screen
        assert isinstance(lab, LabScreen) and lab.session.state.experiment == "adam-scale"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        assert screen.session.current.problem == problem
        assert screen.session.last_outcome is outcome


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
async def test_see_it_only_where_the_lab_has_an_experiment(make_app) -> None:
    app = make_app("flashcard")  # t.card.bias (topic adam) and t.card.eps (topic basics)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        seen = {}
        for _ in range(2):
            await pilot.press("space")
            await pilot.pause()
            seen[screen.session.current.item_id] = footer(app).get("See it")
            await pilot.press("4")
        assert seen == {"t.card.bias": "l", "t.card.eps": None}


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
async def test_the_working_boxes_keys_say_what_enter_does(make_app) -> None:
    """usertest2 D5: in a working box enter moves on (the footer must say so, and the hint
    under the boxes must not say "enter submits"), and the focused "Your working" toggle
    had no footer entry."""
    app = make_app(drill="adam")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await pilot.pause()
        hint = screen.query_one("#drill-keys")
        assert footer(app).get("Submit") == "⏎" and "enter submits" in str(hint.render())
        await pilot.press(*"0.5", "tab")  # the "Your working" toggle
        await pilot.pause()
        assert footer(app).get("Show working") == "⏎"
        await pilot.press("enter")
        await pilot.pause()
        assert footer(app).get("Hide working") == "⏎" and "Show working" not in footer(app)
        await pilot.press("tab")  # the first working box
        await pilot.pause()
        assert isinstance(screen.focused, Input) and screen.focused is not primary_box(screen)
        keys = footer(app)
        assert keys.get("Next box") == "⏎" and "Submit" not in keys
        assert "enter submits" not in str(hint.render()) and "next box" in str(hint.render())
        await pilot.press("enter")  # on to the next box: nothing is graded
        await pilot.pause()
        assert screen.session.last_outcome is None
