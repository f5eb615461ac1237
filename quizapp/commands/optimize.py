"""``quizapp optimize``: fit the FSRS parameters to your own reviews (needs the optional
``quizapp[optimize]`` extra) and write them to config.toml."""

from __future__ import annotations

import argparse
import json
import sys


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "optimize",
        help="fit the FSRS parameters to your review history (quizapp[optimize])",
        description=(
            "Fit FSRS-6's 21 parameters to your review log with fsrs-rs (the optimizer Anki "
            "uses), report log loss and RMSE before and after, and write them to "
            "config.toml [scheduling] parameters (your comments and other settings are kept). "
            "Needs: pip install 'quizapp[optimize]'."
        ),
    )
    p.add_argument("--dry-run", action="store_true", help="report the fit; write nothing")
    p.add_argument(
        "--reschedule",
        action="store_true",
        help="also reschedule every item with the new parameters (see `quizapp reschedule`)",
    )
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from quizapp import paths
    from quizapp.settings import SettingsError, load_scheduler_config
    from quizapp.srs import optimize
    from quizapp.srs.store import Store, StoreError

    try:
        optimize.require()
        config = load_scheduler_config()
    except (optimize.OptimizeError, SettingsError) as exc:
        print(f"quizapp optimize: {exc}", file=sys.stderr)
        return 1
    db = paths.db_path()
    if not db.exists():
        print(f"quizapp optimize: no reviews yet (looked for {db})", file=sys.stderr)
        return 1
    try:
        with Store.open(db, reading_only=args.dry_run) as store:
            result = optimize.optimize(store, config.parameters)
            if not args.dry_run:
                optimize.write_parameters(paths.config_file(), result.parameters)
                if args.reschedule:
                    from quizapp.commands.reschedule import preview_text
                    from quizapp.srs import reschedule
                    from quizapp.study.clock import SystemClock

                    new = config.model_copy(update={"parameters": result.parameters})
                    planned = reschedule.plan(store, new, SystemClock().now())
                    summary = planned.summary()
                    summary["applied"] = reschedule.apply(store, planned)
    except (optimize.OptimizeError, StoreError, OSError) as exc:
        print(f"quizapp optimize: {exc}", file=sys.stderr)
        return 1
    data = {
        "reviews": result.reviews,
        "training_items": result.items,
        "items": result.cards,
        "before": {"log_loss": result.before.log_loss, "rmse": result.before.rmse},
        "after": {"log_loss": result.after.log_loss, "rmse": result.after.rmse},
        "parameters": list(result.parameters),
        "written": None if args.dry_run else str(paths.config_file()),
    }
    if args.json:
        print(json.dumps(data, indent=2))
        return 0
    b, a = result.before, result.after
    print(
        f"fitted to {result.items} reviews of {result.cards} items "
        f"({result.reviews} scheduling answers in the log)"
    )
    print(f"  log loss  {b.log_loss:.4f} → {a.log_loss:.4f}")
    print(f"  RMSE      {100 * b.rmse:.2f}% → {100 * a.rmse:.2f}%")
    print("  parameters " + ", ".join(f"{v:g}" for v in result.parameters))
    if args.dry_run:
        print("nothing was written (dry run)")
    else:
        print(f"written to {paths.config_file()} [scheduling] parameters")
        if args.reschedule:
            print(preview_text(summary, applied=True))
        else:
            print(
                "new intervals apply from your next answers; `quizapp reschedule --dry-run` "
                "shows what rescheduling everything now would move"
            )
    return 0
