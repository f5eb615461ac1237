"""The Anki notes a quizapp deck becomes: note types, fields (HTML), tags and GUIDs.

Pure data shared by the ``.apkg`` writer (:mod:`quizapp.interop.anki_export`) and the text
export (:mod:`quizapp.interop.tsv`), so both give every note the same GUID and fields.

- A flashcard is one note (Front, Back, Hint, More, Source, Id).
- A trap is two notes: "which claim is false?" (the claim among its true distractors, in an
  order fixed by the item id) and "claim → correction".
- A drill is a skill with fresh numbers at every review, so it exports one *sample* problem
  (seed fixed by the item id) with the engine's worked solution, marked as a sample.

Every note type has one fixed model id; every (deck, kind) one fixed Anki deck id; a note's
GUID comes from its item id (and which of a trap's two notes it is), so exporting again and
importing into Anki *updates* the notes instead of adding copies. The item id is kept in the
``Id`` field.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable
from dataclasses import dataclass

from quizapp.decks.controls import strip_controls
from quizapp.decks.loader import Catalog, CatalogItem
from quizapp.decks.models import DrillItem, Flashcard, Trap
from quizapp.interop.markup import plain_to_html, to_html

__all__ = [
    "NOTE_TYPES",
    "ExportError",
    "Note",
    "NoteType",
    "anki_tag",
    "deck_id",
    "guid",
    "notes",
    "sample_seed",
]


class ExportError(Exception):
    """Nothing to export, or a filter that matches nothing; the message says what to do.

    ``usage`` is true when the request itself is wrong (an unknown deck or topic)."""

    def __init__(self, message: str, *, usage: bool = False) -> None:
        super().__init__(message)
        self.usage = usage


_CSS = """\
.card { font-family: -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
        font-size: 20px; line-height: 1.45; text-align: left; color: #1d2125;
        background: #fdfdfd; max-width: 44em; margin: 0 auto; }
.nightMode.card, .night_mode .card { color: #e6e6e6; background: #1f2326; }
.kicker { font-size: 0.75em; text-transform: uppercase; letter-spacing: 0.06em; opacity: 0.65; }
.hint, .more, .source, .id, .sample { font-size: 0.8em; opacity: 0.8; margin-top: 0.8em; }
.statements li { margin: 0.35em 0; }
.verdict { font-weight: bold; }
table.given td { padding: 0 0.8em 0 0; }
.convention, .solution { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace;
                         font-size: 0.85em; }
.sample { border-left: 3px solid #c90; padding-left: 0.6em; }
"""


@dataclass(frozen=True)
class NoteType:
    """An Anki note type (genanki "model"): fields and card templates."""

    key: str
    name: str
    model_id: int
    fields: tuple[str, ...]
    front: str
    back: str
    css: str = _CSS

    @property
    def template_name(self) -> str:
        return "Card 1"


_ID_FOOTER = '<div class="id">{{Id}}</div>'
_SOURCE = '{{#Source}}<div class="source">Source: {{Source}}</div>{{/Source}}'

FLASHCARD = NoteType(
    key="flashcard",
    name="quizapp flashcard",
    model_id=1_742_310_571,
    fields=("Front", "Back", "Hint", "More", "Source", "Id"),
    front=(
        '<div class="question">{{Front}}</div>'
        '{{#Hint}}<div class="hint">{{hint:Hint}}</div>{{/Hint}}'
    ),
    back=(
        '{{FrontSide}}<hr id="answer"><div class="answer">{{Back}}</div>'
        '{{#More}}<div class="more">{{More}}</div>{{/More}}' + _SOURCE + _ID_FOOTER
    ),
)
TRAP_PICK = NoteType(
    key="trap-pick",
    name="quizapp trap: which claim is false?",
    model_id=1_742_310_572,
    fields=(
        "Question",
        "Statements",
        "FalseClaim",
        "WhyWrong",
        "Correct",
        "WhyTrue",
        "Source",
        "Id",
    ),
    front=(
        '<div class="kicker">Interview trap</div>'
        '{{#Question}}<div class="question">{{Question}}</div>{{/Question}}'
        "<p>Which of these claims is <b>false</b>?</p>"
        '<ol type="A" class="statements">{{Statements}}</ol>'
    ),
    back=(
        '{{FrontSide}}<hr id="answer"><div class="verdict">False: {{FalseClaim}}</div>'
        "<p>{{WhyWrong}}</p><p><b>Correct:</b> {{Correct}}</p>"
        '{{#WhyTrue}}<div class="more"><b>Why the others hold</b><ul>{{WhyTrue}}</ul></div>'
        "{{/WhyTrue}}" + _SOURCE + _ID_FOOTER
    ),
)
TRAP_FIX = NoteType(
    key="trap-fix",
    name="quizapp trap: claim → correction",
    model_id=1_742_310_573,
    fields=("Claim", "Question", "WhyWrong", "Correct", "Source", "Id"),
    front=(
        '<div class="kicker">Interview trap</div>'
        '{{#Question}}<div class="question">{{Question}}</div>{{/Question}}'
        "<p>Someone claims: “{{Claim}}”</p><p>What is wrong with it, and what is true?</p>"
    ),
    back=(
        '{{FrontSide}}<hr id="answer"><p>{{WhyWrong}}</p><p><b>Correct:</b> {{Correct}}</p>'
        + _SOURCE
        + _ID_FOOTER
    ),
)
DRILL_SAMPLE = NoteType(
    key="drill-sample",
    name="quizapp drill (sample problem)",
    model_id=1_742_310_574,
    fields=("Title", "Problem", "Answer", "Solution", "Note", "Sample", "Id"),
    front=(
        '<div class="kicker">Numeric drill · sample problem</div>'
        '<div class="question"><b>{{Title}}</b></div>'
        '{{#Note}}<div class="hint">{{Note}}</div>{{/Note}}{{Problem}}'
    ),
    back=(
        '{{FrontSide}}<hr id="answer"><div class="answer">{{Answer}}</div>'
        '<div class="solution">{{Solution}}</div><div class="sample">{{Sample}}</div>' + _ID_FOOTER
    ),
)
NOTE_TYPES = {t.key: t for t in (FLASHCARD, TRAP_PICK, TRAP_FIX, DRILL_SAMPLE)}
# The Anki sub-deck of each item kind.
KIND_DECKS = {"flashcard": "Flashcards", "trap": "Traps", "drill": "Drill samples"}


@dataclass(frozen=True)
class Note:
    """One Anki note: its type, field values (HTML, in the type's order), tags, GUID and the
    Anki deck it goes to."""

    note_type: NoteType
    fields: tuple[str, ...]
    tags: tuple[str, ...]
    guid: str
    item_id: str
    deck_name: str
    deck_id: int

    def field(self, name: str) -> str:
        return self.fields[self.note_type.fields.index(name)]


def _digest(*parts: str) -> bytes:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).digest()


def guid(item_id: str, variant: str) -> str:
    """The note's GUID: fixed by the item id and the note type, so a re-export updates."""
    return "qz" + _digest("quizapp-note", item_id, variant).hex()[:18]


def deck_id(deck: str, kind: str) -> int:
    """The fixed Anki deck id of a quizapp deck's sub-deck for one item kind."""
    value = int.from_bytes(_digest("quizapp-deck", deck, kind)[:8], "big")
    return (1 << 30) + value % (1 << 30)


def sample_seed(item_id: str) -> int:
    """The seed of a drill item's exported sample problem (fixed by its id)."""
    return int.from_bytes(_digest("quizapp-sample", item_id)[:4], "big")


def anki_tag(text: str) -> str:
    """A tag as Anki takes it: no spaces (→ ``_``), no quotes; ``::`` kept as hierarchy."""
    return "_".join(text.replace('"', "").split()) or "_"


def notes(catalog: Catalog, *, deck: str | None = None, topic: str | None = None) -> list[Note]:
    """The notes of every item (of ``deck`` / ``topic`` when given), in catalog order.

    :class:`ExportError` names the decks or topics there are when a filter matches nothing.
    """
    entries = list(catalog.items.values())
    if deck is not None:
        if deck not in catalog.decks:
            known = ", ".join(sorted(catalog.decks)) or "none"
            raise ExportError(f"no deck {deck!r}; decks: {known}", usage=True)
        entries = [e for e in entries if e.deck == deck]
    if topic is not None:
        topics = sorted({e.topic for e in entries})
        entries = [e for e in entries if e.topic == topic]
        if not entries:
            raise ExportError(
                f"no items with topic {topic!r}; topics: {', '.join(topics)}", usage=True
            )
    if not entries:
        raise ExportError("there are no items to export")
    out: list[Note] = []
    for entry in entries:
        out.extend(_item_notes(catalog, entry))
    return out


def _item_notes(catalog: Catalog, entry: CatalogItem) -> Iterable[Note]:
    item = entry.item
    title = catalog.decks[entry.deck].title
    name = f"{title}::{KIND_DECKS[item.kind]}"
    did = deck_id(entry.deck, item.kind)
    tags = _tags(entry)
    source = plain_to_html(item.source or "")

    def note(note_type: NoteType, values: dict[str, str]) -> Note:
        values = {**values, "Source": source, "Id": plain_to_html(item.id)}
        # the loader refuses control characters; none reaches Anki should one come another way
        return Note(
            note_type,
            tuple(strip_controls(values.get(f, "")) for f in note_type.fields),
            tuple(strip_controls(t) for t in tags),
            guid(item.id, note_type.key),
            item.id,
            strip_controls(name),
            did,
        )

    if isinstance(item, Flashcard):
        yield note(
            FLASHCARD,
            {
                "Front": to_html(item.front),
                "Back": to_html(item.back),
                "Hint": to_html(item.hint or ""),
                "More": to_html(item.deeper or ""),
            },
        )
    elif isinstance(item, Trap):
        statements = [item.claim, *item.distractors]
        random.Random(f"quizapp-trap:{item.id}").shuffle(statements)
        letter = "ABCDEF"[statements.index(item.claim)]
        question = to_html(item.question or "")
        yield note(
            TRAP_PICK,
            {
                "Question": question,
                "Statements": "".join(f"<li>{to_html(s)}</li>" for s in statements),
                "FalseClaim": f"({letter}) {to_html(item.claim)}",
                "WhyWrong": to_html(item.why_wrong),
                "Correct": to_html(item.correct),
                "WhyTrue": "".join(
                    f"<li>{to_html(d)} — {to_html(why)}</li>"
                    for d, why in zip(item.distractors, item.why_true, strict=False)
                ),
            },
        )
        yield note(
            TRAP_FIX,
            {
                "Claim": to_html(item.claim),
                "Question": question,
                "WhyWrong": to_html(item.why_wrong),
                "Correct": to_html(item.correct),
            },
        )
    else:
        assert isinstance(item, DrillItem)
        yield note(DRILL_SAMPLE, _drill_fields(item))


def _tags(entry: CatalogItem) -> tuple[str, ...]:
    kind = {"flashcard": "flashcard", "trap": "trap", "drill": "drill-sample"}[entry.kind]
    found: dict[str, None] = {}
    for tag in (entry.topic, *entry.tags, f"quizapp::{kind}"):
        found.setdefault(anki_tag(tag), None)
    return tuple(found)


def _drill_fields(item: DrillItem) -> dict[str, str]:
    from quizapp.engine import drills
    from quizapp.engine.drills.base import fmt
    from quizapp.engine.drills.verdicts import display_value

    seed = sample_seed(item.id)
    problem = drills.generate(item.drill, seed, overrides=dict(item.params) or None)
    given = "".join(
        f"<tr><td>{plain_to_html(problem.given_labels.get(name, name))}</td>"
        f"<td>= {plain_to_html(fmt(value))}</td></tr>"
        for name, value in problem.given.items()
    )
    convention = "<br>".join(plain_to_html(line) for line in problem.convention)
    problem_html = (
        f"<p>{plain_to_html(problem.prompt)}</p>"
        f'<table class="given">{given}</table>'
        f'<div class="convention">{convention}</div>'
    )
    answers = "<br>".join(
        f"{'<b>' if f.primary else ''}{plain_to_html(f.label)} = "
        f"{plain_to_html(display_value(problem, f.name))}{'</b>' if f.primary else ''}"
        for f in problem.fields
    )
    # the graded answer is shown with the digits its grade needs, as the app shows it
    precise = {
        problem.answers[f]: display_value(problem, f)
        for f, tol in problem.tolerance.items()
        if tol.origin != 0.0
    }
    steps = "<br>".join(
        plain_to_html(
            f"{step.label} = {step.expression}"
            + ("" if step.value is None else f" = {precise.get(step.value, fmt(step.value))}")
        )
        for step in problem.solution
    )
    params = "".join(
        f" --param {name}={','.join(map(str, v)) if isinstance(v, list) else v}"
        for name, v in item.params.items()
    )
    command = f"quizapp drill {problem.kind} --seed {seed}{params}"
    sample = (
        "Sample problem: in quizapp this drill draws fresh numbers at every review. "
        f"This one is <code>{plain_to_html(command)}</code>."
    )
    return {
        "Title": plain_to_html(item.title or problem.title),
        "Problem": problem_html,
        "Answer": answers,
        "Solution": steps,
        "Note": to_html(item.note or ""),
        "Sample": sample,
    }
