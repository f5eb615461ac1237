"""Checks beyond the schema: drill kinds and their parameters, and Rich markup."""

from __future__ import annotations

import difflib

from quizapp.decks.locate import item_span, key_line
from quizapp.decks.models import DeckFile, DrillItem
from quizapp.decks.problems import ContentProblem

_TEXT_FIELDS = (
    "front",
    "back",
    "hint",
    "deeper",
    "claim",
    "why_wrong",
    "correct",
    "question",
    "note",
    "title",
)
# Parameters that can never be negative, whatever the drill kind says.
_NON_NEGATIVE = ("lr", "eps", "weight_decay", "momentum", "beta1", "beta2", "batch_size", "t")


def check_items(path: str, text: str, model: DeckFile) -> list[ContentProblem]:
    """Problems the pydantic models cannot see: unknown drill kinds, bad parameter
    overrides, and Rich markup that would not render."""
    problems: list[ContentProblem] = []
    for table in ("flashcard", "trap", "drill"):
        for index, item in enumerate(getattr(model, table)):
            start, end = item_span(text, table, index)
            where = f"{table}[{index + 1}]"
            if isinstance(item, DrillItem):
                problems.extend(_check_drill(path, text, item, where, start, end))
            problems.extend(_check_markup(path, text, item, where, start, end))
    return problems


def _check_drill(
    path: str, text: str, item: DrillItem, where: str, start: int | None, end: int | None
) -> list[ContentProblem]:
    from quizapp.engine import drills

    kinds = drills.kinds()
    line = key_line(text, "drill", start or 1, end) or start
    if item.drill not in kinds:
        close = difflib.get_close_matches(item.drill, kinds, n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        return [
            ContentProblem(
                path,
                f"unknown drill kind {item.drill!r}",
                line=line,
                field=f"{where}.drill",
                hint=hint + "valid kinds: " + ", ".join(kinds),
            )
        ]
    problems: list[ContentProblem] = []
    params_line = key_line(text, "params", start or 1, end) or line
    for name, value in item.params.items():
        values = value if isinstance(value, list) else [value]
        base = name.split("_")[-1] if name.endswith("_lr") else name
        if base in _NON_NEGATIVE and any(isinstance(v, int | float) and v < 0 for v in values):
            problems.append(
                ContentProblem(
                    path,
                    f"{name} must not be negative; found {value!r}",
                    line=params_line,
                    field=f"{where}.params.{name}",
                )
            )
    if not problems:
        for sentence in drills.validate_overrides(item.drill, dict(item.params)):
            problems.append(
                ContentProblem(path, sentence, line=params_line, field=f"{where}.params")
            )
    return problems


def _check_markup(
    path: str, text: str, item: object, where: str, start: int | None, end: int | None
) -> list[ContentProblem]:
    from rich.errors import MarkupError
    from rich.markup import render

    problems: list[ContentProblem] = []
    for name in _TEXT_FIELDS:
        value = getattr(item, name, None)
        candidates = [value] if isinstance(value, str) else []
        if name == "title" and not isinstance(item, DrillItem):
            candidates = []
        for candidate in candidates:
            try:
                render(candidate)
            except MarkupError as exc:
                problems.append(
                    ContentProblem(
                        path,
                        f"Rich markup does not render: {exc}",
                        line=key_line(text, name, start or 1, end) or start,
                        field=f"{where}.{name}",
                        hint=r"escape a literal '[' as '\['",
                    )
                )
    for index, distractor in enumerate(getattr(item, "distractors", ()) or ()):
        try:
            render(distractor)
        except MarkupError as exc:
            problems.append(
                ContentProblem(
                    path,
                    f"Rich markup does not render: {exc}",
                    line=key_line(text, "distractors", start or 1, end) or start,
                    field=f"{where}.distractors[{index + 1}]",
                )
            )
    return problems
