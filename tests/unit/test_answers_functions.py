"""The answer parser reads the worked solutions' own notation: sign(x), min/max of two or more
numbers, abs(x) and |x|, floor(x) and ⌊x⌋, ceil(x) and ⌈x⌉, ½ — with located errors for bad
brackets and commas, and the help text naming them. (tests/unit/test_answers.py has the rest.)"""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.engine.answers import AnswerParseError, parse, preview
from tests.sampling import examples

ACCEPTED = [
    # the tester's lines (lion-step, clip-grad-norm, adagrad-steps, lr-step), as shown
    ("0.5199922 − 3e−5·sign(−0.00431)", 0.5199922 + 3e-5),
    ("min(1, 5/(16.19 + 1e−6))", 5 / (16.19 + 1e-6)),
    ("0.05·|0.04| / (√0.016 + 1e−10)", 0.05 * 0.04 / (math.sqrt(0.016) + 1e-10)),
    ("⌊52/26⌋", 2.0),
    ("0.02·|(−0.037)| / (√0.005476 + 1e−10)", 0.02 * 0.037 / (math.sqrt(0.005476) + 1e-10)),
    ("max(0.001, 0.591587)·0.004", 0.591587 * 0.004),
    ("⌊932,500/(32 · 8)⌋", 3642.0),
    ("½(1 + cos(π·37/100))", 0.5 * (1 + math.cos(math.pi * 37 / 100))),
    # sign: −1, 0 or 1, Unicode minus or ASCII
    ("sign(2)", 1.0),
    ("sign(-2)", -1.0),
    ("sign(−0.5)", -1.0),
    ("sign(0)", 0.0),
    ("SIGN(3)", 1.0),
    ("2sign(-1)", -2.0),
    # min and max take two or more numbers
    ("min(1, 2)", 1.0),
    ("max(1, 2)", 2.0),
    ("max(1, 2, −3)", 2.0),
    ("min(3, 1, 2, 0.5)", 0.5),
    ("min(−1, −2)", -2.0),
    ("min(1,2)", 1.0),
    ("min(1,000, 2)", 2.0),  # a thousands separator is still one
    ("min(1, 2,)", 1.0),
    ("max(min(1, 2), 0.5)", 1.0),
    ("max(1/2, 1/3)·2", 1.0),
    # absolute value, as a word and as bars
    ("abs(-2)", 2.0),
    ("|−0.5|", 0.5),
    ("|-2|^2", 4.0),
    ("-|2|", -2.0),
    ("|min(-2, 3)|", 2.0),
    ("|min(−2, 3)|", 2.0),
    ("||−2||", 2.0),
    ("|2·|−3| − 7|", 1.0),
    ("|2||3|", 6.0),  # two bars side by side multiply
    ("|2|·|−3|", 6.0),
    ("2|−3|", 6.0),
    ("√|−4|", 2.0),
    ("|√4 − 3|", 1.0),
    (" |−2| ", 2.0),
    ("|1 - (2 - 4)|", 3.0),
    # floor and ceil, as words and as brackets
    ("⌊2.5⌋", 2.0),
    ("⌊−2.5⌋", -3.0),
    ("floor(-2.5)", -3.0),
    ("⌈2.1⌉", 3.0),
    ("⌈−2.1⌉", -2.0),
    ("ceil(2.1)", 3.0),
    ("2⌊2.5⌋", 4.0),
    ("⌊⌈1.5⌉/2⌋", 1.0),
    ("⌊|−7|/2⌋", 3.0),
    ("|⌊−7/2⌋|", 4.0),
    ("½", 0.5),
    ("½·3", 1.5),
    ("3·½", 1.5),
    ("1 + ½", 1.5),
]


@pytest.mark.parametrize(("text", "value"), ACCEPTED)
def test_reads_the_solutions_notation(text: str, value: float) -> None:
    assert parse(text) == pytest.approx(value, rel=1e-15, abs=0)


REFUSED = [
    # (text, 0-based position, part of the message)
    ("min()", 0, "min(…) needs two or more numbers"),
    ("max(1)", 0, "max(…) needs two or more numbers"),
    ("2 + min(5)", 4, "min(…) needs two or more numbers"),
    ("min(1,500)", 0, "1,500 is one number"),
    ("min(,1)", 4, "not a number or a well-formed expression"),
    ("sign()", 0, "takes exactly one number"),
    ("sign(1, 2)", 6, "unexpected character ','"),
    ("abs(1, 2)", 5, "unexpected character ','"),
    ("1, 2", 1, "a comma separates the numbers of min and max"),
    ("(1, 2)", 2, "unexpected character ','"),
    ("min((1, 2), 3)", 6, "unexpected character ','"),
    ("sign", 0, "sign needs its numbers in brackets"),
    ("2·abs", 2, "abs needs its numbers in brackets"),
    ("sign(x)", 5, "unknown word 'x'"),
    ("|2", 0, "unclosed |"),
    ("|", 0, "unclosed |"),
    ("1 + |2", 4, "unclosed |"),
    ("|1 + |2", 5, "unclosed |"),
    ("(|2)|", 1, "unclosed |"),
    ("⌊52/26", 0, "unclosed ⌊: close it with ⌋"),
    ("⌈2", 0, "unclosed ⌈: close it with ⌉"),
    ("3 − ⌊⌈2⌉", 4, "unclosed ⌊"),
    ("2⌋", 1, "⌋ without a matching ⌊"),
    ("⌈2⌋", 2, "⌋ without a matching ⌊"),
    ("⌊2⌉", 2, "⌉ without a matching ⌈"),
    ("⌊(52/26⌋", 1, "unclosed (: close it with )"),
    ("|1 + (2 * 3|", 5, "unclosed ("),
    ("⌊|2⌋", 1, "unclosed |"),
    ("||", 1, "unclosed |"),  # the innermost open bar
    ("||2", 1, "unclosed |"),
    ("|tan(1)", 1, "unknown word 'tan'"),  # a stray word is named before the bracket
    ("|2| θ", 4, "unexpected character 'θ'"),
    ("3½", 1, "write 3 + ½ for three and a half"),
    ("sqrt(-|4|)", 0, "square root of a negative number"),
    ("log(|0|)", 0, "the logarithm needs a positive number"),
    ("min(1, 1/0)", 9, "division by zero"),
    ("√2 + 1 2", 7, "not a number or a well-formed expression"),
    ("min(__import__('os'), 1)", 4, "unexpected character '_'"),
    ("max(*(1, 2))", 7, "unexpected character ','"),
    ("max(a=1, 2)", 5, "unexpected character '='"),
    ("min(1,000,2)", 5, "could be a thousands separator"),
]


@pytest.mark.parametrize(("text", "position", "message"), REFUSED)
def test_refuses_bad_notation_where_it_is(text: str, position: int, message: str) -> None:
    with pytest.raises(AnswerParseError) as info:
        parse(text)
    assert message in info.value.message
    assert info.value.position == position, (info.value.position, info.value.message)
    assert preview(text) == f"? {info.value.message}"


def test_the_help_text_lists_the_new_words() -> None:
    with pytest.raises(AnswerParseError) as info:
        parse("tan(1)")
    assert info.value.message == (
        "unknown word 'tan': type a number, arithmetic (+ − × ÷ ^ √), π, e or "
        "exp, log, cos, sin, sign, min, max, |x| (abs), ⌊x⌋ (floor), ⌈x⌉ (ceil)"
    )
    # a number before a bracket is a missing times sign, not an unknown function (usertest)
    with pytest.raises(AnswerParseError, match=r"times sign: write 2·\(…\) or 2\*\(…\)"):
        parse("2(3)")


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("|min(-2, 3)|", "|min(−2, 3)| = 2"),
        ("⌊52/26⌋", "⌊52/26⌋ = 2"),
        ("ceil(2.1)", "⌈2.1⌉ = 3"),
        ("abs(-2)·3", "|−2|·3 = 6"),
        ("max(1, 2, -3)", "max(1, 2, −3) = 2"),
        ("1 - 3e-5*sign(-0.25)", "1 − 3e−5·sign(−0.25) = 1.00003"),
        ("½(1 + cos(π))", "1/2·(1 + cos(π)) = 0"),
    ],
)
def test_preview_shows_the_notation(text: str, shown: str) -> None:
    assert preview(text) == shown


_ATOMS = st.sampled_from(
    ["0", "1", "2.5", "−", "-", "+", "·", "/", "^", "(", ")", ",", " ", "|", "⌊", "⌋", "⌈",
     "⌉", "½", "√", "sign(", "min(", "max(", "abs(", "floor(", "ceil(", "1,000", "e", "π"]
)  # fmt: skip


@settings(max_examples=examples(400), deadline=200)
@given(st.lists(_ATOMS, max_size=30).map("".join))
def test_bracket_like_text_gives_a_number_or_a_located_error(text: str) -> None:
    try:
        v = parse(text)
    except AnswerParseError as exc:
        assert exc.message
        if exc.position is not None:
            assert 0 <= exc.position < max(len(text), 1)
        return
    assert isinstance(v, float) and math.isfinite(v)
    assert not preview(text).startswith("?")


@pytest.mark.parametrize(("typed", "shown"), [("01", "1"), ("007.5", "7.5"), ("−0.25", "−0.25")])
def test_a_plain_number_previews_as_it_is_graded(typed: str, shown: str) -> None:
    """The grade reads "01" as 1 (a plain number); the preview said it was not well-formed."""
    assert parse(typed) == float(shown.replace("−", "-"))
    assert preview(typed) == shown
