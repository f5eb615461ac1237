"""A trap's letter keys, shared by the study screen's bindings, the trap card and the mock
interview's list of answers. No widgets here: the study screen binds the letters at import,
while the trap card itself is imported when a trap first shows."""

from __future__ import annotations

from textual.binding import Binding

LETTERS = "abcdef"


def letter_range(count: int) -> str:
    """The keys of ``count`` statements as the footer shows them: ``a–d``."""
    return f"a–{LETTERS[count - 1]}" if count > 1 else "a"


def pick_bindings(action: str, id_prefix: str) -> list[Binding]:
    """The letter keys of a trap: ``a`` shows as ``a–c`` … ``a–f`` (one binding per count,
    so the footer names exactly the letters there are), b–f hidden."""
    shown = [
        Binding(
            "a", f"{action}(0, {n})", "Pick", key_display=letter_range(n), id=f"{id_prefix}.{n}"
        )
        for n in range(2, len(LETTERS) + 1)
    ]
    hidden = [Binding(k, f"{action}({i})", show=False) for i, k in enumerate(LETTERS) if i]
    return [*shown, *hidden]
