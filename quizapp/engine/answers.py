"""Parse what a learner types as a numeric answer — safely, never with ``eval``.

Accepted: plain numbers (``0.0123``, ``-1.2e-3``, ``1.2E-3``, ``.5``), scientific
notation written by hand (``1.2×10^-3``, ``1.2*10**-3``, ``1.2·10⁻³``), fractions (``1/3``),
the Unicode operators ``− × · ÷ √`` and superscript digits, thousands separators written as
``50,000`` (a comma between digit groups of three), small arithmetic with
``+ - * / ^ ** ( )``, the constants ``π``/``pi`` and ``e`` and the functions ``sqrt``/``√``,
``exp``, ``log``/``ln`` (both the natural logarithm), ``cos`` and ``sin`` (radians): so
``0.5*(1 + cos(pi*37/100))`` or ``1 - 0.9^12`` are fine answers. A number written right
before a constant or a function multiplies it: ``2π``, ``3sqrt(2)``.

``e`` on its own is Euler's number 2.71828…; scientific notation needs digits on both sides
of the ``e``: ``1e-3`` is 0.001 (as Python and every calculator read it), ``e-3`` is e − 3,
and ``2e`` is refused with a hint to write ``2·e`` or ``2e-3``. The live preview shows
which reading was taken.

How: the text is normalised to Python expression syntax, parsed with
``ast.parse(mode="eval")``, and evaluated by a walker that knows only number constants, the
two named constants, unary ``+``/``-``, the binary operators above and the one-argument
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
    "\u00a0": " ",
    "\u2009": " ",
    "\u202f": " ",
}
# "50,000" or "1,234,567.5": a comma between groups of exactly three digits
_THOUSANDS = re.compile(r"(?<![\d.])(\d{1,3}(?:,\d{3})+)(?![\d,])")
_ALLOWED = re.compile(r"[0-9e.+\-*/() a-z]*")
_NAME = re.compile(r"[a-z]+")
FUNCTIONS: dict[str, Callable[[float], float]] = {
    "sqrt": math.sqrt,
    "exp": math.exp,
    "log": math.log,
    "ln": math.log,
    "cos": math.cos,
    "sin": math.sin,
}
CONSTANTS = {"pi": math.pi, "e": math.e}
_WORDS = "|".join(sorted([*FUNCTIONS, "pi"], key=len, reverse=True))
# a number right before a constant or function name multiplies it: 2pi, 3 sqrt(2)
_IMPLICIT = re.compile(rf"(?<![a-z0-9_.])(\d+\.?\d*|\.\d+)(?=\s*(?:{_WORDS})\b)")
# "2e" or "2e+" with no exponent digits (and not "2exp"): neither 2·e nor 2·10^…
_BARE_E = re.compile(r"(?<![a-z0-9_.])(?:\d+\.?\d*|\.\d+)e(?![+-]?\d|xp)")
_PLAIN = re.compile(r"[ \t]*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?[ \t]*", re.ASCII)


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


class _Walker:
    """Evaluates an allow-listed AST in float arithmetic."""

    def __init__(self, positions: list[int]) -> None:
        self.positions = positions

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
            raise AnswerParseError(
                f"unknown name {node.id!r}: type a number or arithmetic (+ - × ÷ ^ √)",
                self._pos(node),
            )
        raise AnswerParseError("only numbers and + - × ÷ ^ √ ( ) are allowed", self._pos(node))

    def _call(self, node: ast.Call) -> float:
        name = node.func.id if isinstance(node.func, ast.Name) else ""
        if name not in FUNCTIONS:
            what = (
                f"{name} is a number, not a function"
                if name in CONSTANTS
                else ("the functions are sqrt, exp, log (= ln), cos and sin")
            )
            raise AnswerParseError(what, self._pos(node))
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
    bad = next((k for k, ch in enumerate(src) if not _ALLOWED.fullmatch(ch)), None)
    if bad is not None:
        ch = text[positions[bad]]
        hint = " (use a point for decimals: 0.5)" if ch == "," else ""
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
        if word not in FUNCTIONS and word not in CONSTANTS:
            raise AnswerParseError(
                f"unknown word {word!r}: type a number, arithmetic (+ − × ÷ ^ √), π, e or "
                "exp, log, cos, sin",
                positions[m.start()],
            )
    stripped = src.strip()
    # "√2" was rewritten to " sqrt 2"; give a bare sqrt its argument in parentheses
    stripped = re.sub(r"sqrt\s+([0-9.]+(?:e[-+]?\d+)?|pi\b|e\b)", r"sqrt(\1)", stripped)
    stripped = re.sub(r"sqrt\s+\(", "sqrt(", stripped)
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


def parse(text: str) -> float:
    """Return the value of the learner's answer ``text`` as a float.

    Raises AnswerParseError (message + 0-based position) for anything that is not a number or
    a small arithmetic expression. The value v is computed in IEEE float64 with the usual
    precedence: ``a ^ b`` = a**b binds tighter than × ÷, which bind tighter than + −.
    """
    plain = text.replace("−", "-") if isinstance(text, str) else text
    if isinstance(plain, str) and len(plain) <= MAX_LENGTH and _PLAIN.fullmatch(plain):
        # the common case, a plain decimal number (as every screen shows one): no AST needed
        value = float(plain)
        if math.isfinite(value) and abs(value) <= MAX_MAGNITUDE:
            return value
    tree, positions = _tree(text)
    try:
        return _Walker(positions).value_of(tree)
    except RecursionError:  # pragma: no cover - node limit makes this unreachable
        raise AnswerParseError("that expression is nested too deeply") from None


def _fmt(v: float) -> str:
    return fmt(v, 10)


_PREC = {ast.Add: 1, ast.Sub: 1, ast.Mult: 2, ast.Div: 2, ast.Pow: 4}
_SYM = {ast.Add: " + ", ast.Sub: " − ", ast.Mult: "·", ast.Div: "/", ast.Pow: "^"}


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
        name = {"sqrt": "√", "log": "ln"}.get(node.func.id, node.func.id)
        return f"{name}({_show(node.args[0])})"
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
    try:
        tree, positions = _tree(text)
        value = _Walker(positions).value_of(tree)
    except AnswerParseError as exc:
        return f"? {exc.message}"
    shown = _show(tree)
    val = _fmt(value)
    if isinstance(tree.body, ast.Constant) or shown == val:
        return val
    return f"{shown} = {val}"
