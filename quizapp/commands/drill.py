"""``quizapp drill``: numeric drills on the command line.

    quizapp drill --list [--json]
    quizapp drill KIND --seed N --json                     # the problem as JSON
    quizapp drill KIND --seed N --answer 0.0123 --json     # grade the primary field
    quizapp drill KIND --seed N --answer m=0.1 --answer theta=1.98
    quizapp drill KIND --param t=2,20 --param beta1=0.9   # deck-style overrides
    quizapp drill [KIND]                                   # the TUI drill screen (a terminal)

Bad kind, seed, field or value: a one-line message on stderr and exit 2.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from typing import Any

from quizapp.commands._common import load_catalog_or_report, parse_seed

EXIT_USAGE = 2
_FIELD_ANSWER = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$", re.S)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "drill",
        help="solve a randomized numeric drill (Adam step, lr schedule, ...)",
        description="Generate a numeric drill, print it, and grade answers. Without --json "
        "and --answer, opens the drill screen.",
    )
    p.add_argument("kind", nargs="?", metavar="KIND", help="drill kind (see --list)")
    p.add_argument("--list", action="store_true", help="list the drill kinds")
    p.add_argument("--seed", metavar="N", help="reproduce a problem (default: a random seed)")
    p.add_argument(
        "--answer",
        metavar="[FIELD=]VALUE",
        action="append",
        default=[],
        help="grade VALUE for the primary field, or FIELD=VALUE for an intermediate (repeatable)",
    )
    p.add_argument(
        "--param",
        metavar="NAME=VALUE",
        action="append",
        default=[],
        help="override a generator parameter as a deck would: t=2,20 (a range), beta1=0.9, "
        "optimizer=adam,sgd (choices); see --list --json for the names (repeatable)",
    )
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=run)


class _UsageError(Exception):
    pass


def run(args: argparse.Namespace) -> int:
    from quizapp.engine import drills

    try:
        if args.list:
            return _list(args.json)
        seed = _seed(args.seed)
        random_seed = seed is None
        overrides = _overrides(args.param)
        if not args.json and not args.answer and _interactive():
            return _tui(args, seed, overrides)
        if args.kind is None:
            if args.json or args.answer:
                raise _UsageError("give a drill KIND (see `quizapp drill --list`)")
            print(_list_text())
            print("\ngive a KIND to get a problem, e.g. `quizapp drill adam`")
            return 0
        if seed is None:
            import secrets

            seed = secrets.randbelow(2**31)
        if args.json and not args.answer:
            # the problem as data: the same record the Problem model is validated from, built
            # without pydantic (drills.generate_json)
            data = drills.generate_json(args.kind, seed, overrides or None)
            _say_seed_and_warnings(args.kind, seed, random_seed, overrides)
            _print_json(data)
            return 0
        problem = drills.generate(args.kind, seed, overrides or None)
        _say_seed_and_warnings(args.kind, seed, random_seed and args.json, overrides)
        if not args.answer:
            _print(render_problem(problem, random_seed=random_seed))
            return 0
        answers = _answers(args.answer, problem.primary)
        verdict = drills.grade(problem, answers)
    except _UsageError as exc:
        return _fail(str(exc))
    except drills.DrillError as exc:
        return _fail(exc.message)
    except drills.AnswerParseError as exc:
        return _fail(f"cannot read the answer: {exc}")
    if args.json:
        out: dict[str, Any] = verdict.model_dump(mode="json")
        out["problem"] = problem.model_dump(mode="json")
        _print_json(out)
    else:
        _print(render_problem(problem, random_seed=random_seed))
        print()
        _print(render_verdict(problem, verdict))
    return 0


def _say_seed_and_warnings(kind: str, seed: int, say_seed: bool, overrides: dict[str, Any]) -> None:
    """On stderr: the random seed drawn (when ``say_seed``: the JSON output has it, the
    text names it on stdout), and what the overrides' check found doubtful (ranges that
    fight the kind's rules; the problem still comes)."""
    from quizapp.engine import drills

    if say_seed:
        print(f"quizapp drill: random seed {seed}", file=sys.stderr)
    if overrides:
        for warning in drills.check_overrides(kind, overrides).warnings:
            print(f"quizapp drill: warning: {warning}", file=sys.stderr)


def _print(text: str) -> None:
    """Text that may echo a typed answer or --param value: no terminal control codes."""
    from quizapp.decks.controls import strip_controls

    print(strip_controls(text))


def _print_json(data: Any) -> None:
    from quizapp.decks.controls import escape_controls

    print(escape_controls(json.dumps(data, indent=2, ensure_ascii=False)))


def _fail(message: str) -> int:
    from quizapp.decks.controls import strip_controls

    print(f"quizapp drill: {strip_controls(message)}", file=sys.stderr)
    return EXIT_USAGE


def _seed(text: str | None) -> int | None:
    if text is None:
        return None
    try:
        return parse_seed(text)
    except ValueError as exc:
        raise _UsageError(str(exc)) from None


def _answers(items: list[str], primary: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items:
        m = _FIELD_ANSWER.match(item)
        field, value = (m.group(1), m.group(2)) if m else (primary, item)
        if field in out:
            raise _UsageError(f"--answer given twice for {field!r}")
        if not value.strip():
            raise _UsageError(f"--answer {item!r} has no value")
        out[field] = value
    return out


def _scalar(text: str) -> Any:
    t = text.strip()
    if t.lower() in ("true", "false"):
        return t.lower() == "true"
    for cast in (int, float):
        try:
            return cast(t)
        except ValueError:
            pass
    return t


def _overrides(items: list[str]) -> dict[str, Any]:
    """``--param`` items as deck-style overrides: NAME=VALUE or NAME=LOW,HIGH (or choices)."""
    out: dict[str, Any] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise _UsageError(f"--param {item!r}: expected NAME=VALUE or NAME=LOW,HIGH")
        parts = [_scalar(v) for v in value.split(",")]
        out[name.strip()] = parts if len(parts) > 1 else parts[0]
    return out


def _interactive() -> bool:
    try:
        return sys.stdin.isatty() and sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def _tui(args: argparse.Namespace, seed: int | None, overrides: dict[str, Any]) -> int:
    """The drill screen for ``args.kind`` (the kind picker without one), with the seed and
    ``--param`` overrides of the command line; bad ones are usage errors before any screen."""
    from quizapp.engine import drills

    if args.kind is not None:
        drills.info(args.kind)  # DrillError naming the kinds
        problems = drills.validate_overrides(args.kind, overrides) if overrides else []
        if problems:
            raise _UsageError("; ".join(problems))
    elif overrides:
        raise _UsageError("--param needs a drill KIND")
    catalog = load_catalog_or_report(args)
    from quizapp.tui.app import run_drill

    return run_drill(catalog, args.kind, seed=seed, overrides=overrides or None)


def _list(as_json: bool) -> int:
    from quizapp.engine import drills

    if as_json:
        infos = [drills.info(k).model_dump(mode="json") for k in drills.kinds()]
        print(json.dumps(infos, indent=2, ensure_ascii=False))
    else:
        print(_list_text())
    return 0


def _list_text() -> str:
    from quizapp.engine import drills

    rows = [(k, drills.info(k)) for k in drills.kinds()]
    width = max(len(k) for k, _ in rows)
    lines = ["drill kinds:"]
    for k, info in rows:
        lines.append(f"  {k:<{width}}  {info.title} — {info.description}")
    return "\n".join(lines)


def render_problem(problem: Any, *, random_seed: bool = False) -> str:
    """The problem as plain text: title, prompt, givens, convention and the fields to answer."""
    from quizapp.engine.drills.base import fmt

    seed_note = " (random)" if random_seed else ""
    for name, value in problem.overrides.items():
        shown = ",".join(str(v) for v in value) if isinstance(value, list) else str(value)
        seed_note += f" --param {name}={shown}"
    lines = [
        f"{problem.title}  [{problem.kind} --seed {problem.seed}{seed_note}]",
        "",
        problem.prompt,
        "",
    ]
    lines.append("given:")
    width = max(len(problem.given_labels.get(k, k)) for k in problem.given)
    for name, value in problem.given.items():
        label = problem.given_labels.get(name, name)
        lines.append(f"  {label:<{width}} = {fmt(value)}    ({name})")
    lines.append("convention:")
    lines.extend(f"  {line}" for line in problem.convention)
    lines.append("answer fields (--answer FIELD=VALUE; a bare VALUE answers the *starred* one):")
    for f in problem.fields:
        star = "*" if f.primary else " "
        lines.append(f"  {star} {f.name:<16} {f.label:<14} {f.hint}")
    return "\n".join(lines)


def render_verdict(problem: Any, verdict: Any) -> str:
    """The verdict as plain text: feedback, the mistake, per-field results and the worked
    solution (exact values with the digits their grade needs)."""
    from quizapp.engine.drills import MISTAKES

    head = "CORRECT" if verdict.correct else "NOT YET"
    lines = [f"{head}: {verdict.feedback}"]
    if verdict.mistake:
        lines.append(f"  mistake: {verdict.mistake} — {MISTAKES[verdict.mistake]}")
    lines.append("")
    for r in verdict.fields:
        mark = "✓" if r.correct else "✗"
        lines.append(f"  {mark} {r.field:<16} you: {r.given_text:<14} exact: {r.expected_text}")
    lines.append("")
    lines.append("worked solution:")
    for step in problem.solution:
        value = "" if step.value_text is None else f" = {step.value_text}"
        lines.append(f"  {step.label} = {step.expression}{value}")
    return "\n".join(lines)
