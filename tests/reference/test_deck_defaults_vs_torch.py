"""Defaults the shipped deck states, checked against torch 2.13's signatures and the engine.

Each row of ``STATED`` names an item, the words in which it states a default, the torch object
and the values those words give. The item must still say those words (the text is the claim),
the engine must use the same values where it implements the object (runs without torch), and
torch's signature must agree (skipped without torch). The engine's own defaults are compared
with torch for every optimizer both have. Defaults the follow-up files state about GradScaler,
Muon, Adafactor, LBFGS, zero_grad and the EMA helpers are checked in
tests/unit/test_content_followups_numbers.py.
"""

from __future__ import annotations

import inspect
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from quizapp.decks import DrillItem, Flashcard, Trap
from quizapp.decks.models import DeckFile
from quizapp.engine import optim
from tests.lazy_torch import needs_torch, torch, uses_torch

DECK_DIR = Path(__file__).resolve().parents[2] / "content" / "optimizers"


def _texts() -> dict[str, str]:
    """Every item's text as the learner reads it (TOML's line continuations joined)."""
    out: dict[str, str] = {}
    for path in sorted(DECK_DIR.glob("*.toml")):
        deck = DeckFile.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))
        for it in deck.items:
            if isinstance(it, Flashcard):
                parts = [it.front, it.back, it.hint or "", it.deeper or ""]
            elif isinstance(it, Trap):
                parts = [it.question or "", it.claim, it.why_wrong, it.correct]
                parts += [*it.distractors, *it.why_true]
            else:
                assert isinstance(it, DrillItem)
                parts = [it.title or "", it.note or ""]
            out[it.id] = " ".join(parts)
    return out


TEXTS = _texts()


@dataclass(frozen=True)
class Stated:
    item: str
    words: tuple[str, ...]
    target: str  # dotted name under torch: "optim.Adam", "optim.lr_scheduler.OneCycleLR"
    values: dict[str, Any]
    engine: str | None = None  # the engine optimizer implementing target, if any


STATED = [
    Stated(
        "optimizers.adam.default-hyperparameters",
        ("β₁ = 0.9, β₂ = 0.999, ε = 1e-8, and η = 1e-3",),
        "optim.Adam",
        {"lr": 1e-3, "betas": (0.9, 0.999), "eps": 1e-8},
        "adam",
    ),
    Stated(
        "optimizers.adaptive.adagrad-update",
        ("lr = 1e-2, eps = 1e-10, initial_accumulator_value = 0",),
        "optim.Adagrad",
        {"lr": 1e-2, "eps": 1e-10, "initial_accumulator_value": 0},
        "adagrad",
    ),
    Stated(
        "optimizers.adaptive.rmsprop-update",
        ("alpha (default 0.99, lr 1e-2, eps 1e-8)",),
        "optim.RMSprop",
        {"alpha": 0.99, "lr": 1e-2, "eps": 1e-8},
        "rmsprop",
    ),
    Stated(
        "optimizers.adaptive.epsilon-role",
        ("1e-8 for torch's Adam and RMSprop",),
        "optim.RMSprop",
        {"eps": 1e-8},
        "rmsprop",
    ),
    Stated(
        "optimizers.adaptive.epsilon-role",
        ("1e-10 for Adagrad",),
        "optim.Adagrad",
        {"eps": 1e-10},
        "adagrad",
    ),
    Stated(
        "optimizers.choosing.extra-memory",
        ("RMSprop: 1 (v) — 2 or 3 with momentum and/or centered=True",),
        "optim.RMSprop",
        {"momentum": 0, "centered": False},
        "rmsprop",
    ),
    Stated(
        "optimizers.momentum.trap-torch-momentum-is-ema",
        ("dampening defaults to 0",),
        "optim.SGD",
        {"dampening": 0, "nesterov": False},
        "sgd",
    ),
    Stated(
        "optimizers.adamw-practice.typical-values",
        ("torch.optim.AdamW defaults to weight_decay = 0.01",),
        "optim.AdamW",
        {"weight_decay": 1e-2},
        "adamw",
    ),
    Stated(
        "optimizers.adamw-practice.typical-values",
        ("torch.optim.Adam to 0",),
        "optim.Adam",
        {"weight_decay": 0},
        "adam",
    ),
    Stated(
        "optimizers.amsgrad.trap-same-state",
        ("Both constructors take amsgrad (default False)",),
        "optim.Adam",
        {"amsgrad": False},
        "adam",
    ),
    Stated(
        "optimizers.amsgrad.trap-same-state",
        ("Both constructors take amsgrad (default False)",),
        "optim.AdamW",
        {"amsgrad": False},
        "adamw",
    ),
    Stated(
        "optimizers.schedulers.reduce-on-plateau",
        ("(relative 1e-4)", "patience (default 10)", "factor (default 0.1)", "smaller than 1e-8"),
        "optim.lr_scheduler.ReduceLROnPlateau",
        {"threshold": 1e-4, "threshold_mode": "rel", "patience": 10, "factor": 0.1, "eps": 1e-8},
    ),
    Stated(
        "optimizers.schedulers.onecycle",
        ("max_lr/25", "first 30 %", "(cosine by default)", "max_lr/(25·10⁴)", "0.95 → 0.85 → 0.95"),
        "optim.lr_scheduler.OneCycleLR",
        {
            "div_factor": 25.0,
            "pct_start": 0.3,
            "anneal_strategy": "cos",
            "final_div_factor": 1e4,
            "max_momentum": 0.95,
            "base_momentum": 0.85,
            "cycle_momentum": True,
        },
    ),
    Stated(
        "optimizers.gd-variants.steps-per-epoch-formula",
        ("keeps the last, partial batch by default", "drop_last=True"),
        "utils.data.DataLoader",
        {"drop_last": False},
    ),
]
IDS = [f"{s.item.rsplit('.', 1)[1]}-{s.target.rsplit('.', 1)[1]}" for s in STATED]


@pytest.mark.parametrize("stated", STATED, ids=IDS)
def test_the_item_states_the_engine_default(stated: Stated) -> None:
    assert stated.item in TEXTS, f"no item {stated.item} in the deck"
    for words in stated.words:
        assert words in TEXTS[stated.item], f"{stated.item} should say {words!r}"
    if stated.engine is not None:
        engine = optim.defaults(stated.engine)
        assert {k: engine[k] for k in stated.values} == stated.values


def _signature_defaults(target: str) -> dict[str, Any]:
    obj: Any = torch
    for name in target.split("."):
        obj = getattr(obj, name)
    return {k: p.default for k, p in inspect.signature(obj).parameters.items()}


@needs_torch
@uses_torch
@pytest.mark.parametrize("stated", STATED, ids=IDS)
def test_the_stated_default_is_torchs(stated: Stated) -> None:
    defaults = _signature_defaults(stated.target)
    assert {k: defaults.get(k, "missing") for k in stated.values} == stated.values


#: The engine's names for torch.optim's classes (lion is lion-pytorch's, not torch's).
TORCH_CLASS = {
    "sgd": "SGD",
    "adagrad": "Adagrad",
    "rmsprop": "RMSprop",
    "adam": "Adam",
    "adamw": "AdamW",
    "nadam": "NAdam",
    "radam": "RAdam",
    "adamax": "Adamax",
    "adadelta": "Adadelta",
    "adafactor": "Adafactor",
    "rprop": "Rprop",
    "asgd": "ASGD",
    "muon": "Muon",
}
#: Engine keywords torch's signature does not have: AdamW fixes the flag inside __init__, and
#: the engine's Adafactor steps leading batch axes as independent problems.
ENGINE_ONLY = {"adamw": {"decoupled_weight_decay": True}, "adafactor": {"batch_dims": 0}}


def test_every_engine_optimizer_but_lion_is_a_torch_class() -> None:
    assert set(optim.names()) - set(TORCH_CLASS) == {"lion"}


@needs_torch
@uses_torch
@pytest.mark.parametrize("name", sorted(TORCH_CLASS))
def test_engine_defaults_are_torchs(name: str) -> None:
    engine = dict(optim.defaults(name))
    extra = ENGINE_ONLY.get(name, {})
    assert {k: engine.pop(k) for k in extra} == extra
    torch_defaults = _signature_defaults(f"optim.{TORCH_CLASS[name]}")
    assert {k: torch_defaults.get(k, "missing") for k in engine} == engine
    if name == "adamw":
        p = torch.nn.Parameter(torch.zeros(1))
        assert torch.optim.AdamW([p]).param_groups[0]["decoupled_weight_decay"] is True
