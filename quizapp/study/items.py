"""What the learner sees for each kind of item, and how an answer to it is judged.

These are plain frozen records built from content (and, for drills, from the
engine); screens render them and send answers back through
:class:`quizapp.study.session.StudySession`. Nothing here touches the store.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from quizapp.decks.loader import CatalogItem

if TYPE_CHECKING:  # the engine is imported when a drill is first drawn or graded
    from quizapp.engine.drills.models import Problem, Verdict

TrapMode = Literal["pick", "holds"]


@dataclass(frozen=True)
class FlashcardView:
    """A question to answer from memory, then rate Again/Hard/Good/Easy."""

    item_id: str
    deck: str
    topic: str
    front: str
    back: str
    hint: str | None = None
    deeper: str | None = None
    say_aloud: bool = False
    source: str | None = None  # where the fact comes from (shown after the reveal)
    kind: Literal["flashcard"] = "flashcard"


@dataclass(frozen=True)
class TrapView:
    """An interview trap, asked one of two ways.

    ``pick``: which of ``statements`` is the trap (exactly one is false: the
    claim, at ``trap_index``). ``holds``: does ``statements[0]`` hold? It is the
    claim (false) or one of the true distractors, as ``holds`` says.
    """

    item_id: str
    deck: str
    topic: str
    mode: TrapMode
    statements: tuple[str, ...]
    trap_index: int
    holds: bool
    claim: str
    why_wrong: str
    correct: str
    question: str | None = None
    #: why each statement is true, in the order of ``statements`` (None for the claim,
    #: or where the deck gives no reason)
    reasons: tuple[str | None, ...] = ()
    source: str | None = None
    kind: Literal["trap"] = "trap"

    def reason(self, index: int) -> str | None:
        """Why ``statements[index]`` is true (None for the claim or without a reason)."""
        return self.reasons[index] if 0 <= index < len(self.reasons) else None

    def judge(self, choice: int | bool) -> bool:
        """Whether ``choice`` (an index in pick mode, a bool in holds mode) is right."""
        if self.mode == "pick":
            return choice == self.trap_index
        return bool(choice) is self.holds


@dataclass(frozen=True)
class DrillView:
    """A freshly drawn numeric problem; graded by the engine."""

    item_id: str
    deck: str
    topic: str
    problem: Problem
    title: str
    note: str | None = None
    source: str | None = None
    kind: Literal["drill"] = "drill"

    @property
    def seed(self) -> int:
        return self.problem.seed

    def grade(self, answers: str | dict[str, str]) -> Verdict:
        """Grade typed answers; raises ``AnswerParseError`` (costs nothing) when unparsable."""
        from quizapp.engine import drills

        return drills.grade(self.problem, answers)


ItemView = FlashcardView | TrapView | DrillView


def answer_text(answers: str | dict[str, str]) -> str:
    """A typed drill answer as logged: the text itself, or ``field=value; …``."""
    if isinstance(answers, str):
        return answers
    return "; ".join(f"{k}={v}" for k, v in answers.items())


def elapsed_ms(start: datetime, end: datetime) -> int:
    """Whole milliseconds from ``start`` to ``end`` (never negative)."""
    return max(0, int((end - start).total_seconds() * 1000))


@dataclass
class ViewFactory:
    """Builds the view of an item; ``rng`` draws drill seeds and trap layouts.

    A view is built from the item's fields (:meth:`CatalogItem.fields`): on a warm
    content index that is the stored table, shape-checked, and no deck model is built
    (nor pydantic imported) to show a flashcard or a trap."""

    rng: random.Random = field(default_factory=random.Random)

    def build(self, entry: CatalogItem, *, seed: int | None = None) -> ItemView:
        item = entry.fields()
        topic = entry.topic
        if item["kind"] == "flashcard":
            return FlashcardView(
                item["id"],
                entry.deck,
                topic,
                item["front"],
                item["back"],
                item["hint"],
                item["deeper"],
                item["say_aloud"],
                item["source"],
            )
        if item["kind"] == "trap":
            return self._trap(entry, item, topic, seed)
        assert item["kind"] == "drill"
        from quizapp.engine import drills

        drill_seed = self.rng.randrange(2**31) if seed is None else seed
        problem = drills.generate(item["drill"], drill_seed, overrides=dict(item["params"]) or None)
        return DrillView(
            item["id"],
            entry.deck,
            topic,
            problem,
            item["title"] or problem.title,
            item["note"],
            item["source"],
        )

    def _trap(
        self, entry: CatalogItem, item: dict[str, Any], topic: str, seed: int | None
    ) -> TrapView:
        rng = random.Random(seed) if seed is not None else self.rng
        claim: str = item["claim"]
        distractors: list[str] = list(item["distractors"])
        common = {
            "item_id": item["id"],
            "deck": entry.deck,
            "topic": topic,
            "claim": claim,
            "why_wrong": item["why_wrong"],
            "correct": item["correct"],
            "question": item["question"],
            "source": item["source"],
        }
        why = dict(zip(distractors, item["why_true"], strict=False))
        if rng.random() < 0.6:
            statements = [claim, *distractors]
            rng.shuffle(statements)
            return TrapView(
                mode="pick",
                statements=tuple(statements),
                trap_index=statements.index(claim),
                holds=False,
                reasons=tuple(None if s == claim else why.get(s) for s in statements),
                **common,
            )
        # "Does this hold?" shows the claim or a true statement with even odds, so that
        # answering "no" by reflex does not pay.
        if rng.random() < 0.5:
            return TrapView(
                mode="holds",
                statements=(claim,),
                trap_index=0,
                holds=False,
                reasons=(None,),
                **common,
            )
        shown = rng.choice(distractors)
        return TrapView(
            mode="holds",
            statements=(shown,),
            trap_index=-1,
            holds=True,
            reasons=(why.get(shown),),
            **common,
        )
