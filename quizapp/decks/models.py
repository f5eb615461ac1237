"""Pydantic models of deck content.

A deck file is TOML. Files that name the same ``deck`` id form one deck, so a
subject can be split into files by topic::

    #:schema ../deck.schema.json
    deck = "optimizers"
    title = "Optimizers"        # the deck's display title (say it once per deck)
    topic = "adam"              # default topic of the items below

    [[flashcard]]
    id = "optimizers.adam.bias-correction"
    section = "7.6"
    front = "Why does Adam need bias correction?"
    back = "m and v start at 0, so early averages are biased toward 0 ..."

Every item has a stable ``id``: progress is keyed by it, so editing the text of
an item keeps its progress. Text may use Rich markup and Unicode math.
"""

from __future__ import annotations

import math
import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

# A merged deck is a plain object of the catalog (no pydantic: it is built at every start).
from quizapp.decks.catalog import Deck

# The rules an indexed item's table is checked against without pydantic are these models'
# (quizapp.decks.tables; tests/unit/test_item_tables.py holds them to it).
from quizapp.decks.tables import ID_MAX, ID_PATTERN, statement_key

ItemId = Annotated[
    str,
    Field(
        pattern=ID_PATTERN,
        min_length=1,
        max_length=ID_MAX,
        description="Stable id (lowercase letters, digits, '.', '-', '_'). Progress is keyed by it: never reuse one for a different question.",
    ),
]


def _not_blank(text: str) -> str:
    if not text.strip():  # "" is refused by min_length first
        raise ValueError("the text is blank (only spaces or line breaks); write the text")
    return text


Text = Annotated[
    str,
    Field(min_length=1, description="Text; Rich markup and Unicode math allowed."),
    AfterValidator(_not_blank),
]

ItemKind = Literal["flashcard", "trap", "drill"]

__all__ = [
    "Deck",
    "DeckFile",
    "DrillItem",
    "Flashcard",
    "Item",
    "ItemId",
    "ItemKind",
    "Text",
    "Trap",
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _ItemBase(_Model):
    id: ItemId
    topic: str | None = Field(
        default=None,
        description="Topic within the deck (defaults to the file's `topic`).",
    )
    tags: tuple[str, ...] = Field(default=(), description="Free-form tags for filtering.")
    section: str | None = Field(
        default=None,
        description="The section of the source notes this item covers, e.g. '7.6' or '14'.",
    )
    source: str | None = Field(
        default=None,
        description=(
            "Where the fact comes from, beyond the notes: a paper (authors, year), the torch "
            "docs of a class, a book section."
        ),
    )

    @field_validator("tags")
    @classmethod
    def _tags_are_words(cls, tags: tuple[str, ...]) -> tuple[str, ...]:
        if " ".join(tags).split() == list(tags):  # all words: none empty, none with a space
            return tags
        for tag in tags:
            if tag.split() != [tag]:  # empty, or has whitespace (str.isspace's definition)
                raise ValueError(f"tag {tag!r} must be a non-empty word without spaces")
        return tags


class Flashcard(_ItemBase):
    """A question and its answer, rated by the learner (Again/Hard/Good/Easy)."""

    kind: Literal["flashcard"] = "flashcard"
    front: Text = Field(description="The question.")
    back: Text = Field(description="The answer, short enough to say in under 30 seconds.")
    hint: str | None = Field(default=None, description="An optional nudge shown on request.")
    deeper: str | None = Field(
        default=None, description="An optional longer note shown after the answer."
    )
    say_aloud: bool = Field(
        default=False,
        description="A 'say it out loud, then compare' card (elevator pitches, open questions).",
    )


class Trap(_ItemBase):
    """An interview trap: a plausible but wrong claim.

    Asked either as "does this hold?" or as multiple choice: the learner picks the
    false claim among the ``distractors``, which are plausible but *true*
    statements.
    """

    kind: Literal["trap"] = "trap"
    claim: Text = Field(description="The wrong claim, as an interviewer would say it.")
    why_wrong: Text = Field(description="Why the claim is wrong.")
    correct: Text = Field(description="The correct statement.")
    distractors: tuple[Text, ...] = Field(
        min_length=2,
        max_length=5,
        description="2-5 plausible, TRUE statements shown beside the claim in multiple choice.",
    )
    question: str | None = Field(
        default=None, description="Optional interviewer question that leads to the claim."
    )
    why_true: tuple[Text, ...] = Field(
        default=(),
        description=(
            "One line per distractor, in the same order, saying why that statement is true "
            "(the reviewer's justification; shown after answering)."
        ),
    )

    @model_validator(mode="after")
    def _distractors_differ(self) -> Trap:
        if self.why_true and len(self.why_true) != len(self.distractors):
            raise ValueError(
                f"why_true has {len(self.why_true)} lines for {len(self.distractors)} "
                "distractors; give one justification per distractor, in the same order"
            )
        normalized = [statement_key(d) for d in self.distractors]
        if statement_key(self.claim) in normalized:
            raise ValueError("a distractor repeats the claim; distractors must be true statements")
        if len(set(normalized)) != len(normalized):
            raise ValueError("two distractors are the same statement")
        return self


Scalar = bool | int | float | str
Override = Annotated[
    Scalar | Annotated[list[Scalar], Field(min_length=1, max_length=50)],
    Field(
        description=(
            "A fixed value; for a number, a [low, high] range to draw from; for a choice or "
            "a flag, the list of values to pick from. `quizapp drill --list` names each kind's "
            "parameters."
        )
    ),
]


class DrillItem(_ItemBase):
    """A numeric drill: an engine drill kind, redrawn with fresh numbers at every review."""

    kind: Literal["drill"] = "drill"
    drill: str = Field(
        description="The engine drill kind, e.g. 'adam' (see `quizapp drill --list`)."
    )
    params: dict[str, Override] = Field(
        default_factory=dict,
        description="Overrides of the kind's parameter ranges, e.g. { t = [2, 20], lr = [1e-4, 0.1] }; the engine checks names, types and ranges.",
    )
    title: str | None = Field(
        default=None, description="Optional title shown instead of the kind's."
    )
    note: str | None = Field(default=None, description="Optional context shown with every problem.")

    @field_validator("params")
    @classmethod
    def _ranges_are_sane(cls, params: dict[str, Override]) -> dict[str, Override]:
        for name, value in params.items():
            values = value if isinstance(value, list) else [value]
            for v in values:
                if isinstance(v, float) and not math.isfinite(v):
                    raise ValueError(f"params.{name}: {v} is not a finite number")
        return params


Item = Annotated[Flashcard | Trap | DrillItem, Field(discriminator="kind")]


class DeckFile(_Model):
    """One TOML file of a deck. Files with the same ``deck`` id form one deck."""

    deck: ItemId = Field(description="The deck id; files with the same id form one deck.")
    title: str | None = Field(default=None, description="The deck's display title (once per deck).")
    description: str | None = Field(
        default=None, description="What the deck covers (once per deck)."
    )
    topic: str | None = Field(default=None, description="Default topic for the items of this file.")
    flashcard: tuple[Flashcard, ...] = Field(default=(), description="Flashcards.")
    trap: tuple[Trap, ...] = Field(default=(), description="Interview traps.")
    drill: tuple[DrillItem, ...] = Field(default=(), description="Numeric drills.")

    @property
    def items(self) -> tuple[Flashcard | Trap | DrillItem, ...]:
        return (*self.flashcard, *self.trap, *self.drill)


def normalize_text(text: str) -> str:
    """Lowercase, drop markup-ish punctuation: used to find near-duplicate items."""
    text = re.sub(r"\[/?[a-z ]*\]", " ", text)
    return statement_key(text)
