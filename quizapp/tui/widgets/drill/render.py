"""Rich renderables for a drill: the givens, the verdict marks and the worked solution.

Pure functions of engine records (Problem, Verdict), so they are cheap to test and the
card only decides where they go.
"""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from quizapp.engine.drills import MISTAKES, Problem, Verdict
from quizapp.study.format import mistake_name, number

PAIRS_PER_ROW = 3


def givens_table(problem: Problem) -> Table:
    """The given values as label = value pairs, three to a row (fits 80 columns)."""
    table = Table.grid(padding=(0, 1))
    for _ in range(PAIRS_PER_ROW):
        table.add_column(justify="right", style="bold")
        table.add_column()
        table.add_column(min_width=10, max_width=14)
    cells: list[str] = []
    for name, value in problem.given.items():
        cells += [problem.given_labels.get(name, name), "=", number(value)]
    width = 3 * PAIRS_PER_ROW
    for start in range(0, len(cells), width):
        row = cells[start : start + width]
        table.add_row(*row, *[""] * (width - len(row)))
    return table


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
