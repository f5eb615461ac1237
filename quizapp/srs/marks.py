"""Flags and burying, the browser's light marks on an item (as in Anki).

Both live in the store's ``meta`` table as small JSON maps, so they need no schema
change: ``marks.flags`` maps item id → flag 1..7 (Anki's colours), ``marks.buried``
maps item id → the study day until whose end the item is kept out of the queue.
Buried entries of past days are dropped on the next write.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime

from quizapp.srs.store import Store

__all__ = ["FLAG_NAMES", "bury", "buried", "due_today", "flags", "set_flag", "unbury"]

FLAGS_KEY = "marks.flags"
BURIED_KEY = "marks.buried"
#: Anki's flag colours, 1..7.
FLAG_NAMES = {1: "red", 2: "orange", 3: "green", 4: "blue", 5: "pink", 6: "turquoise", 7: "purple"}


def decode(raw: str | None) -> dict[str, int]:
    """A map as ``meta`` holds it (item id → number), empty when unset."""
    return {str(k): int(v) for k, v in json.loads(raw).items()} if raw else {}


def encode(values: dict[str, int]) -> str | None:
    """The text ``meta`` holds for ``values`` (None, unset, when empty)."""
    return json.dumps(values, sort_keys=True, separators=(",", ":")) if values else None


def _load(store: Store, key: str) -> dict[str, int]:
    return decode(store.meta_value(key))


def _save(store: Store, key: str, values: dict[str, int]) -> None:
    store.write_states((), meta={key: encode(values)})


def flags(store: Store) -> dict[str, int]:
    """Every flagged item and its flag (1..7)."""
    return _load(store, FLAGS_KEY)


def set_flag(store: Store, item_ids: Iterable[str], flag: int) -> None:
    """Flag the items (0 removes the flag)."""
    if flag not in (0, *FLAG_NAMES):
        raise ValueError(f"flag must be 0 (none) or 1..7, not {flag}")
    values = flags(store)
    for item_id in item_ids:
        if flag:
            values[item_id] = flag
        else:
            values.pop(item_id, None)
    _save(store, FLAGS_KEY, values)


def buried(store: Store, today: int) -> set[str]:
    """Items kept out of today's queue."""
    return {k for k, day in _load(store, BURIED_KEY).items() if day >= today}


def due_today(store: Store, today: int, day_end: datetime) -> set[str]:
    """The items due today, in Anki's sense — the one definition home's "due" and stats'
    "due today" count: not suspended, due before study day ``today`` ends (``day_end``),
    and not buried for today (a buried item waits for tomorrow whatever its due time)."""
    return store.due_before(day_end) - buried(store, today)


def bury(store: Store, item_ids: Iterable[str], today: int) -> None:
    """Keep the items out of the queue until the next study day (the schedule is untouched)."""
    values = {k: d for k, d in _load(store, BURIED_KEY).items() if d >= today}
    values.update(dict.fromkeys(item_ids, today))
    _save(store, BURIED_KEY, values)


def unbury(store: Store, item_ids: Iterable[str], today: int) -> None:
    drop = set(item_ids)
    values = {k: d for k, d in _load(store, BURIED_KEY).items() if d >= today and k not in drop}
    _save(store, BURIED_KEY, values)
