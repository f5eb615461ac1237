"""The browser's search language (Anki-like), parsed into a small tree.

::

    adam bias               both words, anywhere in the item's text or id
    "exact phrase"          the phrase as written (case-insensitive)
    -tag:x                  not; also -( … )
    a or b, ( … )           either; parentheses group; "and" is implied between terms
    id:adam.*  deck:optimizers  topic:adam  tag:adam  kind:drill  drill:adam-step
                            (* matches anything; case-insensitive)
    is:new|learning|review|relearning|suspended|leech|due|overdue|buried|flagged
    flag:1 … flag:7, flag:0 (no flag)
    due:N                   due by the end of the study day N days from today (overdue too)
    rated:N                 answered (scheduling) in the last N study days, today included
    lapses>3  reps>=5       shorthand for prop:lapses>3 …
    prop:d>0.7              difficulty 0..1 (Anki's D%: (D - 1) / 9)
    prop:s>30  prop:r<0.8   stability in days, retrievability now
    prop:ivl>=10  prop:due<=3  prop:due>-1   interval days; due in N study days from today
    source:adam.toml        the deck file the item comes from

A mistake raises :class:`QueryError` with the position of the offending term.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "FIELDS",
    "IS_VALUES",
    "PROPS",
    "And",
    "Compare",
    "Match",
    "Node",
    "Not",
    "Or",
    "QueryError",
    "Text",
    "parse",
]

FIELDS = ("id", "deck", "topic", "tag", "kind", "drill", "is", "flag", "due", "rated", "source")
PROPS = ("d", "s", "r", "ivl", "due", "lapses", "reps")
IS_VALUES = (
    "new",
    "learning",
    "review",
    "relearning",
    "suspended",
    "leech",
    "due",
    "overdue",
    "buried",
    "flagged",
)
OPS = ("<=", ">=", "!=", "=", "<", ">")
_SHORT = re.compile(r"^(lapses|reps|ivl)(<=|>=|!=|=|<|>)(.*)$", re.IGNORECASE)
_PROP = re.compile(r"^([a-z]+)(<=|>=|!=|=|<|>)(.+)$", re.IGNORECASE)
_TOKEN = re.compile(
    r"""\s*(?:
        (?P<lp>\() | (?P<rp>\)) |
        "(?P<quoted>[^"]*)"? |
        (?P<word>[^\s()"]+(?:"[^"]*"?)?)
    )""",
    re.VERBOSE,
)


class QueryError(ValueError):
    """A search that cannot be read; ``position`` is the offset of the offending part."""

    def __init__(self, message: str, position: int = 0) -> None:
        super().__init__(message)
        self.position = position


@dataclass(frozen=True, slots=True)
class Text:
    """Words or a phrase to find in the item's text."""

    needle: str


@dataclass(frozen=True, slots=True)
class Match:
    """``field:value`` (value lowercased; may hold ``*``)."""

    field: str
    value: str


@dataclass(frozen=True, slots=True)
class Compare:
    """``prop:name op number``."""

    prop: str
    op: str
    value: float


@dataclass(frozen=True, slots=True)
class Not:
    node: Node


@dataclass(frozen=True, slots=True)
class And:
    nodes: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    nodes: tuple[Node, ...]


Node = Text | Match | Compare | Not | And | Or


@dataclass(frozen=True, slots=True)
class _Tok:
    kind: str  # "(" ")" "word" "quoted"
    text: str
    pos: int


def _tokens(query: str) -> list[_Tok]:
    out: list[_Tok] = []
    pos = 0
    while pos < len(query):
        m = _TOKEN.match(query, pos)
        if m is None or m.end() == pos:
            break
        if m["lp"]:
            out.append(_Tok("(", "(", m.start("lp")))
        elif m["rp"]:
            out.append(_Tok(")", ")", m.start("rp")))
        elif m["quoted"] is not None:
            out.append(_Tok("quoted", m["quoted"], m.start("quoted") - 1))
        elif m["word"]:
            out.append(_Tok("word", m["word"], m.start("word")))
        pos = m.end()
    return out


def parse(query: str) -> Node | None:
    """The tree of ``query`` (None for an empty search: everything matches)."""
    tokens = _tokens(query)
    if not tokens:
        return None
    parser = _Parser(tokens, query)
    node = parser.expr()
    if parser.i < len(tokens):
        tok = tokens[parser.i]
        raise QueryError(f"unexpected {tok.text!r} (a ')' without its '('?)", tok.pos)
    return node


class _Parser:
    def __init__(self, tokens: list[_Tok], query: str) -> None:
        self.tokens = tokens
        self.query = query
        self.i = 0

    def peek(self) -> _Tok | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def expr(self) -> Node:
        nodes = [self.conj()]
        while (tok := self.peek()) is not None and tok.kind == "word" and tok.text.lower() == "or":
            self.i += 1
            if self.peek() is None:
                raise QueryError("'or' needs a term after it", tok.pos)
            nodes.append(self.conj())
        return nodes[0] if len(nodes) == 1 else Or(tuple(nodes))

    def conj(self) -> Node:
        nodes: list[Node] = []
        while (tok := self.peek()) is not None and tok.kind != ")":
            if tok.kind == "word" and tok.text.lower() == "or":
                break
            if tok.kind == "word" and tok.text.lower() == "and":
                self.i += 1
                continue
            nodes.append(self.unary())
        if not nodes:
            tok = self.peek()
            raise QueryError("a term is missing here", tok.pos if tok else len(self.query))
        return nodes[0] if len(nodes) == 1 else And(tuple(nodes))

    def unary(self) -> Node:
        tok = self.tokens[self.i]
        if tok.kind == "(":
            self.i += 1
            node = self.expr()
            close = self.peek()
            if close is None or close.kind != ")":
                raise QueryError("'(' is never closed", tok.pos)
            self.i += 1
            return node
        self.i += 1
        if tok.kind == "quoted":
            return Text(tok.text.lower())
        text = tok.text
        if text.startswith("-") and len(text) > 1:
            return Not(_term(text[1:], tok.pos + 1))
        if text == "-":
            if self.peek() is None:
                raise QueryError("'-' needs a term after it", tok.pos)
            return Not(self.unary())
        return _term(text, tok.pos)


def _unquote(value: str) -> str:
    if value.startswith('"'):
        value = value[1:]
        value = value[:-1] if value.endswith('"') else value
    return value


def _number(text: str, pos: int, what: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise QueryError(f"{what}: {text!r} is not a number", pos) from None


def _term(text: str, pos: int) -> Node:
    if text.startswith('"'):
        return Text(_unquote(text).lower())
    short = _SHORT.match(text)
    if short:
        name, op, value = short.groups()
        if not value:  # "lapses>" alone would search for the text "lapses>"
            raise QueryError(f"{name}{op}: needs a number, e.g. {name.lower()}{op}2", pos)
        return Compare(name.lower(), op, _number(value, pos, name))
    if ":" not in text:
        return Text(text.lower())
    key, _, value = text.partition(":")
    key = key.lower()
    value = _unquote(value)
    if key == "prop":
        m = _PROP.match(value)
        if m is None:
            raise QueryError(
                f"prop:{value}: write prop:NAME<op>NUMBER, e.g. prop:d>0.7 "
                f"(names: {', '.join(PROPS)}; ops: {' '.join(OPS)})",
                pos,
            )
        name, op, number = m.groups()
        if name.lower() not in PROPS:
            raise QueryError(f"prop:{name}: unknown property; known: {', '.join(PROPS)}", pos)
        return Compare(name.lower(), op, _number(number, pos, f"prop:{name}"))
    if key not in FIELDS:
        raise QueryError(
            f"{key}: is not a search field; known: {', '.join(FIELDS)}, prop "
            '(put text with a colon in quotes: "lr:")',
            pos,
        )
    if not value:
        raise QueryError(f"{key}: needs a value, e.g. {key}:{_EXAMPLE[key]}", pos)
    value = value.lower()
    if key == "is" and value not in IS_VALUES:
        raise QueryError(f"is:{value}: unknown; use one of {', '.join(IS_VALUES)}", pos)
    if key in ("flag", "due", "rated"):
        number = _number(value, pos, f"{key}:")
        if key == "flag" and number not in range(8):
            raise QueryError(f"flag:{value}: flags are 0 (none) to 7", pos)
        if key == "rated" and number < 1:
            raise QueryError(f"rated:{value}: use a number of days, 1 or more", pos)
        return Compare("due_by" if key == "due" else key, "=", number)
    return Match(key, value)


_EXAMPLE = {
    "id": "adam.*",
    "deck": "optimizers",
    "topic": "adam",
    "tag": "bias-correction",
    "kind": "drill",
    "drill": "adam-step",
    "is": "due",
    "flag": "1",
    "due": "3",
    "rated": "7",
    "source": "adam.toml",
}
