"""``quizapp import FILE --deck NAME [--dry-run]``: cards from a TSV/CSV into a user deck.

(The module is ``import_`` because ``import`` is a Python keyword; the subcommand is ``import``.)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "import",
        help="import cards from a TSV/CSV (Anki's text export, Quizlet, a spreadsheet)",
        description=(
            "Turn a table of cards into a deck of your own: Anki's 'Notes in Plain Text' export "
            "(its #separator/#html/#columns/#tags/#guid headers are read), Quizlet's export "
            "(term TAB definition, one card per line) or any CSV/TSV with a question and an "
            "answer column (a third column becomes the note after the answer). The deck is "
            "written to your decks folder as NAME.toml and passes `quizapp check`; ids come "
            "from the content, so importing an updated file again keeps your progress. Rows "
            "that cannot be read are listed with their line numbers and the others are kept. "
            "An existing file is backed up before it is replaced."
        ),
    )
    p.add_argument("file", type=Path, metavar="FILE", help="the .txt/.tsv/.csv to import")
    p.add_argument(
        "--deck", required=True, metavar="NAME", help="the deck's name (its id is made from it)"
    )
    p.add_argument(
        "--dry-run",
        action="store_true",
        help="show the deck file that would be written; write nothing",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from quizapp import paths
    from quizapp.decks.loader import load_catalog
    from quizapp.interop import importer

    if not args.deck.strip():
        return _fail("--deck needs a name", code=2)
    if not args.file.exists():
        return _fail(f"{args.file}: no such file", code=2)
    if args.file.is_dir():
        return _fail(f"{args.file}: is a folder; give the exported .txt/.tsv/.csv file", code=2)
    try:
        table = importer.read_table(args.file)
    except importer.TableError as exc:
        return _fail(str(exc))
    deck = importer.deck_id_for(args.deck)
    folder = paths.user_content_dir()
    target = folder / f"{deck}.toml"
    catalog = load_catalog(args.content)
    shipped = paths.shipped_content_dir().resolve()
    existing = catalog.decks.get(deck)
    if existing is not None and any(
        Path(f).resolve().is_relative_to(shipped) for f in existing.files
    ):
        return _fail(f"{deck!r} is a deck that ships with quizapp; choose another --deck name")
    others = {e.id: e for e in catalog.items.values() if Path(e.path).resolve() != target.resolve()}
    kept = []
    for card in table.cards:
        item_id = importer.item_id(deck, card)
        clash = others.get(item_id)
        if clash is not None:
            table.problems.append(
                importer.ImportProblem(
                    table.path,
                    card.line,
                    f"the id {item_id} is already used at {clash.path}:{clash.line}",
                )
            )
        else:
            kept.append(card)
    table.cards = kept
    for problem in sorted(table.problems, key=lambda p: p.line or 0):
        print(problem, file=sys.stderr)
    bad = sum(1 for p in table.problems if p.severity == "error")
    if not table.cards:
        return _fail(
            f"{args.file}: no card could be imported"
            + (f" ({bad} bad row{'s' if bad != 1 else ''} above)" if bad else "")
        )
    title_taken = existing is not None and any(
        Path(f).resolve() != target.resolve() for f in existing.files
    )
    plan = importer.build(table, args.deck.strip(), folder, title_taken=title_taken)
    broken = importer.problems_of(plan)
    if broken:  # our own bug: never write a deck that `quizapp check` refuses
        for line in broken:
            print(line, file=sys.stderr)
        return _fail("the deck file would not pass `quizapp check`; nothing written")
    summary = (
        f"{plan.cards} card{'s' if plan.cards != 1 else ''} from {args.file} ({table.source})"
        + (f"; {bad} row{'s' if bad != 1 else ''} skipped (see above)" if bad else "")
    )
    if args.dry_run:
        print(plan.text, end="")
        print(f"# dry run: would write {plan.target}: {summary}", file=sys.stderr)
        if plan.replaces:
            print(f"# {plan.target} exists; it would be backed up first", file=sys.stderr)
        return 0
    if plan.unchanged:
        print(f"{plan.target} is already up to date: {summary}")
        return 0
    if plan.replaces and not plan.target.read_text(encoding="utf-8", errors="replace").startswith(
        "# Imported by `quizapp import`"
    ):
        print(
            f"quizapp import: {plan.target} was not written by an import; it is replaced "
            "(a copy is kept, see below)",
            file=sys.stderr,
        )
    try:
        saved = importer.write(plan)
    except OSError as exc:
        return _fail(f"cannot write {exc.filename or plan.target}: {exc.strerror or exc}")
    print(f"wrote deck {plan.deck!r} to {plan.target}: {summary}")
    if saved is not None:
        print(f"the previous file is kept as {saved}")
    print(f"study it with `quizapp study --deck {plan.deck}`")
    return 0


def _fail(message: str, *, code: int = 1) -> int:
    print(f"quizapp import: {message}", file=sys.stderr)
    return code
