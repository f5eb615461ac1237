"""Deck text made safe to show: Rich markup styles it, nothing in it can act or crash.

Content is data. A deck may style its text with Rich markup (``[b]…[/b]``,
``[italic]``, colours), but a tag that would *do* something — ``[@click=app.quit]``,
``[link=…]``, any ``@`` handler — is dropped (its text stays, unstyled), and text whose
markup does not parse (``[/]`` with nothing open) is shown literally. Control characters
that would act on the terminal (ESC sequences, BEL, bidi overrides) are dropped. Nothing here
evaluates the parameters of a tag.

    safe_markup(text) -> rich.text.Text   # text fields: front, back, claim, ...
    plain_text(text)  -> rich.text.Text   # plain fields: topic, deck title, tags

:func:`markup_tags` is the one reading of the markup that both this renderer and
``quizapp check`` use, so the checker warns about exactly what the screen would do.
UI-free: Rich only (Textual renders a Rich ``Text`` as it is, without parsing it again).
"""

from __future__ import annotations

import re

from rich.errors import MarkupError, StyleSyntaxError
from rich.style import Style
from rich.text import Span, Text

from quizapp.decks.controls import strip_controls
from quizapp.plain import Frozen

__all__ = ["MarkupTag", "markup_tags", "plain_text", "safe_markup"]

# Rich's own tag syntax (rich.markup.RE_TAGS): '[' + a-z # / @ + anything but '[' + ']'.
_TAG = re.compile(r"(\\*)\[([a-z#/@][^\[]*?)]")
_ESCAPED = re.compile(r"(\\*)\\(\[[a-z#/@][^\[]*?])")
# Markup that could act: an @handler anywhere in the tag, a link, an on…= handler.
_ACTION = re.compile(r"@|(?:^|[\s=])link\b|(?:^|\s)on\w*\s*=", re.IGNORECASE)


class MarkupTag(Frozen):
    """One markup tag in a text, as Rich would read it."""

    __slots__ = ("markup", "start", "name", "parameters", "closed", "after_word", "backslashes")
    markup: str  # the tag as written, e.g. "[bold]" or "[@click=app.quit]"
    start: int  # offset of '[' in the text
    name: str  # "bold", "/bold", "/", "@click", "link"
    parameters: str | None  # what follows '=', if anything
    closed: bool  # an opening tag that a later closing tag ends
    after_word: bool  # glued to the word before it, as in a[i] or list[int]
    backslashes: int  # an even run of backslashes before it: half of them are shown

    def __init__(
        self,
        markup: str,
        start: int,
        name: str,
        parameters: str | None,
        closed: bool,
        after_word: bool,
        backslashes: int = 0,
    ) -> None:
        setattr_ = object.__setattr__
        setattr_(self, "markup", markup)
        setattr_(self, "start", start)
        setattr_(self, "name", name)
        setattr_(self, "parameters", parameters)
        setattr_(self, "closed", closed)
        setattr_(self, "after_word", after_word)
        setattr_(self, "backslashes", backslashes)

    @property
    def is_closing(self) -> bool:
        return self.name.startswith("/")

    @property
    def acts(self) -> bool:
        """Markup that would make the app do something (click handlers, links)."""
        return bool(_ACTION.search(self.markup[1:-1]))

    @property
    def style(self) -> Style | None:
        """The style an opening tag applies; None if it acts or is not a valid style."""
        if self.is_closing or self.acts or self.parameters is not None:
            return None
        try:
            return Style.parse(self.name)
        except (StyleSyntaxError, ValueError):
            return None


def markup_tags(text: str) -> list[MarkupTag]:
    """Every unescaped tag of ``text`` in order (``\\[`` is a literal bracket)."""
    found: list[tuple[str, int, str, str | None, int]] = []
    for match in _TAG.finditer(text):
        escapes, body = match.groups()
        if len(escapes) % 2:
            continue  # \[...] is literal text
        start = match.start() + len(escapes)
        name, equals, parameters = body.partition("=")
        markup = match.group()[len(escapes) :]
        found.append((markup, start, name, parameters if equals else None, len(escapes)))
    closed: set[int] = set()
    open_tags: list[tuple[int, str]] = []
    for index, (_, _, name, _, _) in enumerate(found):
        if not name.startswith("/"):
            open_tags.append((index, _normalize(name)))
            continue
        wanted = _normalize(name[1:])
        for depth in range(len(open_tags) - 1, -1, -1):
            if not wanted or open_tags[depth][1] == wanted:
                closed.add(open_tags[depth][0])
                del open_tags[depth]  # Rich closes just that one
                break
    return [
        MarkupTag(
            markup=markup,
            start=start,
            name=name,
            parameters=parameters,
            closed=index in closed,
            after_word=start > 0 and (text[start - 1].isalnum() or text[start - 1] in "_)]"),
            backslashes=escapes,
        )
        for index, (markup, start, name, parameters, escapes) in enumerate(found)
    ]


def safe_markup(text: str) -> Text:
    """``text`` with its Rich markup applied, minus anything that could act.

    Action and link tags are dropped (their text stays), so are tags that are no valid
    style; markup that does not parse (a closing tag with nothing open) falls back to
    the literal text. Control characters (ESC, BEL, bidi overrides, ...) are dropped:
    the loader refuses them, and this keeps any that come another way off the terminal.
    Never raises for any string.
    """
    text = strip_controls(text)
    try:
        return _render(text)
    except (MarkupError, RecursionError, ValueError):
        return Text(text)


def plain_text(text: str) -> Text:
    """A plain field (topic, deck title, tag) as written: no markup at all, and no
    control character (see :mod:`quizapp.decks.controls`)."""
    return Text(strip_controls(text))


def _render(markup: str) -> Text:
    plain: list[str] = []
    length = 0
    spans: list[Span] = []
    stack: list[tuple[int, str, Style | None]] = []
    position = 0
    for tag in markup_tags(markup):
        if tag.start > position:
            cut = tag.start - tag.backslashes
            piece = _unescape(markup[position:cut]) + "\\" * (tag.backslashes // 2)
            plain.append(piece)
            length += len(piece)
        position = tag.start + len(tag.markup)
        if not tag.is_closing:
            stack.append((length, _normalize(tag.name), tag.style))
            continue
        wanted = _normalize(tag.name[1:])
        for depth in range(len(stack) - 1, -1, -1):
            if not wanted or stack[depth][1] == wanted:
                start, _, style = stack[depth]
                del stack[depth]
                if style is not None and length > start:
                    spans.append(Span(start, length, style))
                break
        else:
            raise MarkupError(f"closing tag {tag.markup!r} has nothing to close")
    if position < len(markup):
        piece = _unescape(markup[position:])
        plain.append(piece)
        length += len(piece)
    for start, _, style in reversed(stack):  # left open: styled to the end, as Rich does
        if style is not None and length > start:
            spans.append(Span(start, length, style))
    return Text("".join(plain), spans=sorted(spans, key=lambda s: s.start))


def _unescape(piece: str) -> str:
    r"""Rich's escapes in text between tags: ``\[b]`` is the literal ``[b]``."""
    return _ESCAPED.sub(lambda m: "\\" * (len(m.group(1)) // 2) + m.group(2), piece)


def _normalize(name: str) -> str:
    return " ".join(name.strip().lower().split())
