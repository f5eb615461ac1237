"""``quizapp schema``: the JSON Schema of a deck file, for editors (taplo / Even Better TOML)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

SCHEMA_ID = "https://quizapp.invalid/deck.schema.json"


def deck_schema() -> dict[str, Any]:
    """The JSON Schema of one deck file."""
    from quizapp.decks.models import DeckFile

    schema = DeckFile.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "quizapp deck file",
        **{k: v for k, v in schema.items() if k != "title"},
    }


def schema_text() -> str:
    return json.dumps(deck_schema(), indent=2, ensure_ascii=False) + "\n"


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("schema", help="print the JSON Schema of a deck file")
    p.add_argument("--output", "-o", type=Path, help="write it to this file instead of stdout")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    text = schema_text()
    if args.output:
        try:
            args.output.write_text(text, encoding="utf-8")
        except OSError as exc:
            print(
                f"quizapp schema: cannot write {args.output}: {exc.strerror or exc}",
                file=sys.stderr,
            )
            return 1
        print(f"wrote {args.output}")
    else:
        sys.stdout.write(text)
    return 0
