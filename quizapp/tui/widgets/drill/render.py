"""Rich renderables for a drill: the givens, the verdict marks and the worked solution.

Pure functions of engine records (Problem, Verdict), so they are cheap to test and the
card only decides where they go.
"""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from quizapp.engine.drills import MISTAKES, Problem, Verdict
from quizapp.study.format import mistake_name, number

PAIRS_PER_ROW = 3


class Givens:
    """The given values as label = value pairs, three to a row, or two or one when three
    would not fit the width the card has (at 80 columns "micro-batch b = 8" and
    "accumulation a = 8" beside a third pair would wrap their labels)."""

    def __init__(self, problem: Problem) -> None:
        self.cells = [
            (problem.given_labels.get(name, name), number(value))
            for name, value in problem.given.items()
        ]

    def table(self, pairs: int) -> Table:
        table = Table.grid(padding=(0, 1))
        for i in range(pairs):
            table.add_column(justify="right", style="bold", no_wrap=True)
            table.add_column()
            # values pad to 10 so the next pair's labels line up; the last pair needs not
            table.add_column(min_width=10 if i < pairs - 1 else None, no_wrap=True)
        for start in range(0, len(self.cells), pairs):
            row = [
                c for label, value in self.cells[start : start + pairs] for c in (label, "=", value)
            ]
            table.add_row(*row, *[""] * (3 * pairs - len(row)))
        return table

    def _fitting(self, console: Console, options: ConsoleOptions) -> Table:
        unbounded = options.update_width(10_000)  # Measurement clamps to the width given
        for pairs in range(PAIRS_PER_ROW, 1, -1):
            table = self.table(pairs)
            if Measurement.get(console, unbounded, table).maximum <= options.max_width:
                return table
        return self.table(1)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self._fitting(console, options)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self._fitting(console, options))


def givens_table(problem: Problem) -> Givens:
    """The given values as label = value pairs, as many to a row as fit (at most three)."""
    return Givens(problem)


def field_marks(problem: Problem, verdict: Verdict) -> Table:
    """One line per answered field: ✓/✗, the label, what was typed and the exact value, in
    columns that line up whatever the labels' and the numbers' widths ("you" and "exact"
    in columns of their own, the numbers right-aligned after them)."""
    table = Table.grid(padding=(0, 1))
    table.add_column()
    table.add_column(style="bold")
    table.add_column()
    table.add_column(justify="right")
    table.add_column(style="dim")
    table.add_column(justify="right", style="dim")
    labels = {f.name: f.label for f in problem.fields}
    for result in verdict.fields:
        mark = Text("✓", style="bold green") if result.correct else Text("✗", style="bold red")
        # what the learner typed, and the exact value with the digits its grade needs
        given = "—" if result.given is None else (result.given_text or number(result.given))
        table.add_row(
            mark,
            labels.get(result.field, result.field),
            " you",
            given,
            " exact",
            result.expected_text or number(result.expected),
        )
    return table


def mistake_text(verdict: Verdict) -> Text | None:
    """The mistake the engine recognised, said once: its explanation (which names it), or
    its name when there is no explanation."""
    if not verdict.mistake:
        return None
    explanation = MISTAKES.get(verdict.mistake) or mistake_name(verdict.mistake)
    return Text.assemble(("Likely mistake  ", "bold yellow"), explanation)


def solution_table(problem: Problem) -> Table:
    """The worked solution, one engine step per line: label = expression = value."""
    table = Table.grid(padding=(0, 1))
    table.add_column(justify="right", style="bold")
    table.add_column()
    for step in problem.solution:
        line = Text(f"= {step.expression}")
        if step.value is not None:
            line.append(f" = {step.value_text or number(step.value)}", style="bold")
        table.add_row(step.label, line)
    return table


def verdict_group(problem: Problem, verdict: Verdict) -> Group:
    """Everything under the verdict headline: feedback, marks, mistake."""
    parts: list[object] = [Text(verdict.feedback), Text(""), field_marks(problem, verdict)]
    mistake = mistake_text(verdict)
    if mistake is not None:
        parts += [Text(""), mistake]
    return Group(*parts)  # type: ignore[arg-type]
