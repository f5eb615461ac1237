"""What the learner sees for each kind of item, and how an answer to it is judged.

These are plain frozen records (:mod:`quizapp.plain`) built from content (and, for drills, from the
engine); screens render them and send answers back through
:class:`quizapp.study.session.StudySession`. Nothing here touches the store.
"""

from __future__ import annotations

import random
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from quizapp.decks.loader import CatalogItem
from quizapp.plain import Frozen, Plain

if TYPE_CHECKING:  # the engine is imported when a drill is first drawn or graded
    from quizapp.engine.drills.models import Problem, Verdict

TrapMode = Literal["pick", "holds"]


class FlashcardView(Frozen):
    """A question to answer from memory, then rate Again/Hard/Good/Easy."""

    __slots__ = (
        "item_id",
        "deck",
        "topic",
        "front",
        "back",
        "hint",
        "deeper",
        "say_aloud",
        "source",
        "kind",
    )
    item_id: str
    deck: str
    topic: str
    front: str
    back: str
    hint: str | None
    deeper: str | None
    say_aloud: bool
    source: str | None  # where the fact comes from (shown after the reveal)
    kind: Literal["flashcard"]

    def __init__(
        self,
        item_id: str,
        deck: str,
        topic: str,
        front: str,
        back: str,
        hint: str | None = None,
        deeper: str | None = None,
        say_aloud: bool = False,
        source: str | None = None,
        kind: Literal["flashcard"] = "flashcard",
    ) -> None:
        setattr_ = object.__setattr__
        setattr_(self, "item_id", item_id)
        setattr_(self, "deck", deck)
        setattr_(self, "topic", topic)
        setattr_(self, "front", front)
        setattr_(self, "back", back)
        setattr_(self, "hint", hint)
        setattr_(self, "deeper", deeper)
        setattr_(self, "say_aloud", say_aloud)
        setattr_(self, "source", source)
        setattr_(self, "kind", kind)


class TrapView(Frozen):
    """An interview trap, asked one of two ways.

    ``pick``: which of ``statements`` is the trap (exactly one is false: the
    claim, at ``trap_index``). ``holds``: does ``statements[0]`` hold? It is the
    claim (false) or one of the true distractors, as ``holds`` says.
    """

    __slots__ = (
        "item_id",
        "deck",
        "topic",
        "mode",
        "statements",
        "trap_index",
        "holds",
        "claim",
        "why_wrong",
        "correct",
        "question",
        "reasons",
        "source",
        "kind",
    )
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
    question: str | None
    reasons: tuple[
        str | None, ...
    ]  # why each statement is true, in order (None: the claim, or no reason given)
    source: str | None
    kind: Literal["trap"]

    def __init__(
        self,
        item_id: str,
        deck: str,
        topic: str,
        mode: TrapMode,
        statements: tuple[str, ...],
        trap_index: int,
        holds: bool,
        claim: str,
        why_wrong: str,
        correct: str,
        question: str | None = None,
        reasons: tuple[str | None, ...] = (),
        source: str | None = None,
        kind: Literal["trap"] = "trap",
    ) -> None:
        setattr_ = object.__setattr__
        setattr_(self, "item_id", item_id)
        setattr_(self, "deck", deck)
        setattr_(self, "topic", topic)
        setattr_(self, "mode", mode)
        setattr_(self, "statements", statements)
        setattr_(self, "trap_index", trap_index)
        setattr_(self, "holds", holds)
        setattr_(self, "claim", claim)
        setattr_(self, "why_wrong", why_wrong)
        setattr_(self, "correct", correct)
        setattr_(self, "question", question)
        setattr_(self, "reasons", reasons)
        setattr_(self, "source", source)
        setattr_(self, "kind", kind)

    def reason(self, index: int) -> str | None:
        """Why ``statements[index]`` is true (None for the claim or without a reason)."""
        return self.reasons[index] if 0 <= index < len(self.reasons) else None

    def judge(self, choice: int | bool) -> bool:
        """Whether ``choice`` (an index in pick mode, a bool in holds mode) is right."""
        if self.mode == "pick":
            return choice == self.trap_index
        return bool(choice) is self.holds


class DrillView(Frozen):
    """A freshly drawn numeric problem; graded by the engine."""

    __slots__ = ("item_id", "deck", "topic", "problem", "title", "note", "source", "kind")
    item_id: str
    deck: str
    topic: str
    problem: Problem
    title: str
    note: str | None
    source: str | None
    kind: Literal["drill"]

    def __init__(
        self,
        item_id: str,
        deck: str,
        topic: str,
        problem: Problem,
        title: str,
        note: str | None = None,
        source: str | None = None,
        kind: Literal["drill"] = "drill",
    ) -> None:
        setattr_ = object.__setattr__
        setattr_(self, "item_id", item_id)
        setattr_(self, "deck", deck)
        setattr_(self, "topic", topic)
        setattr_(self, "problem", problem)
        setattr_(self, "title", title)
        setattr_(self, "note", note)
        setattr_(self, "source", source)
        setattr_(self, "kind", kind)

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


class ViewFactory(Plain):
    """Builds the view of an item; ``rng`` draws drill seeds and trap layouts.

    A view is built from the item's fields (:meth:`CatalogItem.fields`): on a warm
    content index that is the stored table, shape-checked, and no deck model is built
    (nor pydantic imported) to show a flashcard or a trap."""

    __slots__ = ("rng",)
    rng: random.Random

    def __init__(self, rng: random.Random | None = None) -> None:
        self.rng = rng if rng is not None else random.Random()

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
