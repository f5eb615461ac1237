"""Quality gates for the follow-up topic files of the optimizers deck.

The files ``content/optimizers/14-*.toml`` onward go past the study notes (issue 11 §3): what a
strong interviewer asks next. Every item names a ``source`` and an ``x.<topic>`` section, carries
tags from the deck's vocabulary, and every trap justifies each distractor. The numbers they state
are checked in test_content_followups_numbers.py; every drill item of the deck is generated,
graded and timed in test_content.py.
"""

from __future__ import annotations

import importlib.util
import re
import tomllib
from pathlib import Path

import pytest

from quizapp.decks import DrillItem, Flashcard, Trap, load_paths
from quizapp.decks.loader import Catalog
from quizapp.decks.models import DeckFile, normalize_text

DECK_DIR = Path(__file__).resolve().parents[2] / "content" / "optimizers"
FIRST_FOLLOWUP_FILE = 14
FOLLOWUP_FILES = sorted(
    p for p in DECK_DIR.glob("*.toml") if int(p.name[:2]) >= FIRST_FOLLOWUP_FILE
)

KIND_TAGS = {
    "formula",
    "intuition",
    "pitfall",
    "comparison",
    "systems",
    "numeric",
    "practice",
    "theory",
    "history",
}
# deck-shared.md's subject tags, plus the techniques only the follow-up files cover.
SUBJECT_TAGS = {
    "sgd",
    "momentum",
    "nesterov",
    "adagrad",
    "rmsprop",
    "adam",
    "adamw",
    "lion",
    "adafactor",
    "muon",
    "lr-schedule",
    "warmup",
    "weight-decay",
    "clipping",
    "mixed-precision",
    "batch-size",
    "sharding",
    "normalization",
} | {
    "radam",
    "amsgrad",
    "lars",
    "lamb",
    "sam",
    "sharpness",
    "shampoo",
    "averaging",
    "accumulation",
    "data-parallel",
    "fine-tuning",
    "mup",
}
IMPERATIVES = {"Write", "Rank", "Derive", "Explain", "Sketch"}
SECTION_PATTERN = re.compile(r"^x\.[a-z0-9]+(-[a-z0-9]+)*$")

Item = Flashcard | Trap | DrillItem
HAS_TORCH = importlib.util.find_spec("torch") is not None


def _load(path: Path) -> DeckFile:
    return DeckFile.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))


FILES: dict[str, DeckFile] = {p.name: _load(p) for p in FOLLOWUP_FILES}
ITEMS: dict[str, Item] = {it.id: it for f in FILES.values() for it in f.items}


def _text(item: Item) -> str:
    if isinstance(item, Flashcard):
        parts = [item.front, item.back, item.hint or "", item.deeper or ""]
    elif isinstance(item, Trap):
        parts = [
            item.question or "",
            item.claim,
            item.why_wrong,
            item.correct,
            *item.distractors,
            *item.why_true,
        ]
    else:
        parts = [item.title or "", item.note or ""]
    return " ".join(parts)


# ================================================================= gates


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_paths([DECK_DIR])


def test_followup_files_exist_and_load_cleanly(catalog: Catalog) -> None:
    assert len(FOLLOWUP_FILES) >= 20
    assert [str(p) for p in catalog.problems] == []
    deck_ids = {it.id for it in catalog.decks["optimizers"].items}
    assert set(ITEMS) <= deck_ids


def test_followup_files_follow_the_file_conventions() -> None:
    topics = set()
    for path in FOLLOWUP_FILES:
        text = path.read_text(encoding="utf-8")
        assert text.splitlines()[0] == "#:schema ../deck.schema.json", path.name
        assert re.match(r"^\d\d-[a-z0-9-]+\.toml$", path.name), path.name
        deck_file = FILES[path.name]
        assert deck_file.deck == "optimizers", path.name
        assert deck_file.title is None, f"{path.name}: only the first file sets the title"
        assert deck_file.topic and deck_file.topic not in topics, path.name
        topics.add(deck_file.topic)
        for item in deck_file.items:
            assert item.id.startswith(f"optimizers.{deck_file.topic}."), item.id


def test_enough_followup_items_of_each_kind() -> None:
    kinds = [it.kind for it in ITEMS.values()]
    assert len(ITEMS) >= 145, len(ITEMS)
    assert kinds.count("flashcard") >= 100
    assert kinds.count("trap") >= 40
    # Every topic file gets at least one trap: the follow-up an interviewer sets as a trap.
    for name, deck_file in FILES.items():
        assert deck_file.trap, f"{name} has no trap"


def test_every_item_has_tags_a_source_and_an_x_section() -> None:
    for item in ITEMS.values():
        assert 1 <= len(item.tags) <= 4, (item.id, item.tags)
        assert len(set(item.tags)) == len(item.tags), item.id
        assert set(item.tags) & KIND_TAGS, f"{item.id} has no kind-of-knowledge tag"
        unknown = set(item.tags) - KIND_TAGS - SUBJECT_TAGS
        assert not unknown, (item.id, unknown)
        assert item.source and len(item.source) >= 10, f"{item.id} names no source"
        assert item.section and SECTION_PATTERN.match(item.section), (item.id, item.section)


def test_sources_name_a_paper_year_or_an_official_doc() -> None:
    doc_prefixes = ("torch docs", "torch source", "Hugging Face", "TensorFlow docs", "timm docs")
    for item in ITEMS.values():
        for ref in item.source.split("; "):
            ok = bool(re.search(r"\b(19|20)\d\d\b", ref)) or ref.startswith(doc_prefixes)
            ok = ok or any(word in ref for word in ("docs", "notes", "README", "IEEE"))
            assert ok, (item.id, ref)


def test_traps_justify_every_distractor_and_keep_lengths_comparable() -> None:
    for trap in (it for it in ITEMS.values() if isinstance(it, Trap)):
        assert 2 <= len(trap.distractors) <= 3, trap.id
        assert len(trap.why_true) == len(trap.distractors), trap.id
        assert trap.question, trap.id
        # The false claim must not stand out by its length (stricter than the deck-wide gate).
        mean = sum(len(d) for d in trap.distractors) / len(trap.distractors)
        assert 0.6 <= len(trap.claim) / mean <= 1.6, (trap.id, len(trap.claim), round(mean))
        assert not re.search(r"\b(always|never)\b", " ".join(trap.distractors)), trap.id


def test_no_trap_claim_reappears_as_a_true_statement(catalog: Catalog) -> None:
    everything = catalog.decks["optimizers"].items
    claims = {normalize_text(it.claim): it.id for it in everything if isinstance(it, Trap)}
    for item in everything:
        if isinstance(item, Trap):
            for d in item.distractors:
                assert normalize_text(d) not in claims, (item.id, claims.get(normalize_text(d)))


def test_flashcards_are_interview_sized_with_hints() -> None:
    for card in (it for it in ITEMS.values() if isinstance(it, Flashcard)):
        assert len(card.back.split()) <= 80, (card.id, len(card.back.split()))
        # A front is what an interviewer says: a question, or a "Write…/Rank…" request.
        asks = card.front.rstrip().endswith("?") or card.front.split()[0] in IMPERATIVES
        assert asks, f"{card.id}: a front is a question"
        assert not re.search(r"\b(the notes|the table|the takeaways)\b", card.front), card.id
        # Every follow-up card packs more than one idea, so each gets a nudge.
        assert card.hint, f"{card.id} has no hint"
        assert len(card.hint) < len(card.back) / 2, card.id


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
def test_followup_prompts_do_not_duplicate_any_deck_prompt(catalog: Catalog) -> None:
    import difflib

    # Compared word by word: near-duplicate questions share most of their words in order.
    prompts = {
        it.id: normalize_text(it.front if isinstance(it, Flashcard) else it.claim).split()
        for it in catalog.decks["optimizers"].items
        if isinstance(it, Flashcard | Trap)
    }
    ours = [i for i in prompts if i in ITEMS]
    matcher = difflib.SequenceMatcher(None, autojunk=False)
    for b, text_b in prompts.items():
        matcher.set_seq2(text_b)  # the expensive side, analysed once per prompt
        for a in ours:
            if a == b:
                continue
            matcher.set_seq1(prompts[a])
            # quick_ratio() bounds ratio() from above, so it filters almost every pair cheaply.
            if matcher.real_quick_ratio() >= 0.7 and matcher.quick_ratio() >= 0.7:
                assert matcher.ratio() < 0.7, (a, b, round(matcher.ratio(), 2))


def test_text_is_safe_rich_markup() -> None:
    for item in ITEMS.values():
        text = _text(item)
        # Square brackets would be read as Rich markup; the follow-up files use none.
        assert "[" not in text and "]" not in text, item.id
        assert "@click" not in text, item.id
