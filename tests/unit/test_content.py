"""Quality gates for the shipped optimizers deck (content/optimizers/).

The deck must cover every section of the source notes
(/work/shared/seed/optimizers-study-notes.txt), contain no near-duplicate items, and every
drill item must produce gradable problems.
"""

from __future__ import annotations

import difflib
import importlib.util
import itertools
import tomllib
from collections import Counter
from pathlib import Path

import pytest

from quizapp.decks import DrillItem, Flashcard, Trap, load_paths
from quizapp.decks.loader import Catalog
from quizapp.decks.models import normalize_text

DECK_DIR = Path(__file__).resolve().parents[2] / "content" / "optimizers"
DECK_ID = "optimizers"

# Every section of the notes, with the sub-parts we require to be covered on their own.
# An item whose section is "7.6" covers "7.6" and "7"; "10.q4" covers "10.q4" and "10".
# Note: the notes number "Learning Rate Schedules" as item 8 of section 7's list of
# optimizers (right before section 7's "In a Nutshell"), so it is "7.8" here, and the
# "Optimizer Comparison Table" that follows is section "8".
SECTIONS: list[str] = [
    "pre",  # Pre-notes: learning objectives, prerequisites, where this fits
    "pre.objectives",  # Learning objectives
    "pre.prerequisites",  # Prerequisites
    "pre.where-this-fits",  # Where this fits
    "1",  # What is an optimizer?
    "1.simple-words",  # In simple words (backprop vs optimizer)
    "1.intuition",  # Simple intuition (walking downhill in fog)
    "1.formal",  # Formal definition (interview-ready)
    "1.nutshell",  # In a nutshell
    "2",  # Why do we need optimizers?
    "2.paradigms",  # Old vs new paradigm table
    "2.reasons",  # Key reasons: convergence, stability, generalization, scale
    "2.relevance",  # Real-world relevance table
    "3",  # Core building block: the update rule
    "3.gd",  # Vanilla (batch) gradient descent; learning rate too large / too small
    "3.sgd",  # Stochastic gradient descent; noise helps escape saddles
    "3.steps",  # Minibatch size and steps: batch size, step, epoch; interview tip
    "3.nutshell",  # In a nutshell: θ ← θ − η·(something based on ∇L)
    "3.think",  # Think about it: why update every minibatch?
    "4",  # Process: one training step (where the optimizer fits)
    "4.optimizer-step",  # The optimizer step (SGD vs Adam)
    "4.tip",  # Interview tip: backprop does not update parameters
    "5",  # Key sub-topics table
    "5.lr",  # Learning rate
    "5.momentum",  # Momentum
    "5.adaptive",  # Adaptive learning rate
    "5.bias-correction",  # Bias correction
    "5.weight-decay",  # Weight decay
    "5.schedule",  # Learning rate schedule
    "6",  # Comparison: batch GD vs SGD vs minibatch
    "6.gradient-used",  # Row: gradient used
    "6.step-frequency",  # Row: step frequency
    "6.noise",  # Row: noise
    "6.memory",  # Row: memory
    "6.typical-use",  # Row: typical use in DL
    "7",  # Common types of optimizers
    "7.1",  # Vanilla SGD
    "7.2",  # SGD with momentum
    "7.3",  # Nesterov accelerated gradient
    "7.4",  # AdaGrad
    "7.5",  # RMSProp
    "7.6",  # Adam
    "7.7",  # AdamW
    "7.8",  # Learning rate schedules
    "7.8.constant",  # Schedule: constant
    "7.8.step",  # Schedule: step decay
    "7.8.exponential",  # Schedule: exponential
    "7.8.cosine",  # Schedule: cosine
    "7.8.warmup",  # Schedule: warmup (and why it helps)
    "7.8.warmup-decay",  # Schedule: warmup + decay
    "7.nutshell",  # In a nutshell: SGD, Adam, AdamW, schedules
    "8",  # Optimizer comparison table
    "8.memory",  # Column: memory (extra state)
    "8.hyperparameters",  # Column: key hyperparameters
    "8.when",  # Column: when to consider
    "9",  # Diagram: one step of training
    "10",  # FAQs & common student struggles
    "10.q1",  # What is the learning rate?
    "10.q2",  # What is learning rate decay?
    "10.q3",  # What is warmup?
    "10.q4",  # Is Adam always better than SGD?
    "10.q5",  # What is momentum?
    "10.q6",  # What is bias correction in Adam?
    "10.q7",  # Weight decay vs L2 regularization
    "10.q8",  # How do I choose batch size and learning rate?
    "10.q9",  # What does "adaptive" mean in Adam?
    "10.q10",  # Why does SGD sometimes generalize better than Adam?
    "11",  # Applications
    "11.1",  # Training any neural network
    "11.2",  # Fast prototyping and research
    "11.3",  # Production training pipelines
    "11.4",  # Sparse and imbalanced updates
    "12",  # Advantages and limitations
    "12.adv1",  # Systematic improvement
    "12.adv2",  # Faster and more stable convergence
    "12.adv3",  # Flexibility
    "12.lim1",  # Hyperparameter sensitivity
    "12.lim2",  # Memory and compute cost
    "12.lim3",  # No guarantee of global minimum
    "13",  # Interview-oriented key takeaways
    "14",  # Common interview traps
    "14.trap1",  # Is Adam always better than SGD?
    "14.trap2",  # Backpropagation updates the weights
    "14.trap3",  # Learning rate should be constant
    "14.trap4",  # Weight decay and L2 are the same in Adam
    "14.trap5",  # Momentum is the same as the learning rate
    "14.trap6",  # Bigger batch size always means faster training
    "15",  # Simple real-life analogy
    "16",  # Optimizers in system design: interview traps
    "16.trap1",  # One optimizer for all stages (pretrain vs fine-tune)
    "16.trap2",  # Ignoring batch size when comparing runs
    "16.trap3",  # Optimizing only training loss
    "17",  # Interview gold line
    "18",  # Self-check and "think about it" prompts
    "18.self-check1",  # Backprop vs optimizer: who changes the weights?
    "18.self-check2",  # Momentum and adaptive LR in one sentence each
    "18.self-check3",  # Think about it: switching Adam → SGD + momentum
    "19",  # Likely interview questions
    "19.q1",  # What is an optimizer and how does it differ from backprop?
    "19.q2",  # Write the update rule for SGD and Adam (with bias correction)
    "19.q3",  # What is warmup and why is it used?
    "19.q4",  # Is Adam always better than SGD? When would you use each?
    "19.q5",  # What is AdamW and how does it differ from Adam?
    "19.q6",  # What is momentum? Why does it help?
    "19.q7",  # How does batch size affect the choice of learning rate?
    "20",  # Elevator pitch
    "20.30s",  # 30 seconds
    "20.2min",  # 2 minutes
    "21",  # One-page cheat sheet
    "21.concepts",  # Concept rows (optimizer, η, warmup, weight decay, backprop vs optimizer)
    "21.rules",  # Rule rows (SGD, momentum, Adam, AdamW, steps per epoch)
    "22",  # Formula card
    "23",  # What's next and revision checklist
    "23.next",  # What's next
    "23.checklist",  # Revision checklist
    "23.related",  # Related topics
]

# Drill kinds the engine promises (issue: drill engine); each needs at least one deck item.
EXPECTED_DRILL_KINDS = [
    "sgd",
    "momentum",
    "nesterov",
    "adagrad",
    "rmsprop",
    "adam",
    "adamw",
    "adam-l2",
    "bias-correction",
    "adam-two-steps",
    "lr-step",
    "lr-exponential",
    "lr-cosine",
    "lr-warmup",
    "lr-warmup-cosine",
    "steps-per-epoch",
    "linear-scaling",
    "optimizer-memory",
]

HAS_DRILL_ENGINE = importlib.util.find_spec("quizapp.engine.drills") is not None


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_paths([DECK_DIR])


@pytest.fixture(scope="module")
def items(catalog: Catalog) -> list[Flashcard | Trap | DrillItem]:
    return list(catalog.decks[DECK_ID].items)


def _covers(item_section: str, required: str) -> bool:
    return item_section == required or item_section.startswith(required + ".")


# ---------------------------------------------------------------- validity


def test_quizapp_check_is_clean() -> None:
    from quizapp.cli import main

    assert main(["check"]) == 0


def test_deck_loads_without_problems(catalog: Catalog) -> None:
    assert [str(p) for p in catalog.problems] == []
    assert DECK_ID in catalog.decks
    assert catalog.decks[DECK_ID].title == "Optimizers"


def test_every_file_follows_the_file_conventions() -> None:
    files = sorted(DECK_DIR.glob("*.toml"))
    assert len(files) >= 8
    titled = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert text.splitlines()[0] == "#:schema ../deck.schema.json", path.name
        data = tomllib.loads(text)
        assert data["deck"] == DECK_ID, path.name
        assert data.get("topic"), f"{path.name} sets no default topic"
        if "title" in data:
            titled.append(path.name)
            assert data["title"] == "Optimizers"
            assert data.get("description"), f"{path.name} has a title but no description"
    assert len(titled) == 1, f"exactly one file must set the title, found {titled}"


def test_ids_are_namespaced_and_every_item_names_a_known_section(
    items: list[Flashcard | Trap | DrillItem],
) -> None:
    known = set(SECTIONS)
    for item in items:
        assert item.id.startswith(f"{DECK_ID}."), item.id
        assert item.section, f"{item.id} names no section"
        assert any(_covers(item.section, s) for s in known), (
            f"{item.id}: section {item.section!r} is not a section of the notes"
        )


# ---------------------------------------------------------------- coverage


def test_section_list_is_well_formed() -> None:
    assert len(SECTIONS) == len(set(SECTIONS))
    top = {s.split(".")[0] for s in SECTIONS}
    assert top == {"pre", *(str(n) for n in range(1, 24))}


@pytest.mark.parametrize("section", SECTIONS)
def test_every_section_of_the_notes_is_covered(
    section: str, items: list[Flashcard | Trap | DrillItem]
) -> None:
    covering = [it.id for it in items if it.section and _covers(it.section, section)]
    assert covering, f"no item covers section {section!r} of the notes"


def test_enough_items_of_each_kind(items: list[Flashcard | Trap | DrillItem]) -> None:
    counts = Counter(it.kind for it in items)
    assert len(items) >= 120, counts
    assert counts["flashcard"] >= 100, counts
    assert counts["trap"] >= 20, counts
    assert counts["drill"] >= 18, counts


def test_interview_and_system_design_traps_are_traps(
    items: list[Flashcard | Trap | DrillItem],
) -> None:
    wanted = [f"14.trap{n}" for n in range(1, 7)] + [f"16.trap{n}" for n in range(1, 4)]
    for section in wanted:
        assert any(isinstance(it, Trap) and it.section == section for it in items), section


def test_traps_have_two_or_three_comparable_distractors(
    items: list[Flashcard | Trap | DrillItem],
) -> None:
    for trap in (it for it in items if isinstance(it, Trap)):
        assert 2 <= len(trap.distractors) <= 3, trap.id
        # The false claim must not stand out by length among its distractors.
        mean = sum(len(d) for d in trap.distractors) / len(trap.distractors)
        assert 0.4 <= len(trap.claim) / mean <= 2.5, (trap.id, len(trap.claim), mean)


def test_flashcard_backs_are_interview_length(items: list[Flashcard | Trap | DrillItem]) -> None:
    # ~150 spoken words a minute: a back must fit in about 30 s; longer material goes in
    # `deeper`. Say-aloud cards (pitches, model answers) may run a little longer.
    for card in (it for it in items if isinstance(it, Flashcard)):
        words = len(card.back.split())
        assert words <= (100 if card.say_aloud else 80), (card.id, words)


def test_elevator_pitches_are_say_aloud(items: list[Flashcard | Trap | DrillItem]) -> None:
    for section in ("20.30s", "20.2min"):
        pitches = [it for it in items if isinstance(it, Flashcard) and it.section == section]
        assert pitches and all(p.say_aloud for p in pitches), section


# ---------------------------------------------------------------- no near-duplicates


def _prompt(item: Flashcard | Trap | DrillItem) -> str | None:
    if isinstance(item, Flashcard):
        return item.front
    if isinstance(item, Trap):
        return item.claim
    return None


def test_no_two_items_share_a_normalized_prompt(
    items: list[Flashcard | Trap | DrillItem],
) -> None:
    seen: dict[str, str] = {}
    for item in items:
        prompt = _prompt(item)
        if prompt is None:
            continue
        key = normalize_text(prompt)
        assert key not in seen, f"{item.id} repeats {seen[key]}"
        seen[key] = item.id


def test_no_two_prompts_are_near_duplicates(items: list[Flashcard | Trap | DrillItem]) -> None:
    prompts = [(it.id, normalize_text(p)) for it in items if (p := _prompt(it)) is not None]
    too_close = []
    for (id_a, a), (id_b, b) in itertools.combinations(prompts, 2):
        matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
        if (
            matcher.real_quick_ratio() > 0.9
            and matcher.quick_ratio() > 0.9
            and matcher.ratio() > 0.9
        ):
            too_close.append((id_a, id_b, round(matcher.ratio(), 3)))
    assert too_close == []


def test_trap_claims_are_not_repeated_as_other_traps_distractors(
    items: list[Flashcard | Trap | DrillItem],
) -> None:
    # A false claim shown as a "true" distractor elsewhere would teach the wrong thing.
    claims = {normalize_text(it.claim): it.id for it in items if isinstance(it, Trap)}
    for trap in (it for it in items if isinstance(it, Trap)):
        for d in trap.distractors:
            assert normalize_text(d) not in claims, (trap.id, claims.get(normalize_text(d)))


# ---------------------------------------------------------------- drills


def _drill_items(items: list[Flashcard | Trap | DrillItem]) -> list[DrillItem]:
    return [it for it in items if isinstance(it, DrillItem)]


@pytest.mark.skipif(not HAS_DRILL_ENGINE, reason="quizapp.engine.drills is not there yet")
def test_every_drill_kind_has_an_item(items: list[Flashcard | Trap | DrillItem]) -> None:
    from quizapp.engine import drills

    used = {it.drill for it in _drill_items(items)}
    missing = sorted((set(drills.kinds()) | set(EXPECTED_DRILL_KINDS)) - used)
    assert missing == []


@pytest.mark.skipif(not HAS_DRILL_ENGINE, reason="quizapp.engine.drills is not there yet")
def test_drill_overrides_are_valid(items: list[Flashcard | Trap | DrillItem]) -> None:
    from quizapp.engine import drills

    for item in _drill_items(items):
        assert drills.validate_overrides(item.drill, dict(item.params)) == [], item.id


@pytest.mark.skipif(not HAS_DRILL_ENGINE, reason="quizapp.engine.drills is not there yet")
def test_every_drill_item_generates_gradable_problems(
    items: list[Flashcard | Trap | DrillItem],
) -> None:
    from quizapp.engine import drills

    for item in _drill_items(items):
        problems = [drills.generate(item.drill, s, dict(item.params)) for s in range(100)]
        for seed, problem in enumerate(problems):
            exact = problem.answers[problem.primary]
            verdict = drills.grade(problem, {problem.primary: repr(exact)})
            assert verdict.correct, (item.id, seed, problem.primary, exact, verdict.feedback)
        # generate() and generate_many() must agree, so spot-check one seed the slow way.
        single = drills.generate(item.drill, 7, overrides=dict(item.params))
        assert single.answers == problems[7].answers, item.id
