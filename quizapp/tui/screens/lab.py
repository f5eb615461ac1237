"""The trajectory lab: optimizers race on a 2-D loss surface, drawn as contours in the
terminal; every knob redraws the paths at once.

The screen renders a :class:`~quizapp.study.lab.LabSession` and sends it intents. Paths
already computed (per racer and settings) are drawn in the same frame; the rest are
computed by the engine in a thread worker (exclusive: a newer change cancels it) that
hands back growing prefixes, so the plot fills in while the learner keeps pressing keys.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Header, Static
from textual.worker import get_current_worker

from quizapp.engine.trajectory import Run, Trajectory, TrajectoryError
from quizapp.study.lab import LabSession, LabState
from quizapp.study.lab_knobs import update_rule
from quizapp.tui.screens.base import QuizScreen
from quizapp.tui.widgets.footer import QuizFooter
from quizapp.tui.widgets.lab.panels import SCHEDULE_NAMES, KnobPanel, RacerLegend, RacerRow
from quizapp.tui.widgets.lab.plot import LossPlot, Scene, colours_for

TOGGLE_KEYS = "12345678"


class LabScreen(QuizScreen[None]):
    """The lab. ``LabScreen()`` opens free play; ``LabScreen(experiment="warmup")`` opens a
    guided experiment (ids in :data:`quizapp.study.lab_experiments.EXPERIMENTS`)."""

    CSS_PATH = Path(__file__).with_name("lab.tcss")
    BINDINGS = [
        Binding("escape", "back", "Back", id="lab.back"),
        # "1–n On/off" for the n optimizers the lab holds now (one binding per n, the one
        # that is true shown): an experiment of three says 1–3, free play 1–8
        *(
            Binding(
                "1",
                f"toggle(0, {n})",
                "On/off",
                key_display=f"1–{n}" if n > 1 else "1",
                id="lab.toggle" if n == len(TOGGLE_KEYS) else f"lab.toggle-of-{n}",
            )
            for n in range(len(TOGGLE_KEYS), 0, -1)
        ),
        *(Binding(k, f"toggle({i})", show=False) for i, k in enumerate(TOGGLE_KEYS) if i),
        Binding("tab", "panel(1)", "Panel", id="lab.panel"),
        Binding("shift+tab", "panel(-1)", "Panel", show=False),
        Binding("space", "reveal", "Answer", id="lab.reveal"),
        Binding("space", "hide_answer", "Hide answer", id="lab.hide-answer"),
        Binding("n", "next_experiment(1)", "Next", key_display="n/p", id="lab.next"),
        Binding("p", "next_experiment(-1)", "Previous", show=False),
        Binding("x", "toggle_scale", "×1000", id="lab.scale"),
        Binding("g", "guide", "Guide", id="lab.guide"),
        Binding("r", "reset", "Reset", id="lab.reset"),
    ]

    def __init__(
        self,
        session: LabSession | None = None,
        *,
        experiment: str | None = None,
        returns: bool = False,
    ) -> None:
        super().__init__()
        self.session = session or LabSession(experiment=experiment)
        # opened from a study card ("see it"): escape goes straight back to the card
        self.returns = returns
        self._computing: tuple[object, ...] | None = None  # what the worker is computing
        self._partial: dict[Run, Trajectory] = {}
        self._drawn_complete = False
        self._guide_shown: tuple[str | None, bool] | None = None  # the guide text's experiment

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="lab-main"):
            yield LossPlot(id="lab-plot")
            with VerticalScroll(id="lab-side", can_focus=False):
                yield RacerLegend(id="lab-racers")
                yield KnobPanel(id="lab-knobs")
                yield Static(id="lab-rule")
        with VerticalScroll(id="lab-guide", can_focus=False):
            yield Static(id="lab-guide-text")
        yield QuizFooter()

    def on_mount(self) -> None:
        self.sub_title = "Trajectory lab"
        self.query_one("#lab-racers").border_title = "Optimizers · loss · steps"
        self.query_one("#lab-rule").border_title = "Update"
        self.query_one(LossPlot).focus()
        self.render_lab()

    # -- rendering ------------------------------------------------------------------------
    def render_lab(self) -> None:
        """Show the session's state: panels now, paths as far as they are computed."""
        state = self.session.state
        plot = self.query_one(LossPlot)
        plot.border_title = state.surface.title
        panel = self.query_one(KnobPanel)
        panel.show(state)
        if panel.read_only and self.focused is panel:  # g pressed with the knobs focused
            self.query_one(LossPlot).focus()
        panel.border_title = f"{state.racer.label} · {'preset' if panel.read_only else 'knobs'}"
        self.query_one("#lab-rule", Static).update(_rule_text(state))
        guide = self.query_one("#lab-guide", VerticalScroll)
        guide.display = state.experiment is not None
        if state.guide is not None:
            shown = (state.experiment, state.revealed)
            if shown != self._guide_shown:  # another text: read from its top
                self._guide_shown = shown
                guide.scroll_home(animate=False)
            self.query_one("#lab-guide-text", Static).update(_guide_text(state))
            guide.border_title = (
                f"Experiment {_experiment_number(state)} of 6 · {state.guide.title}"
            )
            guide.set_class(state.revealed, "-revealed")
        ready, missing = self.session.cached()
        key = (state.surface, state.start, state.steps, tuple(missing))
        if missing and key != self._computing:
            self._computing = key
            self._partial = {}
            self._compute(missing, state, key)
        elif not missing:
            self._computing = None
        self._draw(state, ready)
        self.refresh_bindings()
        # whether the knobs can be seen is known once the new layout is made
        self.call_after_refresh(self.refresh_bindings)

    def on_resize(self) -> None:
        self.call_after_refresh(self.refresh_bindings)

    def _knobs_in_view(self) -> bool:
        """Whether the knob under the cursor is on screen: the side panel can be too short
        for it (80×24 with the guide's answer shown), and a key is offered only when what
        it changes can be seen."""
        knobs = self.query_one(KnobPanel)
        side = self.query_one("#lab-side")
        if not knobs.display or not side.region or not knobs.content_region:
            return False
        row = knobs.content_region.y + knobs.cursor_line()
        seen = side.region.intersection(knobs.content_region)
        return seen.y <= row < seen.bottom

    def _draw(self, state: LabState, ready: list[Trajectory | None]) -> None:
        paths: list[Trajectory | None] = [
            p if p is not None else self._partial.get(r.run)
            for p, r in zip(ready, state.active, strict=True)
        ]
        keys = [r.key for r in state.racers]
        colours = colours_for(keys)
        active_colours = [c for c, r in zip(colours, state.racers, strict=True) if r.enabled]
        selected = state.racer
        order = sorted(
            range(len(paths)), key=lambda i: state.active[i] is selected
        )  # the racer being edited on top
        scene = Scene(
            state.surface,
            state.start,
            tuple(
                (_shown(paths[i], state.surface.kind.view), active_colours[i])  # type: ignore[arg-type]
                for i in order
                if paths[i] is not None
            ),
        )
        self.query_one(LossPlot).show(scene)
        rows = []
        it = iter(paths)
        for racer in state.racers:
            path = next(it) if racer.enabled else None
            rows.append(RacerRow(path, computing=path is not None and not path.complete))
        self.query_one(RacerLegend).show(state, rows, colours)
        complete = all(p is not None and p.complete for p in paths)
        if complete and state.experiment is not None and not state.looked:
            self.session.mark_looked()
            self.refresh_bindings()
            self.query_one("#lab-guide-text", Static).update(_guide_text(self.session.state))

    @work(thread=True, exclusive=True, group="lab-paths")
    def _compute(self, runs: list[Run], state: LabState, key: tuple[object, ...]) -> None:
        worker = get_current_worker()
        try:
            for paths in self.session.compute(runs, state):
                if worker.is_cancelled:
                    return
                self.app.call_from_thread(self._arrived, key, paths)
        except TrajectoryError as exc:
            self.app.call_from_thread(
                self.notify, str(exc), title="The engine refused", severity="error"
            )

    def _arrived(self, key: tuple[object, ...], paths: tuple[Trajectory, ...]) -> None:
        if key != self._computing:
            return  # an older computation finishing after the learner moved on
        self._partial.update({p.run: p for p in paths})
        if all(p.complete for p in paths):
            self._computing = None
        state = self.session.state
        ready, _ = self.session.cached()
        self._draw(state, ready)

    # -- intents ------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        state = self.session.state
        guided = state.experiment is not None
        if action == "next_experiment":
            return guided
        if action == "panel":
            return not guided
        if action == "guide":
            return not guided
        if action == "reveal":
            if not guided or state.revealed:
                return False
            return True if state.looked else None  # shown dimmed until the paths are drawn
        if action == "hide_answer":
            return guided and state.revealed
        if action in ("move_cursor", "change"):  # the knob panel's keys (free play only)
            return not guided and self._knobs_in_view()
        if action == "toggle_scale":
            return state.experiment == "adam-scale"
        if action == "toggle" and len(parameters) == 2:
            return parameters[1] == len(state.racers)
        return True

    def action_back(self) -> None:
        if self.session.state.experiment is not None and not self.returns:
            self.session.leave_guide()
            self.render_lab()
        else:
            self.dismiss()

    def action_panel(self, direction: int) -> None:
        if direction > 0:
            self.focus_next()
        else:
            self.focus_previous()

    def action_toggle(self, index: int, _of: int = 0) -> None:
        count = len(self.session.state.racers)
        if index >= count:  # a key past the racers: say so (the footer says 1–count)
            self.notify(
                f"Only {count} optimizers here: 1–{count} switch them on or off.", timeout=3
            )
            return
        self.session.toggle(index)
        self.render_lab()

    def action_select_racer(self, direction: int) -> None:
        self.session.select_next(direction)
        self.render_lab()

    def action_move_cursor(self, direction: int) -> None:
        self.session.move_cursor(direction)
        self.render_lab()

    def action_change(self, direction: int, knob_id: str | None = None) -> None:
        self.session.change(direction, knob_id)
        self.render_lab()

    def action_move_start(self, dx: int, dy: int) -> None:
        self.session.move_start(dx, dy)
        self.render_lab()

    @on(RacerLegend.Clicked)
    def _racer_clicked(self, event: RacerLegend.Clicked) -> None:
        if event.toggle:
            self.session.toggle(event.index)
        else:
            self.session.select(event.index)
        self.render_lab()

    @on(KnobPanel.Clicked)
    def _knob_clicked(self, event: KnobPanel.Clicked) -> None:
        self.session.point_at(event.knob_id)
        if event.direction:
            self.session.change(event.direction, event.knob_id)
        self.render_lab()

    @on(LossPlot.StartPicked)
    def _start_picked(self, event: LossPlot.StartPicked) -> None:
        self.session.set_start(event.x, event.y)
        self.render_lab()

    def action_toggle_scale(self) -> None:
        self.session.toggle_scale()
        self.render_lab()

    def action_guide(self) -> None:
        self.session.guide()
        self.render_lab()

    def action_next_experiment(self, direction: int) -> None:
        self.session.next_experiment(direction)
        self.render_lab()

    def action_reveal(self) -> None:
        if self.session.reveal():
            self.render_lab()

    def action_hide_answer(self) -> None:
        if self.session.hide_answer():
            self.render_lab()

    def action_reset(self) -> None:
        self.session.reset()
        self.render_lab()


def _shown(path: Trajectory, view: tuple[float, float, float, float]) -> np.ndarray:
    """The points to draw: a path that blew up is drawn until it leaves the view for good
    (its later swings would paint whole columns and hide the other paths)."""
    if path.diverged_at is None:
        return path.points
    x0, x1, y0, y1 = view
    pts = path.points
    with np.errstate(invalid="ignore"):
        inside = (pts[:, 0] >= x0) & (pts[:, 0] <= x1) & (pts[:, 1] >= y0) & (pts[:, 1] <= y1)
    last = int(np.flatnonzero(inside)[-1]) if inside.any() else 0
    return pts[: last + 2]


def _experiment_number(state: LabState) -> int:
    from quizapp.study.lab_experiments import EXPERIMENTS

    return 1 + [e.id for e in EXPERIMENTS].index(state.experiment or "")


def _guide_text(state: LabState) -> Text:
    guide = state.guide
    text = Text()
    if guide is None:
        return text
    if state.revealed:  # the answer alone: at 80×24 it fits whole (space shows the question)
        text.append(guide.answer)
        text.append("\n\nspace hides the answer and shows the question again", style="dim")
        return text
    text.append(guide.question)
    if state.looked:
        text.append("\n\nspace shows the answer", style="dim")
    else:
        text.append("\n\nthe answer opens once the paths are drawn", style="dim")
    return text


def _rule_text(state: LabState) -> Text:
    racer = state.racer
    text = Text(update_rule(racer))
    schedule = racer.run.schedule
    if schedule != "constant":
        text.append(f"\nηₖ: {SCHEDULE_NAMES[schedule]}", style="dim")
    text.append(f"\nstart ({state.start[0]:g}, {state.start[1]:g})", style="dim")
    return text
