"""Characters that must never reach the terminal from deck or learner text.

Content is data: a C0/C1 control character other than newline and tab (ESC starts the
CSI/OSC sequences that clear the screen, set the window title, write the clipboard or
make links; BEL rings; backspace and CR overwrite what was shown) or a bidi override
(which reorders what follows so the screen shows other text than the file holds) would
make deck text act on the terminal. ``quizapp check`` and the loader refuse them with
their location; :func:`strip_controls` is the second line of defence on every path that
writes deck or learner text out (screens, CLI listings, exports).

No imports beyond ``re``: the loader and the CLI use this without Rich or pydantic.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "CONTROL_CHARS",
    "describe",
    "escape_controls",
    "find_control",
    "has_control",
    "has_control_utf8",
    "strip_controls",
]

#: C0 except \t and \n, DEL, C1 (U+0080-U+009F), the bidi embeddings/overrides
#: (U+202A-U+202E) and isolates (U+2066-U+2069).
CONTROL_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

# Short names a reader knows, for the characters a hostile deck is most likely to hold.
_NAMES = {
    0x00: "NUL",
    0x07: "BEL",
    0x08: "backspace",
    0x0B: "vertical tab",
    0x0C: "form feed",
    0x0D: "carriage return",
    0x1B: "ESC",
    0x7F: "DEL",
    0x9B: "CSI",
    0x9D: "OSC",
}


def has_control(text: str) -> bool:
    """Whether ``text`` holds a character that must not reach the terminal."""
    return CONTROL_CHARS.search(text) is not None


# The same characters in UTF-8 bytes: C0 and DEL are single bytes (which never occur
# inside another character's encoding), C1 is \xc2 then \x80-\x9f, the bidi controls are
# \xe2\x80\xaa-\xae and \xe2\x81\xa6-\xa9 (\xc2 and \xe2 are lead bytes: a match is a
# whole character).
_C0_DEL = bytes(b for b in range(0x20) if b not in (0x09, 0x0A)) + b"\x7f"
_C1_UTF8 = re.compile(rb"\xc2[\x80-\x9f]")
_BIDI_UTF8 = re.compile(rb"\xe2(?:\x80[\xaa-\xae]|\x81[\xa6-\xa9])")


def has_control_utf8(raw: bytes) -> bool:
    """:func:`has_control` of ``raw.decode("utf-8")``, answered from the bytes: one
    deletion and a few byte searches at C speed (the regular expression over a decoded
    170 KB deck file cost about a tenth of parsing it). ``raw`` is valid UTF-8."""
    if len(raw.translate(None, _C0_DEL)) != len(raw):
        return True
    if b"\xc2" in raw and _C1_UTF8.search(raw) is not None:
        return True
    return (b"\xe2\x80" in raw or b"\xe2\x81" in raw) and _BIDI_UTF8.search(raw) is not None


def find_control(text: str) -> tuple[int, str] | None:
    """(offset, character) of the first such character in ``text``, or None."""
    match = CONTROL_CHARS.search(text)
    return None if match is None else (match.start(), match.group())


def strip_controls(text: str) -> str:
    """``text`` without any character that must not reach the terminal (\\n, \\t stay)."""
    if CONTROL_CHARS.search(text) is None:  # the common case: no copy
        return text
    return CONTROL_CHARS.sub("", text)


def escape_controls(text: str) -> str:
    """``text`` with each such character written as a ``\\uXXXX`` escape: for JSON output,
    where a JSON string may hold that escape and a reader gets the same data back."""
    if CONTROL_CHARS.search(text) is None:
        return text
    return CONTROL_CHARS.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def describe(char: str) -> str:
    """``U+001B (ESC)``: the code point and a name a reader can look up."""
    code = ord(char)
    name = _NAMES.get(code) or unicodedata.name(char, "") or "control character"
    return f"U+{code:04X} ({name})"
