"""``quizapp lab``: optimizers racing on a 2-D loss surface.

    quizapp lab                                   # the lab in the terminal
    quizapp lab --experiment warmup               # a guided experiment
    quizapp lab --surface rosenbrock --start=-1.5,2 --steps 500 --optimizers sgd,adam
    quizapp lab --png FILE | --svg FILE           # the same picture as an image (quizapp[plot])
    quizapp lab --list                            # experiments, surfaces, optimizers

Bad arguments: a one-line message and exit 2; an image that cannot be written (or no
matplotlib): a message and exit 1.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXIT_REFUSED = 1
EXIT_USAGE = 2
INSTALL_PLOT = "pip install 'quizapp[plot]'  (or: pip install matplotlib)"


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "lab",
        help="watch optimizers race on a 2-D loss surface (trajectory lab)",
        description="Optimizers race from one start point on a 2-D loss surface, drawn as "
        "contours; change η, β, ε, weight decay, the schedule, the surface or the start and the "
        "paths redraw at once. --png/--svg write the picture instead (needs quizapp[plot]).",
    )
    p.add_argument("--experiment", metavar="ID", help="open a guided experiment (see --list)")
    p.add_argument("--surface", metavar="NAME", help="the surface to start on (see --list)")
    p.add_argument(
        "--start", metavar="X,Y", help="the start point, e.g. --start=-1.5,2 (use = before a minus)"
    )
    p.add_argument("--steps", metavar="N", help="steps per optimizer (1 to 20000)")
    p.add_argument(
        "--optimizers",
        metavar="LIST",
        help="which optimizers race, comma-separated: sgd,momentum,nesterov,adagrad,rmsprop,"
        "adam,adamw and one more engine optimizer (e.g. lion)",
    )
    image = p.add_mutually_exclusive_group()
    image.add_argument("--png", metavar="FILE", type=Path, help="write the picture as PNG")
    image.add_argument("--svg", metavar="FILE", type=Path, help="write the picture as SVG")
    p.add_argument("--list", action="store_true", help="list experiments, surfaces, optimizers")
    p.set_defaults(func=run)


class _Usage(Exception):
    pass


def run(args: argparse.Namespace) -> int:
    from quizapp.study.lab import LabError, LabSession
    from quizapp.study.lab_experiments import BY_ID

    if args.list:
        print(_listing())
        return 0
    try:
        if args.experiment is not None and args.experiment not in BY_ID:
            raise _Usage(f"unknown experiment {args.experiment!r}; valid: {', '.join(BY_ID)}")
        session = LabSession(experiment=args.experiment)
        session.apply(
            surface=args.surface,
            start=_pair(args.start),
            steps=_int(args.steps, "--steps"),
            racers=_names(args.optimizers),
        )
    except (_Usage, LabError) as exc:
        print(f"quizapp lab: {exc}", file=sys.stderr)
        return EXIT_USAGE
    target = args.png or args.svg
    if target is not None:
        return _write_image(session, target, "png" if args.png else "svg")
    if not _interactive():
        print(
            "quizapp lab: the lab needs a terminal; use --png FILE or --svg FILE for a picture",
            file=sys.stderr,
        )
        return EXIT_REFUSED
    from quizapp.commands._common import load_catalog_or_report
    from quizapp.tui.app import run_lab

    return run_lab(load_catalog_or_report(args), session)


def _write_image(session: object, target: Path, fmt: str) -> int:
    try:
        from quizapp.commands._lab_image import write_image
    except ImportError:
        print(f"quizapp lab: writing images needs matplotlib: {INSTALL_PLOT}", file=sys.stderr)
        return EXIT_REFUSED
    try:
        write_image(session, target, fmt)  # type: ignore[arg-type]
    except OSError as exc:
        print(f"quizapp lab: cannot write {target}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_REFUSED
    print(f"wrote {target}")
    return 0


def _pair(text: str | None) -> tuple[float, float] | None:
    if text is None:
        return None
    parts = text.replace(" ", "").split(",")
    try:
        x, y = (float(v) for v in parts)
    except ValueError:
        raise _Usage(
            f"--start must be two numbers X,Y (e.g. --start=-1.5,2), not {text!r}"
        ) from None
    if not all(abs(v) < 1e6 for v in (x, y)):
        raise _Usage(f"--start must be finite and within ±10⁶, not {text!r}")
    return (x, y)


def _int(text: str | None, flag: str) -> int | None:
    if text is None:
        return None
    try:
        return int(text.replace("_", ""))
    except ValueError:
        raise _Usage(f"{flag} must be a whole number, not {text!r}") from None


def _names(text: str | None) -> list[str] | None:
    if text is None:
        return None
    return [n.strip().lower() for n in text.split(",") if n.strip()]


def _listing() -> str:
    from quizapp.engine import surfaces
    from quizapp.study.lab_experiments import EXPERIMENTS
    from quizapp.study.lab_knobs import MAIN, other_optimizers

    lines = ["experiments (--experiment ID):"]
    lines += [f"  {e.id:<20} {e.title}" for e in EXPERIMENTS]
    lines.append("surfaces (--surface NAME):")
    lines += [f"  {k.name:<20} {k.title}: {k.formula}" for k in surfaces.KINDS.values()]
    lines.append("optimizers (--optimizers LIST):")
    lines.append(f"  {', '.join(MAIN)}; one more of: {', '.join(other_optimizers())}")
    return "\n".join(lines)


def _interactive() -> bool:
    try:
        return sys.stdin.isatty() and sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False
