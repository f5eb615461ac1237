"""Parse what a learner types as a numeric answer — safely, never with ``eval``.

Accepted: plain numbers (``0.0123``, ``-1.2e-3``, ``1.2E-3``, ``.5``), scientific
notation written by hand (``1.2×10^-3``, ``1.2*10**-3``, ``1.2·10⁻³``), fractions (``1/3``,
``½``), the Unicode operators ``− × · ÷ √`` and superscript digits, thousands separators
written as ``50,000`` (a comma between digit groups of three), small arithmetic with
``+ - * / ^ ** ( )``, the constants ``π``/``pi`` and ``e`` and the functions ``sqrt``/``√``,
``exp``, ``log``/``ln`` (both the natural logarithm), ``cos`` and ``sin`` (radians): so
``0.5*(1 + cos(pi*37/100))`` or ``1 - 0.9^12`` are fine answers. A number written right
before a constant or a function multiplies it: ``2π``, ``3sqrt(2)``.

The worked solutions' own notation reads too: ``sign(x)`` (−1, 0 or 1), ``abs(x)`` and
``|x|``, ``floor(x)`` and ``⌊x⌋``, ``ceil(x)`` and ``⌈x⌉``, and ``min(a, b, …)`` /
``max(a, b, …)`` with two or more numbers — so ``0.52 − 3e−5·sign(−0.00431)``,
``min(1, 5/(16.19 + 1e−6))``, ``0.05·|0.04| / (√0.016 + 1e−10)`` and ``⌊52/26⌋`` are
answers. A comma separates the numbers of min and max only (elsewhere it is a thousands
separator or refused). A bar ``|`` opens where a number is expected and closes otherwise:
``|a|·|b|``, ``|2·|−3| − 7|``.

``e`` on its own is Euler's number 2.71828…; scientific notation needs digits on both sides
of the ``e``: ``1e-3`` is 0.001 (as Python and every calculator read it), ``e-3`` is e − 3,
and ``2e`` is refused with a hint to write ``2·e`` or ``2e-3``. The live preview shows
which reading was taken.

How: the text is normalised to Python expression syntax (bars and floor/ceil brackets
become calls, paired and checked here so that an unclosed one is reported where it opens),
parsed with ``ast.parse(mode="eval")``, and evaluated by a walker that knows only number
constants, the two named constants, unary ``+``/``-``, the binary operators above and the
calls listed. Limits on input length, node count, exponent size and magnitude keep every
answer cheap to evaluate (the walker never builds huge integers: all arithmetic is in float).
"""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Callable

from quizapp.engine.numfmt import fmt

__all__ = ["AnswerParseError", "parse", "preview", "MAX_LENGTH"]

MAX_LENGTH = 200  # characters; an answer is a number or a short expression
MAX_NODES = 64  # AST nodes; enough for "(0.9*0.1 + 0.1*0.3)/(1-0.9**3)"
MAX_MAGNITUDE = 1e300  # an intermediate beyond this is not an answer anyone meant


class AnswerParseError(ValueError):
    """The text is not a number we can read. ``position`` is a 0-based index into the text
    the learner typed (or None when the problem is not at one place)."""

    def __init__(self, message: str, position: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.position = position

    def __str__(self) -> str:
        if self.position is None:
            return self.message
        return f"{self.message} (at character {self.position + 1})"


_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")
_SUPER_RUN = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺]+")
_SIMPLE_CHARS = {
    "−": "-",  # U+2212 minus sign
    "–": "-",  # en dash, often typed for minus
    "—": "-",
    "×": "*",
    "·": "*",
    "⋅": "*",
    "∙": "*",
    "÷": "/",
    "^": "**",
    "√": " sqrt ",
    "π": " pi ",
    "½": "(1/2)",
    "\u00a0": " ",
    "\u2009": " ",
    "\u202f": " ",
}
# "50,000" or "1,234,567.5": a comma between groups of exactly three digits
# (a comma and a space may follow it: "min(1,000, 2)")
_THOUSANDS = re.compile(r"(?<![\d.])(\d{1,3}(?:,\d{3})+)(?!\d|,\d)")
_ALLOWED = re.compile(r"[0-9e.+\-*/() a-z]*")
_NAME = re.compile(r"[a-z]+")


def _sign(x: float) -> float:
    return float((x > 0) - (x < 0))


def _floor(x: float) -> float:
    return float(math.floor(x))


def _ceil(x: float) -> float:
    return float(math.ceil(x))


#: one-argument functions
FUNCTIONS: dict[str, Callable[[float], float]] = {
    "sqrt": math.sqrt,
    "exp": math.exp,
    "log": math.log,
    "ln": math.log,
    "cos": math.cos,
    "sin": math.sin,
    "sign": _sign,
    "abs": abs,
    "floor": _floor,
    "ceil": _ceil,
}
#: functions of two or more numbers, separated by commas
MULTI: dict[str, Callable[[list[float]], float]] = {"min": min, "max": max}
CONSTANTS = {"pi": math.pi, "e": math.e}
#: what the messages list as typeable, after "type a number, arithmetic (+ − × ÷ ^ √), π, e or"
_VOCABULARY = "exp, log, cos, sin, sign, min, max, |x| (abs), ⌊x⌋ (floor), ⌈x⌉ (ceil)"
_WORDS = "|".join(sorted([*FUNCTIONS, *MULTI, "pi"], key=len, reverse=True))
# the bracket pairs that are calls: |x| = abs(x), ⌊x⌋ = floor(x), ⌈x⌉ = ceil(x)
_OPENERS = {"|": "abs", "⌊": "floor", "⌈": "ceil"}
_CLOSER = {"|": "|", "⌊": "⌋", "⌈": "⌉", "(": ")"}
_OPENER_OF = {"⌋": "⌊", "⌉": "⌈"}
# a digit, a comma, exactly three digits: what a thousands separator looks like
_GROUPED = re.compile(r"\d,\d{3}(?!\d)")
# a number right before a constant or function name multiplies it: 2pi, 3 sqrt(2)
_IMPLICIT = re.compile(rf"(?<![a-z0-9_.])(\d+\.?\d*|\.\d+)(?=\s*(?:{_WORDS})\b)")
# "2e" or "2e+" with no exponent digits (and not "2exp"): neither 2·e nor 2·10^…
_BARE_E = re.compile(r"(?<![a-z0-9_.])(?:\d+\.?\d*|\.\d+)e(?![+-]?\d|xp)")
# "<left>|<right>" around a letter x: a number or bracket before it, one after it
_BETWEEN_NUMBERS = re.compile(r".*[0-9.)]\s*\|\s*[0-9.(]", re.DOTALL)
_PLAIN = re.compile(r"[ \t]*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?[ \t]*", re.ASCII)


def _half(text: str, i: int, out: list[str]) -> str:
    """``½`` is (1/2), multiplying what follows it: ``½(1 + cos(π·37/100))``. After a
    number it is refused: ``3½`` could mean 3.5 or 3·½."""
    before = "".join(out).rstrip()
    if before and (before[-1].isdigit() or before[-1] == "."):
        raise AnswerParseError("write 3 + ½ for three and a half, or 3·½", i)
    after = text[i + 1 :].lstrip()
    if after and (after[0].isalnum() or after[0] in ".(√π|⌊⌈½"):
        return "(1/2)*"
    return "(1/2)"


def _normalise(text: str) -> tuple[str, list[int]]:
    """Map the learner's text to Python syntax, keeping for each output character the index
    of the input character it came from (so error positions point at what they typed)."""
    out: list[str] = []
    where: list[int] = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        m = _SUPER_RUN.match(text, i) if ch in "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺" else None
        if m:
            # 10⁻³ -> 10**(-3); a bare superscript right after a number is a power
            piece = "**(" + m.group(0).translate(_SUPERSCRIPTS) + ")"
            out.extend(piece)
            where.extend([i] * len(piece))
            i = m.end()
            continue
        rep = _SIMPLE_CHARS.get(ch)
        if ch == "½":
            rep = _half(text, i, out)
        if rep is None and ch.isspace():
            rep = " "
        if rep is None:
            rep = ch.lower() if ch.isascii() else ch
        out.extend(rep)
        where.extend([i] * len(rep))
        i += 1
    s = "".join(out)
    # Thousands separators: drop commas inside "50,000"-shaped numbers only.
    pieces: list[str] = []
    pos: list[int] = []
    last = 0
    for m in _THOUSANDS.finditer(s):
        pieces.append(s[last : m.start()])
        pos.extend(where[last : m.start()])
        for k in range(m.start(), m.end()):
            if s[k] != ",":
                pieces.append(s[k])
                pos.append(where[k])
        last = m.end()
    pieces.append(s[last:])
    pos.extend(where[last:])
    s, where = "".join(pieces), pos
    out, pos = [], []
    last = 0
    for m in _IMPLICIT.finditer(s):
        out.append(s[last : m.end()])
        pos.extend(where[last : m.end()])
        out.append("*")
        pos.append(where[m.end()] if m.end() < len(where) else where[-1])
        last = m.end()
    out.append(s[last:])
    pos.extend(where[last:])
    return "".join(out), pos


def _last_word(out: list[str]) -> tuple[str, str]:
    """The last non-blank character of ``out`` and the word (letters) it ends, if any."""
    k = len(out) - 1
    while k >= 0 and out[k] == " ":
        k -= 1
    if k < 0:
        return "", ""
    j = k
    while j >= 0 and "a" <= out[j] <= "z":
        j -= 1
    return out[k], "".join(out[j + 1 : k + 1])


def _ends_operand(out: list[str]) -> bool:
    """Whether the text so far ends a number, a constant or a closed bracket (so a bar that
    follows closes, or multiplies what came before)."""
    last, word = _last_word(out)
    if word:
        return word not in FUNCTIONS and word not in MULTI
    return last != "" and (last.isdigit() or last in ".)")


class _Brackets:
    """Pairs ``| |``, ``⌊ ⌋``, ``⌈ ⌉`` into calls (``(abs(…))``, ``(floor(…))``,
    ``(ceil(…))``) and marks the commas that separate min/max arguments. A problem is kept
    (the first one, with its position in the typed text) to be raised after the
    character and word checks, which name a stray character more helpfully."""

    def __init__(self, src: str, where: list[int]) -> None:
        self.out: list[str] = []
        self.pos: list[int] = []
        self.commas: set[int] = set()  # indices into out of the commas min/max may have
        self.error: AnswerParseError | None = None
        # open brackets: (character, where typed, function name for a call's "(")
        self.stack: list[tuple[str, int, str]] = []
        for k, (ch, at) in enumerate(zip(src, where, strict=True)):
            self._char(ch, at, src, k)
        for opener, at, _ in reversed(self.stack):
            if opener in _OPENERS:
                self._fail(f"unclosed {opener}: close it with {_CLOSER[opener]}", at)

    def _emit(self, piece: str, at: int) -> None:
        self.out.extend(piece)
        self.pos.extend([at] * len(piece))

    def _fail(self, message: str, at: int) -> None:
        if self.error is None:
            self.error = AnswerParseError(message, at)

    def _unclosed_top(self) -> None:
        opener, at, _ = self.stack[-1]
        self._fail(f"unclosed {opener}: close it with {_CLOSER[opener]}", at)

    def _open(self, ch: str, at: int) -> None:
        if _ends_operand(self.out):
            self._emit("*", at)  # 2⌊x⌋, |a||b|: a product
        self.stack.append((ch, at, ""))
        self._emit(f"({_OPENERS[ch]}(", at)

    def _close(self, opener: str, ch: str, at: int) -> None:
        if not any(o == opener for o, _, _ in self.stack):
            self._fail(f"{ch} without a matching {opener} before it", at)
        elif self.stack[-1][0] != opener:
            self._unclosed_top()  # e.g. ⌊(52/26⌋: the "(" is what is left open
        while self.stack and self.stack[-1][0] != opener:
            self.stack.pop()
        if self.stack:
            self.stack.pop()
        self._emit("))", at)

    def _char(self, ch: str, at: int, src: str, k: int) -> None:
        """Take ``src[k]`` (= ``ch``, typed at ``at``)."""
        if ch == "(":
            _, word = _last_word(self.out)
            self.stack.append(("(", at, word))
            self._emit(ch, at)
        elif ch == ")":
            if self.stack and self.stack[-1][0] in _OPENERS:
                self._unclosed_top()
            while self.stack and self.stack[-1][0] in _OPENERS:
                self.stack.pop()
            if self.stack:
                self.stack.pop()
            self._emit(ch, at)  # a ")" too many is Python's to report
        elif ch == ",":
            if self.stack and self.stack[-1][0] == "(" and self.stack[-1][2] in MULTI:
                self.commas.add(len(self.out))
                if k > 0 and _GROUPED.match(src, k - 1):
                    # "min(1,000,2)": the thousands pass left 1,000 alone (a comma and a
                    # digit follow), so it could be 1000 or 1 and 000
                    self._fail(
                        "a comma between digits could be a thousands separator: write "
                        "1000 without it, or put a space after a comma between numbers",
                        at,
                    )
            self._emit(ch, at)
        elif ch in "⌊⌈":
            self._open(ch, at)
        elif ch in "⌋⌉":
            self._close(_OPENER_OF[ch], ch, at)
        elif ch == "|":
            if not _ends_operand(self.out) or not any(o == "|" for o, _, _ in self.stack):
                self._open(ch, at)
            else:
                self._close("|", ch, at)
        else:
            self._emit(ch, at)


class _Walker:
    """Evaluates an allow-listed AST in float arithmetic."""

    def __init__(self, positions: list[int], text: str = "") -> None:
        self.positions = positions
        self.text = text  # what was typed, for a hint

    def _pos(self, node: ast.AST) -> int | None:
        col = getattr(node, "col_offset", None)
        if col is None or not self.positions:
            return None
        return self.positions[min(col, len(self.positions) - 1)]

    def _check(self, value: float, node: ast.AST) -> float:
        if math.isnan(value) or abs(value) > MAX_MAGNITUDE:
            raise AnswerParseError("that number is too large to be an answer", self._pos(node))
        return value

    def value_of(self, node: ast.AST) -> float:
        if isinstance(node, ast.Expression):
            return self.value_of(node.body)
        if isinstance(node, ast.Constant):
            if isinstance(node.value, bool) or not isinstance(node.value, int | float):
                raise AnswerParseError("expected a number", self._pos(node))
            try:
                return self._check(float(node.value), node)
            except OverflowError:
                raise AnswerParseError(
                    "that number is too large to be an answer", self._pos(node)
                ) from None
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.UAdd | ast.USub):
            v = self.value_of(node.operand)
            return -v if isinstance(node.op, ast.USub) else v
        if isinstance(node, ast.BinOp):
            return self._binop(node)
        if isinstance(node, ast.Call):
            return self._call(node)
        if isinstance(node, ast.Name):
            if node.id in CONSTANTS:
                return CONSTANTS[node.id]
            if node.id in FUNCTIONS or node.id in MULTI:
                raise AnswerParseError(
                    f"{node.id} needs its numbers in brackets: {node.id}(…)", self._pos(node)
                )
            raise AnswerParseError(
                f"unknown name {node.id!r}: type a number or arithmetic (+ - × ÷ ^ √)",
                self._pos(node),
            )
        raise AnswerParseError("only numbers and + - × ÷ ^ √ ( ) are allowed", self._pos(node))

    def _call(self, node: ast.Call) -> float:
        if not isinstance(node.func, ast.Name) or node.func.id in CONSTANTS:
            raise self._times_before_bracket(node)
        name = node.func.id
        if name in MULTI:
            return self._multi(name, node)
        if name not in FUNCTIONS:
            raise AnswerParseError(
                "the functions are sqrt, exp, log (= ln), cos, sin, sign, abs, floor, ceil, "
                "min and max",
                self._pos(node),
            )
        if len(node.args) != 1 or node.keywords:
            raise AnswerParseError(f"{name}(…) takes exactly one number", self._pos(node))
        v = self.value_of(node.args[0])
        if name == "sqrt" and v < 0:
            raise AnswerParseError("square root of a negative number", self._pos(node))
        if name in ("log", "ln") and v <= 0:
            raise AnswerParseError("the logarithm needs a positive number", self._pos(node))
        try:
            return self._check(FUNCTIONS[name](v), node)
        except OverflowError:
            raise AnswerParseError(
                "that number is too large to be an answer", self._pos(node)
            ) from None

    def _times_before_bracket(self, node: ast.Call) -> AnswerParseError:
        """``0.001(1 + cos(4π/17))``, ``2π(3)`` or ``(1 + 2)(3)``: Python reads a number or a
        bracket right before a bracket as a call; say that it needs a times sign, at the
        bracket."""
        func = node.func
        start, end = self._pos(func), getattr(func, "end_col_offset", None)
        at = start
        if end is not None and self.positions:
            # the call's bracket: the first "(" after the number or the bracketed part
            after = self.positions[min(end, len(self.positions) - 1)]
            found = self.text.find("(", after)
            at = found if found >= 0 else after
        if isinstance(func, ast.Constant | ast.Name) and start is not None and at is not None:
            number = self.text[start:at].strip()
            return AnswerParseError(
                "a number right before a bracket needs a times sign: "
                f"write {number}·(…) or {number}*(…)",
                at,
            )
        return AnswerParseError(
            "a bracket right after a bracket needs a times sign: write (…)·(…) or (…)*(…)", at
        )

    def _multi(self, name: str, node: ast.Call) -> float:
        if len(node.args) < 2 or node.keywords:
            start = self._pos(node)
            end = getattr(node, "end_col_offset", None)
            typed = ""
            if start is not None and end and self.positions:
                typed = self.text[start : self.positions[min(end, len(self.positions)) - 1] + 1]
            grouped = _THOUSANDS.search(typed.replace("−", "-"))
            hint = (
                f" ({grouped.group(0)} is one number with a thousands separator: "
                f"put a space after the comma)"
                if grouped
                else f", e.g. {name}(1, 0.5)"
            )
            raise AnswerParseError(
                f"{name}(…) needs two or more numbers separated by commas{hint}", start
            )
        return self._check(MULTI[name]([self.value_of(arg) for arg in node.args]), node)

    def _binop(self, node: ast.BinOp) -> float:
        a = self.value_of(node.left)
        b = self.value_of(node.right)
        op = node.op
        try:
            if isinstance(op, ast.Add):
                r = a + b
            elif isinstance(op, ast.Sub):
                r = a - b
            elif isinstance(op, ast.Mult):
                r = a * b
            elif isinstance(op, ast.Div):
                if b == 0:
                    raise AnswerParseError("division by zero", self._pos(node.right))
                r = a / b
            elif isinstance(op, ast.Pow):
                if a == 0 and b < 0:
                    raise AnswerParseError("zero to a negative power", self._pos(node))
                if a < 0 and b != int(b):
                    raise AnswerParseError(
                        "a negative number to a fractional power", self._pos(node)
                    )
                r = a**b
            else:
                raise AnswerParseError(
                    "only + - × ÷ ^ are allowed between numbers", self._pos(node)
                )
        except OverflowError:
            raise AnswerParseError(
                "that number is too large to be an answer", self._pos(node)
            ) from None
        if isinstance(r, complex):  # pragma: no cover - guarded above
            raise AnswerParseError("the result is not a real number", self._pos(node))
        return self._check(float(r), node)


def _tree(text: str) -> tuple[ast.Expression, list[int]]:
    if not isinstance(text, str):
        raise AnswerParseError("expected text")
    if len(text) > MAX_LENGTH:
        raise AnswerParseError(f"that answer is too long (limit {MAX_LENGTH} characters)")
    if not text.strip():
        raise AnswerParseError("type a number, e.g. 0.0123 or 1.2e-3")
    src, positions = _normalise(text)
    pairs = _Brackets(src, positions)
    src, positions = "".join(pairs.out), pairs.pos
    bad = next(
        (
            k
            for k, ch in enumerate(src)
            if not _ALLOWED.fullmatch(ch) and not (ch == "," and k in pairs.commas)
        ),
        None,
    )
    if bad is not None:
        ch = text[positions[bad]]
        hint = (
            " (use a point for decimals: 0.5; a comma separates the numbers of min and max)"
            if ch == ","
            else ""
        )
        raise AnswerParseError(f"unexpected character {ch!r}{hint}", positions[bad])
    bare = _BARE_E.search(src)
    if bare:
        raise AnswerParseError(
            "write 2·e for 2 times Euler's number e, or 2e-3 for 2·10⁻³",
            positions[bare.end() - 1],
        )
    for m in _NAME.finditer(src):
        word = m.group(0)
        # 'e' is Euler's number, or part of a number literal (1e-3)
        if word not in FUNCTIONS and word not in MULTI and word not in CONSTANTS:
            at = positions[m.start()]
            if word == "x" and _BETWEEN_NUMBERS.match(src[: m.start()] + "|" + src[m.end() :]):
                # 1.4014x10^-6: an x for times between two numbers
                times = text[:at] + "×" + text[at + 1 :]
                raise AnswerParseError(f"write × or * for times: {times.strip()}", at)
            raise AnswerParseError(
                f"unknown word {word!r}: type a number, arithmetic (+ − × ÷ ^ √), π, e or "
                + _VOCABULARY,
                at,
            )
    if pairs.error is not None:
        raise pairs.error
    # "√2" was rewritten to " sqrt 2"; give a bare sqrt its argument in parentheses
    src, positions = _bare_sqrt(src, positions)
    stripped = src.strip()
    lead = len(src) - len(src.lstrip())
    positions = positions[lead:]
    try:
        tree = ast.parse(stripped, mode="eval")
    except SyntaxError as exc:
        off = (exc.offset or 1) - 1
        junk = _trailing_junk(stripped)
        if junk is not None and (not exc.offset or junk > off):
            # Python places a stray token at the end ("0.61006472.") at offset 0: the
            # problem is the first character after the longest well-formed start
            off = junk
        pos = positions[min(off, len(positions) - 1)] if positions else None
        raise AnswerParseError("that is not a number or a well-formed expression", pos) from None
    except (ValueError, RecursionError, MemoryError):
        raise AnswerParseError("that is not a number or a well-formed expression") from None
    count = sum(1 for _ in ast.walk(tree))
    if count > MAX_NODES:
        raise AnswerParseError(f"that expression is too long (limit {MAX_NODES} parts)")
    return tree, positions


_BARE_SQRT = re.compile(r"sqrt\s+(?:([0-9.]+(?:e[-+]?\d+)?|pi\b|e\b)|\()")


def _bare_sqrt(src: str, where: list[int]) -> tuple[str, list[int]]:
    """``sqrt 2`` -> ``sqrt(2)`` and ``sqrt (`` -> ``sqrt(``, keeping each character's
    position in the typed text."""
    out: list[str] = []
    pos: list[int] = []
    last = 0
    for m in _BARE_SQRT.finditer(src):
        out.append(src[last : m.start()] + "sqrt(")
        pos.extend(where[last : m.start() + 4])
        pos.append(where[m.end() - 1])
        if m.group(1) is not None:
            out.append(m.group(1) + ")")
            pos.extend(where[m.start(1) : m.end()])
            pos.append(where[m.end() - 1])
        last = m.end()
    out.append(src[last:])
    pos.extend(where[last:])
    return "".join(out), pos


def _trailing_junk(src: str) -> int | None:
    """The index of the first non-blank character after the longest start of ``src`` that
    is a whole expression (None when no start is): where trailing junk begins."""
    for end in range(len(src) - 1, 0, -1):
        if src[end - 1].isspace():
            continue
        try:
            ast.parse(src[:end], mode="eval")
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue
        rest = src[end:]
        return end + len(rest) - len(rest.lstrip())
    return None


def _plain_value(text: object) -> float | None:
    """The value of a plain decimal number (the common case: every screen shows one), read
    without an AST; None for anything else, or a number too large to be an answer (the
    full reading says why)."""
    if not isinstance(text, str):
        return None
    plain = text.replace("−", "-")
    if len(plain) > MAX_LENGTH or not _PLAIN.fullmatch(plain):
        return None
    value = float(plain)
    return value if math.isfinite(value) and abs(value) <= MAX_MAGNITUDE else None


def parse(text: str) -> float:
    """Return the value of the learner's answer ``text`` as a float.

    Raises AnswerParseError (message + 0-based position) for anything that is not a number or
    a small arithmetic expression. The value v is computed in IEEE float64 with the usual
    precedence: ``a ^ b`` = a**b binds tighter than × ÷, which bind tighter than + −.
    """
    value = _plain_value(text)
    if value is not None:
        return value
    tree, positions = _tree(text)
    try:
        return _Walker(positions, text).value_of(tree)
    except RecursionError:  # pragma: no cover - node limit makes this unreachable
        raise AnswerParseError("that expression is nested too deeply") from None


def _fmt(v: float) -> str:
    return fmt(v, 10)


_PREC = {ast.Add: 1, ast.Sub: 1, ast.Mult: 2, ast.Div: 2, ast.Pow: 4}
_SYM = {ast.Add: " + ", ast.Sub: " − ", ast.Mult: "·", ast.Div: "/", ast.Pow: "^"}


_SHOWN_AS = {"abs": ("|", "|"), "floor": ("⌊", "⌋"), "ceil": ("⌈", "⌉")}


def _prec(node: ast.AST) -> int:
    if isinstance(node, ast.BinOp):
        return _PREC.get(type(node.op), 0)
    if isinstance(node, ast.UnaryOp):
        return 3
    return 5


def _show(node: ast.AST) -> str:
    """Render the understood expression with Unicode operators (for the live preview),
    adding parentheses only where precedence needs them."""
    if isinstance(node, ast.Expression):
        return _show(node.body)
    if isinstance(node, ast.Constant):
        return _fmt(float(node.value))
    if isinstance(node, ast.UnaryOp):
        inner = _show(node.operand)
        if _prec(node.operand) < 3:
            inner = f"({inner})"
        return ("−" if isinstance(node.op, ast.USub) else "") + inner
    if isinstance(node, ast.Name):
        return "π" if node.id == "pi" else node.id
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        args = [_show(arg) for arg in node.args]
        if node.func.id in _SHOWN_AS:
            left, right = _SHOWN_AS[node.func.id]
            return f"{left}{args[0]}{right}"
        name = {"sqrt": "√", "log": "ln"}.get(node.func.id, node.func.id)
        return f"{name}({', '.join(args)})"
    if isinstance(node, ast.BinOp):
        p = _prec(node)
        left, right = _show(node.left), _show(node.right)
        # a**b is right-associative: the left side needs brackets at equal precedence
        if _prec(node.left) < p or (p == 4 and _prec(node.left) <= 4):
            left = f"({left})"
        if _prec(node.right) < p or (
            _prec(node.right) == p and isinstance(node.op, ast.Sub | ast.Div)
        ):
            right = f"({right})"
        return left + _SYM.get(type(node.op), " ? ") + right
    return "?"


def preview(text: str) -> str:
    """Show how ``text`` was understood, for a live preview under the answer box.

    ``"1.2×10^-3"`` -> ``"1.2·10^(−3) = 0.0012"``; a plain number shows just its value; an
    empty box gives ``""``; unparsable text gives ``"? <the reason>"``.
    """
    if not isinstance(text, str) or not text.strip():
        return ""
    value = _plain_value(text)
    if value is not None:  # as :func:`parse` reads it ("01" too, which Python's syntax refuses)
        return _fmt(value)
    try:
        tree, positions = _tree(text)
        value = _Walker(positions, text).value_of(tree)
    except AnswerParseError as exc:
        return f"? {exc.message}"
    shown = _show(tree)
    val = _fmt(value)
    if isinstance(tree.body, ast.Constant) or shown == val:
        return val
    return f"{shown} = {val}"
