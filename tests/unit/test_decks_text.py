"""Deck text on screen: markup styles it, nothing in it can act or crash (F3, F4)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.markup import render
from rich.style import Style
from rich.text import Text

from quizapp.decks.text import markup_tags, plain_text, safe_markup
from tests.sampling import examples

HOSTILE = [
    "[@click=app.quit]Quit[/]",
    "[@click=app.quit]no closing tag",
    "[bold @click=app.quit]styled action[/]",
    "[@click=screen.dismiss()]x[/]",
    "[@click=__import__('os').system('true')]x[/]",
    "[@click=f(" + "(" * 400 + "]deep",
    "[link=https://example.com]a link[/link]",
    "[link https://example.com]a link[/]",
    "[bold link=file:///etc/passwd]x[/]",
    "[onclick=app.quit]x[/]",
    "[/]",
    "[/bold]",
    "[b]x[/i]",
    "[",
    "]",
    "[[[[[[[[]]]]]]]]",
    "\\",
    "\\[/]",
    "[b]" * 2000,
    "[/]" * 2000,
    "\x00\x1b[31mansi\x1b[0m",
]


def _acts(text: Text) -> list[Style]:
    styles = [s.style for s in text.spans]
    return [s for s in styles if isinstance(s, Style) and (s.link or s.meta)]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_text_never_acts_and_never_raises(hostile: str) -> None:
    shown = safe_markup(hostile)
    assert isinstance(shown, Text)
    assert not _acts(shown)
    assert all(not isinstance(s.style, str) for s in shown.spans)  # nothing parsed later
    Console(file=None, width=80, record=True, quiet=True).print(shown)  # renders


def test_action_tags_keep_their_text_and_lose_the_action() -> None:
    shown = safe_markup("Press [@click=app.quit]here[/] to [b]quit[/b]")
    assert shown.plain == "Press here to quit"
    assert [(s.start, s.end, s.style) for s in shown.spans] == [(14, 18, Style(bold=True))]


def test_markup_that_does_not_parse_is_shown_as_written() -> None:
    assert safe_markup("a [/] b").plain == "a [/] b"
    assert safe_markup("[b]x[/i]").plain == "[b]x[/i]"


def test_plain_fields_are_literal() -> None:
    assert plain_text("[/]").plain == "[/]"
    assert plain_text("[b]adam[/b]").plain == "[b]adam[/b]"
    assert not plain_text("[@click=app.quit]x").spans


@pytest.mark.parametrize(
    "text",
    [
        "[b]bold[/b] and [i]it[/i]",
        r"a\[i] literal",
        r"a\\[b]x[/b]",
        "x [bold red]y[/] z",
        "[b]unclosed",
        "[on red]bg[/]",
        r"\\\[b]",
        "[b][i]x[/b]y[/i]",
        "θ ← θ − η·m̂/(√v̂ + ε)",
    ],
)
def test_ordinary_markup_renders_as_rich_does(text: str) -> None:
    ours, rich = safe_markup(text), render(text, emoji=False)
    assert ours.plain == rich.plain
    assert sorted((s.start, s.end, Style.parse(str(s.style))) for s in rich.spans) == sorted(
        (s.start, s.end, s.style) for s in ours.spans
    )


def test_markup_tags_reads_what_rich_reads() -> None:
    tags = markup_tags(r"a[i] \[x] [b]y[/b] list[int] [@click=q]z[/]")
    assert [t.markup for t in tags] == ["[i]", "[b]", "[/b]", "[int]", "[@click=q]", "[/]"]
    i, b, _, integer, click, _ = tags
    assert i.after_word and not i.closed and i.style == Style(italic=True)
    assert b.closed and not b.after_word and not b.acts
    assert integer.style is None and integer.after_word
    assert click.acts and click.closed and click.style is None


markup_alphabet = st.sampled_from(
    ["[", "]", "/", "@", "=", "\\", "b", "i", "link", "click", "app.quit", " ", "x", "on", "red"]
)


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
@settings(max_examples=examples(300), deadline=None)
@given(st.one_of(st.text(max_size=60), st.lists(markup_alphabet, max_size=40).map("".join)))
def test_any_string_is_shown_without_error_or_action(text: str) -> None:
    shown = safe_markup(text)
    assert not _acts(shown)
    for span in shown.spans:
        assert 0 <= span.start < span.end <= len(shown.plain)
