"""Deck text between quizapp's Rich markup and the HTML Anki stores.

Out (:func:`to_html`): the text is read with the one Rich-markup reader the app renders
with, then every run of characters is HTML-escaped and wrapped in the formatting it carries
(bold, italic, underline, strike, colour). Anything that is not formatting — click
handlers, links, unknown tags — is dropped and its text kept; newlines become ``<br>``.
Unicode (math included) is written as it is.

In (:func:`from_html`): Anki's HTML becomes deck text that renders the same in quizapp:
``<b>``/``<strong>`` → ``[b]…[/b]`` (likewise italic, underline, strike), line-breaking
tags → newlines, list items → "• ", entities decoded, every other tag dropped (the text of
``<script>``/``<style>`` too), and each literal ``[`` escaped so Rich shows it as typed.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from rich.errors import StyleSyntaxError
from rich.style import Style
from rich.text import Text

from quizapp.decks.text import safe_markup

__all__ = ["from_html", "plain_to_html", "styled", "to_html"]


def styled(markup: str) -> Text:
    """``markup`` as the app renders it (:func:`quizapp.decks.text.safe_markup`): action and
    link tags dropped, bad markup shown literally; never raises."""
    return safe_markup(markup)


# ------------------------------------------------------------------ out: markup → HTML
# (HTML tag, Style attribute) in the order tags are opened.
_FLAGS = (("b", "bold"), ("i", "italic"), ("u", "underline"), ("s", "strike"))


def _style_of(value: str | Style) -> Style:
    if isinstance(value, Style):
        return value
    try:
        return Style.parse(value)
    except (StyleSyntaxError, ValueError):
        return Style()  # an unknown tag: no formatting


def _css_color(style: Style) -> str | None:
    color = style.color
    if color is None or color.is_default:
        return None
    return color.get_truecolor().hex


def _wrap(text: str, style: Style) -> str:
    body = html.escape(text, quote=False).replace("\n", "<br>")
    color = _css_color(style)
    if color is not None:
        body = f'<span style="color:{color}">{body}</span>'
    for tag, attribute in reversed(_FLAGS):
        if getattr(style, attribute):
            body = f"<{tag}>{body}</{tag}>"
    return body


def to_html(markup: str) -> str:
    """Deck text (Rich markup, Unicode) as safe HTML with its formatting."""
    text = styled(markup)
    plain = text.plain
    if not text.spans:
        return _wrap(plain, Style())
    cuts = sorted({0, len(plain), *(s.start for s in text.spans), *(s.end for s in text.spans)})
    pieces: list[tuple[str, Style]] = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        if start >= end:
            continue
        style = Style.combine(
            [Style(), *(_style_of(s.style) for s in text.spans if s.start <= start < s.end)]
        )
        # only formatting survives: no links, no @click or other meta
        style = Style(
            bold=style.bold,
            italic=style.italic,
            underline=style.underline,
            strike=style.strike,
            color=style.color,
        )
        if pieces and pieces[-1][1] == style:
            pieces[-1] = (pieces[-1][0] + plain[start:end], style)
        else:
            pieces.append((plain[start:end], style))
    return "".join(_wrap(piece, style) for piece, style in pieces)


def plain_to_html(text: str) -> str:
    """A plain field (a title, an id) as HTML: escaped, no markup read."""
    return html.escape(text, quote=False).replace("\n", "<br>")


# ------------------------------------------------------------------- in: HTML → markup
_MARK = {
    "b": "b",
    "strong": "b",
    "i": "i",
    "em": "i",
    "u": "u",
    "ins": "u",
    "s": "s",
    "strike": "s",
    "del": "s",
}
_BLOCK = {"div", "p", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "ul", "ol"}
_SKIP = {"script", "style", "head", "title", "template", "summary"}


class _ToMarkup(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[tuple[bool, str]] = []  # (is markup, text), text not yet escaped
        self.open: list[str] = []  # markup tags open, innermost last
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skipping += 1
        elif self.skipping:
            return
        elif tag in _MARK:
            self.out.append((True, f"[{_MARK[tag]}]"))
            self.open.append(_MARK[tag])
        elif tag == "br":
            self.out.append((False, "\n"))
        elif tag == "li":
            self._newline()
            self.out.append((False, "• "))
        elif tag in ("td", "th"):
            self.out.append((False, " "))
        elif tag in _BLOCK:
            self._newline()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br" and not self.skipping:
            self.out.append((False, "\n"))

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif self.skipping:
            return
        elif tag in _MARK and _MARK[tag] in self.open:
            # close what was opened inside it first, so the markup stays well nested
            while self.open:
                name = self.open.pop()
                self.out.append((True, f"[/{name}]"))
                if name == _MARK[tag]:
                    break
        elif tag in _BLOCK or tag == "li":
            self._newline()

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.out.append((False, data))

    def _newline(self) -> None:
        text = [t for is_markup, t in self.out if not is_markup]
        if text and not text[-1].endswith("\n"):
            self.out.append((False, "\n"))

    def result(self) -> str:
        while self.open:
            self.out.append((True, f"[/{self.open.pop()}]"))
        segments = _drop_empty_marks(self.out)
        # Escape whole runs of text: a tag-like "[i]" may be split by HTML tags.
        parts: list[str] = []
        run: list[str] = []
        for is_markup, piece in [*segments, (True, "")]:
            if not is_markup:
                run.append(piece)
                continue
            text = _escape("".join(run))
            if piece:  # backslashes right before a real tag are doubled: shown, tag kept
                stripped = text.rstrip("\\")
                text = stripped + 2 * text[len(stripped) :]
            parts.extend((text, piece))
            run = []
        return "".join(parts)


def _drop_empty_marks(segments: list[tuple[bool, str]]) -> list[tuple[bool, str]]:
    """``[b][/b]`` and ``[b] [/b]`` carry nothing: keep the whitespace, drop the tags."""
    out: list[tuple[bool, str]] = []
    for segment in segments:
        is_markup, piece = segment
        if is_markup and piece.startswith("[/"):
            name = piece[2:-1]
            tail: list[tuple[bool, str]] = []
            while out and not out[-1][0] and not out[-1][1].strip():
                tail.insert(0, out.pop())
            if out and out[-1] == (True, f"[{name}]"):
                out.pop()
                out.extend(tail)
                continue
            out.extend(tail)
        out.append(segment)
    return out


# Rich's own tag pattern (rich.markup.escape): '[' + a-z # / @ + anything but '[' + ']'.
_TAG_LIKE = re.compile(r"(\\*)(\[[a-z#/@][^\[]*?])")


def _escape(text: str) -> str:
    """Literal text for Rich: tag-like brackets (``[i]``, ``list[int]``) escaped as Rich's
    ``escape`` does, other brackets (``[1, 2]``) left alone; no trailing backslash added."""
    return _TAG_LIKE.sub(lambda m: f"{m.group(1) * 2}\\{m.group(2)}", text)


def from_html(source: str, *, is_html: bool = True) -> str:
    """Anki field HTML (or plain text when ``is_html`` is false) as deck text."""
    if not is_html:
        return _tidy(_escape(source))
    parser = _ToMarkup()
    parser.feed(source)
    parser.close()
    return _tidy(parser.result().replace("\xa0", " "))


def _tidy(text: str) -> str:
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
