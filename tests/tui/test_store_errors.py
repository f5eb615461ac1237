"""Issue 17, F1: a database error during a session is a message on screen, never a traceback
or exit code 0; the answer being given is kept and can be retried; nothing recorded is lost."""

from __future__ import annotations

import pytest

from quizapp.study.items import FlashcardView
from quizapp.tui.screens.store_error import StoreErrorModal
from quizapp.tui.screens.study import StudyScreen
from tests.reliability.faults import injected

LOCKED, READ_ONLY, DISK_FULL = 5, 8, 13


async def _to_revealed_flashcard(pilot, app) -> FlashcardView:
    screen = app.screen
    assert isinstance(screen, StudyScreen)
    view = screen.session.current
    assert isinstance(view, FlashcardView)
    await pilot.press("space")
    return view


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
@pytest.mark.parametrize("fault", [LOCKED, DISK_FULL])
async def test_a_failed_write_shows_a_message_and_retry_records_the_answer(
    make_app, monkeypatch: pytest.MonkeyPatch, fault: int
) -> None:
    with injected(monkeypatch) as faulty:
        app = make_app(kind="flashcard")
        async with app.run_test(size=(80, 24)) as pilot:
            view = await _to_revealed_flashcard(pilot, app)
            faulty.fault = fault
            await pilot.press("3")
            await pilot.pause()
            modal = app.screen
            assert isinstance(modal, StoreErrorModal) and modal.error.retryable
            text = str(modal.query_one("#store-error-message").render())
            assert "full" in text if fault == DISK_FULL else "lock" in text
            # D23: the store's sentence ends with a full stop, the advice is said once and
            # the dialog's own line is a paragraph of its own
            advice = str(modal.query_one("#store-error-advice").render())
            assert text.rstrip().endswith(".") and "try again" in text
            assert (
                advice == "Everything you answered before is saved; this answer is kept on screen."
            )
            assert modal.query_one("#store-error-advice").styles.margin.top == 1
            assert app.ctx.store.reviews(view.item_id) == []  # nothing half-written
            study = app.screen_stack[-2]
            assert isinstance(study, StudyScreen) and study.session.current is view  # kept
            assert study.session.revealed
            faulty.fault = None  # the other program let go / space was freed
            await pilot.press("r")
            await pilot.pause()
            assert app.screen is study
            assert [int(r.rating) for r in app.ctx.store.reviews(view.item_id)] == [3]


async def test_quitting_after_a_failed_write_exits_1_with_the_message(
    make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    with injected(monkeypatch) as faulty:
        app = make_app(kind="flashcard")
        async with app.run_test(size=(80, 24)) as pilot:
            await _to_revealed_flashcard(pilot, app)
            faulty.fault = READ_ONLY
            await pilot.press("3")
            await pilot.pause()
            assert isinstance(app.screen, StoreErrorModal)
            await pilot.press("q")
            await pilot.pause()
        assert app.return_code == 1
        assert app.return_value == 1


# -- every writing intent of the study screen and drill practice goes through commit ----
async def _fail_then_retry(pilot, app, faulty, keys: tuple[str, ...]) -> None:
    """Press ``keys`` with the store refusing writes: a retryable message, nothing changed;
    then the write goes through on retry."""
    study = app.screen
    before = app.ctx.store.review_count()
    faulty.fault = LOCKED
    await pilot.press(*keys)
    await pilot.pause()
    assert isinstance(app.screen, StoreErrorModal), keys
    assert app.ctx.store.review_count() == before
    faulty.fault = None
    await pilot.press("r")
    await pilot.pause()
    assert app.screen is study


async def test_trap_drill_rerate_and_undo_survive_a_failed_write(
    make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.tui.test_flows import trap_keys

    with injected(monkeypatch) as faulty:
        app = make_app(review=True)  # a flashcard, the trap, the drill
        async with app.run_test(size=(80, 24)) as pilot:
            screen = app.screen
            await pilot.press("space", "3")
            trap = screen.session.current
            await _fail_then_retry(pilot, app, faulty, (trap_keys(trap)[1],))  # answer
            assert app.ctx.store.review_count() == 2
            await _fail_then_retry(pilot, app, faulty, ("2",))  # re-rate Again → Hard
            reviews = app.ctx.store.reviews(trap.item_id)
            assert [int(r.rating) for r in reviews] == [2]
            drill = screen.session.current
            assert drill.kind == "drill"
            await pilot.press(*"0.5")
            await _fail_then_retry(pilot, app, faulty, ("enter",))  # submit
            assert screen.session.last_outcome is not None
            assert app.ctx.store.review_count() == 3
            await _fail_then_retry(pilot, app, faulty, ("u",))  # undo
            assert app.ctx.store.review_count() == 2 and screen.session.current is drill


async def test_practice_answers_and_undo_survive_a_failed_write(
    make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    with injected(monkeypatch) as faulty:
        app = make_app(drill="bias-correction")
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.press(*"0.5")
            await _fail_then_retry(pilot, app, faulty, ("enter",))
            assert app.ctx.store.review_count() == 1
            await _fail_then_retry(pilot, app, faulty, ("u",))
            assert app.ctx.store.review_count() == 0


async def test_the_summary_reports_a_failed_write_instead_of_crashing(
    make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    from quizapp.tui.screens.summary import SummaryScreen

    with injected(monkeypatch) as faulty:
        app = make_app(kind="flashcard")
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("space", "4")
            faulty.fault = DISK_FULL
            await pilot.press("escape")  # the summary records the session's end
            await pilot.pause()
            assert isinstance(app.screen, StoreErrorModal)
            faulty.fault = None
            await pilot.press("r")
            await pilot.pause()
            assert isinstance(app.screen, SummaryScreen)
            assert app.ctx.store.sessions()[-1].summary["answered"] == 1


async def test_a_daily_backup_that_cannot_be_made_is_shown_in_the_app(
    make_app, quizapp_home
) -> None:
    """The study day's backup fails (its folder cannot be made): the app starts anyway and
    shows the located message, which the terminal's alternate screen would hide."""
    db = quizapp_home / "progress.sqlite3"
    app = make_app(kind="flashcard")
    (quizapp_home / "backups").write_text("a file where the backups folder goes")
    assert app.ctx.daily_backup() is not None
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        shown = [n for n in app._notifications if n.title == "No backup today"]
        assert len(shown) == 1
        assert shown[0].message.startswith(
            f"{quizapp_home / 'backups'}: cannot back up the progress file there"
        )
        assert isinstance(app.screen, StudyScreen)  # and the session started
    assert db.exists()
