"""Regenerate tests/unit/golden_drill_json.json: the shape of what ``quizapp drill … --json``
prints, for every kind and SEEDS, the shipped decks' overrides and a few answers.

    PYTHONPATH=. python tests/unit/make_drill_json_golden.py

Each output is pinned by a digest of its :func:`shape`: the JSON as printed with every
number written with a decimal point or an exponent replaced by one token, so the digest
pins keys, their order, types (1 vs 1.0, null), texts and integers exactly, and leaves the
floats' last digits (a different libm's pow or cos) to the engine's golden values
(golden_drills.json). Recorded before the problem JSON stopped going through pydantic
(``drills.generate_json``), whose output must be the same: a change in the file must be
deliberate.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import tomllib
from pathlib import Path

from quizapp.cli import main
from quizapp.engine import drills

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).with_name("golden_drill_json.json")
SEEDS = range(30)
ANSWER_SEEDS = range(2)
OVERRIDE_SEEDS = range(3)
FLOAT = "\ufffdfloat\ufffd"


def run(argv: list[str]) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of ``quizapp ARGV``, in this process."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def shape(code: int, out: str, err: str) -> str:
    """A digest of an output with its floats' digits left out (see the module's doc)."""
    text = out
    if code == 0:
        data = json.loads(out, parse_float=lambda _: FLOAT)
        text = json.dumps(data, ensure_ascii=False)
    blob = json.dumps([code, text, err], ensure_ascii=False)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def override_cases() -> list[list[str]]:
    """``--param`` arguments for every drill item of the shipped decks that has overrides."""
    cases = []
    for path in sorted((ROOT / "content").rglob("*.toml")):
        for item in tomllib.loads(path.read_text(encoding="utf-8")).get("drill", []):
            params = item.get("params") or {}
            if params:
                args = [item["drill"]]
                for name, value in params.items():
                    text = ",".join(map(str, value)) if isinstance(value, list) else str(value)
                    args += ["--param", f"{name}={text}"]
                cases.append(args)
    return cases


def cases() -> dict[str, list[str]]:
    """Name -> argv of every pinned command line."""
    out: dict[str, list[str]] = {}
    for kind in drills.kinds():
        for seed in SEEDS:
            out[f"{kind} {seed}"] = ["drill", kind, "--seed", str(seed), "--json"]
        for seed in ANSWER_SEEDS:
            for answer in ("0.5", "1e-3", "m=0.1"):
                out[f"{kind} {seed} --answer {answer}"] = [
                    "drill", kind, "--seed", str(seed), "--answer", answer, "--json",
                ]  # fmt: skip
    for args in override_cases():
        for seed in OVERRIDE_SEEDS:
            out[" ".join([*args, str(seed)])] = ["drill", *args, "--seed", str(seed), "--json"]
    return out


def record() -> dict[str, str]:
    return {name: shape(*run(argv)) for name, argv in cases().items()}


if __name__ == "__main__":
    OUT.write_text(json.dumps(record(), indent=0, ensure_ascii=False) + "\n")
    print(f"wrote {OUT}")
