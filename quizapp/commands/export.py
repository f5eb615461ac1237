"""``quizapp export --apkg FILE | --tsv FILE [--deck D] [--topic T]``: decks out to Anki."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from quizapp.study.format import plural


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "export",
        help="export decks for Anki (.apkg, or Anki's text format)",
        description=(
            "Export flashcards, traps (as 'which claim is false?' and as claim → correction) "
            "and one sample problem per drill, with its worked solution, for Anki. Each note "
            "keeps its quizapp id and a GUID made from it, so importing a newer export into "
            "Anki updates the notes instead of adding copies. --apkg needs the anki-export "
            "extra: python -m pip install 'quizapp[anki-export]'."
        ),
    )
    p.add_argument("--apkg", type=Path, metavar="FILE", help="write an Anki package (.apkg)")
    p.add_argument(
        "--tsv",
        type=Path,
        metavar="FILE",
        help="write Anki's text format (tab-separated, with #separator/#html/#guid headers)",
    )
    p.add_argument("--deck", metavar="D", help="only this deck (its id, e.g. optimizers)")
    p.add_argument("--topic", metavar="T", help="only items of this topic")
    p.set_defaults(func=run, _parser=p)


def run(args: argparse.Namespace) -> int:
    if args.apkg is None and args.tsv is None:
        args._parser.error("give --apkg FILE and/or --tsv FILE")
    for option, target in (("--apkg", args.apkg), ("--tsv", args.tsv)):
        if target is None:
            continue
        if target.is_dir():
            return _fail(f"{option} {target}: is a folder; give a file name", code=2)
        if not target.parent.is_dir():
            return _fail(f"{option} {target}: the folder {target.parent} does not exist")
    if args.apkg is not None:
        try:
            import genanki  # noqa: F401
        except ImportError:
            from quizapp.interop.anki_export import INSTALL_HINT

            return _fail(f"--apkg needs genanki: {INSTALL_HINT}")

    from quizapp.decks.loader import load_catalog
    from quizapp.interop.cards import ExportError, notes

    catalog = load_catalog(args.content)
    if catalog.notice:  # bad deck files are left out (and said so); the good ones export
        print(f"quizapp: {catalog.notice}", file=sys.stderr)
    try:
        exported = notes(catalog, deck=args.deck, topic=args.topic)
    except ExportError as exc:
        return _fail(str(exc), code=2 if exc.usage else 1)
    written: list[str] = []
    try:
        if args.apkg is not None:
            from quizapp.interop.anki_export import write_apkg

            descriptions = {
                n.deck_name: catalog.decks[d].description or ""
                for n in exported
                for d in [catalog.items[n.item_id].deck]
            }
            written.append(str(write_apkg(exported, args.apkg, descriptions=descriptions)))
        if args.tsv is not None:
            from quizapp.interop.tsv import write_tsv

            written.append(str(write_tsv(exported, args.tsv)))
    except OSError as exc:
        return _fail(f"cannot write {exc.filename or 'the file'}: {exc.strerror or exc}")
    kinds = Counter(n.note_type.key for n in exported)
    items = len({n.item_id for n in exported})
    print(
        f"exported {plural(len(exported), 'note')} from {plural(items, 'item')}: "
        f"{plural(kinds['flashcard'], 'flashcard')}, "
        f"{plural(kinds['trap-pick'], 'trap')} × 2 (which is false? / claim → correction), "
        f"{plural(kinds['drill-sample'], 'drill sample')}"
    )
    for path in written:
        print(f"  {path}")
    print(
        "In Anki: File → Import. Importing a newer export updates these notes (same GUIDs); "
        "your Anki reviews of them are kept."
    )
    return 0


def _fail(message: str, *, code: int = 1) -> int:
    print(f"quizapp export: {message}", file=sys.stderr)
    return code
