"""D2: at 80×24 with "Your working" open, the verdict is on screen after submit, and again
after the terminal is resized while the answer is shown. A loaded machine lays the screen
out late: the scroll must follow the layout, not a timer that can fire before it."""

from __future__ import annotations

import pytest
from textual import screen as textual_screen
from textual.widgets import Collapsible

from tests.tui.test_exact_values import open_drill

#: a screen that lays out every 100 ms, as a busy 2-core machine does (Textual's is 1/60 s)
SLOW_UPDATES = 0.1


def _verdict_in_view(screen) -> bool:
    scroll = screen.query_one("#card-scroll")
    verdict = screen.query_one("#drill-verdict")
    region = verdict.region
    return verdict.display and region.height > 0 and scroll.content_region.contains_region(region)


async def _submit_with_working_open(pilot, screen) -> None:
    problem = screen.session.current.problem
    wrong = problem.answers[problem.primary] * 1.5  # the long feedback and the marks
    await pilot.press(*f"{wrong:.6g}")
    await pilot.press("tab", "enter")  # open "Your working"
    await pilot.pause()
    assert not screen.query_one("#working", Collapsible).collapsed
    await pilot.press("tab")  # into the working boxes
    for _ in problem.fields[1:]:
        await pilot.press(*"0.1", "enter")  # the last box's enter goes back to the answer
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause(0.5)
    assert screen.session.last_outcome is not None


@pytest.mark.slow
async def test_the_verdict_is_on_screen_after_submit_with_working_open(
    make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Slow (CI): the default run's submit check is the study session's below (the same
    card, with the rating bar's lines too) and the resize one (a drill opened from home)."""
    monkeypatch.setattr(textual_screen, "UPDATE_PERIOD", SLOW_UPDATES)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_drill(app, pilot, "adam", 1)
        for problem in range(2):  # later problems: the verdict keeps its last size, hidden
            await _submit_with_working_open(pilot, screen)
            sc = screen.query_one("#card-scroll")
            assert _verdict_in_view(screen), (
                problem,
                sc.scroll_y,
                sc.max_scroll_y,
                sc.content_region,
                screen.query_one("#drill-verdict").region,
                screen.focused,
            )
            await pilot.press("space")  # a new problem
            await pilot.pause(0.3)


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
async def test_the_verdict_is_on_screen_in_a_study_session(make_app, monkeypatch) -> None:
    monkeypatch.setattr(textual_screen, "UPDATE_PERIOD", SLOW_UPDATES)
    app = make_app("drill")  # the study screen: the rating bar takes its lines too
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await _submit_with_working_open(pilot, app.screen)
        assert _verdict_in_view(app.screen)


async def test_the_verdict_comes_back_into_view_after_a_resize(make_app, monkeypatch) -> None:
    monkeypatch.setattr(textual_screen, "UPDATE_PERIOD", SLOW_UPDATES)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_drill(app, pilot, "adam", 1)
        await _submit_with_working_open(pilot, screen)
        scroll = screen.query_one("#card-scroll")
        for size in ((80, 16), (120, 40)):
            scroll.scroll_end(animate=False)  # reading the worked solution
            await pilot.pause(0.1)
            await pilot.resize_terminal(*size)
            await pilot.pause(0.3)
            assert _verdict_in_view(screen), size
