"""Located content problems: what is wrong, where, and what to do."""

from __future__ import annotations

from quizapp.plain import Frozen

#: The hint of every repeated item id (within a file: decks.validate; across files: the
#: loader's merge).
DUPLICATE_HINT = "give every item its own id; progress is keyed by it"


class ContentProblem(Frozen):
    """One problem in a deck file, located as precisely as we can."""

    __slots__ = ("path", "message", "line", "column", "field", "hint", "severity")
    path: str
    message: str
    line: int | None
    column: int | None
    field: str | None
    hint: str | None
    severity: str  # "error" or "warning"

    def __init__(
        self,
        path: str,
        message: str,
        line: int | None = None,
        column: int | None = None,
        field: str | None = None,
        hint: str | None = None,
        severity: str = "error",
    ) -> None:
        setattr_ = object.__setattr__
        setattr_(self, "path", path)
        setattr_(self, "message", message)
        setattr_(self, "line", line)
        setattr_(self, "column", column)
        setattr_(self, "field", field)
        setattr_(self, "hint", hint)
        setattr_(self, "severity", severity)

    @property
    def location(self) -> str:
        loc = self.path
        if self.line is not None:
            loc += f":{self.line}"
            if self.column is not None:
                loc += f":{self.column}"
        return loc

    def __str__(self) -> str:
        text = f"{self.location}: {self.severity}: "
        if self.field:
            text += f"{self.field}: "
        text += self.message
        if self.hint:
            text += f" ({self.hint})"
        return text

    def to_json(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "field": self.field,
            "severity": self.severity,
            "message": self.message,
            "hint": self.hint,
        }


class ContentError(Exception):
    """Content could not be loaded; carries every problem found."""

    def __init__(self, problems: list[ContentProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
