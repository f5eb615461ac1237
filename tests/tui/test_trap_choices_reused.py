"""The next trap of the same shape takes over the choice widgets already there (issue 16,
eleventh pass): nothing is built and mounted per trap, and the question shows marked in one
frame. Each trap must still show its own statements, unmarked until answered, and grade by
its own values."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from quizapp.study.items import TrapView
from quizapp.tui.app import QuizApp
from quizapp.tui.widgets.trap.card import LETTERS, Choice
from tests.tui.test_flows import trap_keys

TRAPS = "\n".join(
    f"""
[[trap]]
id = "t.trap.{i}"
claim = "Claim {i} is what people get wrong."
why_wrong = "Because of reason {i}."
correct = "Statement {i} is what holds."
distractors = ["True fact {i}a.", "True fact {i}b."]
"""
    for i in range(6)
)


@pytest.fixture
def deck_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "traps.toml").write_text(
        'deck = "traps"\ntitle = "Traps"\ntopic = "adam"\n' + TRAPS, encoding="utf-8"
    )
    return folder


async def test_each_trap_shows_and_grades_its_own_statements(
    make_app: Callable[..., QuizApp],
) -> None:
    app = make_app("trap")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        seen: list[tuple[str, set[int]]] = []
        for _ in range(6):
            view = screen.session.current
            assert isinstance(view, TrapView)
            choices = list(screen.query(Choice))
            if view.mode == "pick":
                assert [c.text for c in choices] == list(view.statements)
                assert [c.value for c in choices] == list(range(len(view.statements)))
                assert [c.key for c in choices] == list(LETTERS[: len(choices)])
            else:
                claim = screen.query_one(".claim")
                assert view.statements[0] in str(claim.render())
            for choice in choices:  # unmarked: nothing left over from the trap before
                assert not choice.classes & {"-locked", "-right", "-wrong"}
                assert "✓" not in str(choice.render()) and "✗" not in str(choice.render())
            seen.append((view.mode, {id(c) for c in choices}))
            await pilot.press(trap_keys(view)[0])
            await pilot.pause()
            outcome = screen.state.outcome
            assert outcome is not None and outcome.correct
            right = [c for c in screen.query(Choice) if c.has_class("-right")]
            assert len(right) == 1 and all(c.has_class("-locked") for c in screen.query(Choice))
            await pilot.press("enter")
            await pilot.pause()
        # the property this buys: a trap after one of the same shape built no widgets
        assert any(
            mode == next_mode and ids == next_ids
            for (mode, ids), (next_mode, next_ids) in zip(seen, seen[1:], strict=False)
        )
