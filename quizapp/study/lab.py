"""The trajectory lab's session, UI-free: the racers, the surface, the start point, the
steps, the knob under the cursor, guided mode; and the trajectories, cached per racer.

The screen renders :attr:`LabSession.state` (a frozen :class:`LabState`) and sends intents
(``toggle``, ``select``, ``move_cursor``, ``change``, ``move_start``, ``guide``, ``reveal``,
…). Trajectories come from :func:`quizapp.engine.trajectory.simulate_iter`; a racer whose
settings did not change is not recomputed (changing Adam's β₂ recomputes Adam alone).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from quizapp.engine import surfaces
from quizapp.engine.surfaces import Pair, Surface
from quizapp.engine.trajectory import Run, Trajectory, simulate_iter
from quizapp.study.lab_experiments import BY_ID, EXPERIMENTS, Experiment
from quizapp.study.lab_knobs import (
    KAPPA_LADDER,
    SCALE_LADDER,
    SIGMA_LADDER,
    STEPS_LADDER,
    Knob,
    Racer,
    change_racer,
    default_racers,
    label_of,
    other_optimizers,
    other_run,
    racer_knobs,
    step_ladder,
)

MAX_STEPS = 20_000
START_STEP = 1 / 40  # an arrow key moves the start by this fraction of the view
CACHE_SIZE = 48  # finished paths kept (LRU): each up to ~0.6 MB at MAX_STEPS
FIRST_CHUNK = 16  # steps computed before the first partial paths reach the screen


@dataclass(frozen=True)
class LabState:
    """Everything the screen shows. ``experiment`` is None in free play."""

    racers: tuple[Racer, ...]
    surface: Surface
    start: Pair
    steps: int
    selected: int = 0  # the racer the racer knobs edit
    cursor: str = "lr"  # the id of the knob under the cursor
    experiment: str | None = None
    looked: bool = False  # the experiment's paths have been drawn in full
    revealed: bool = False

    @property
    def racer(self) -> Racer:
        return self.racers[self.selected]

    @property
    def active(self) -> tuple[Racer, ...]:
        return tuple(r for r in self.racers if r.enabled)

    @property
    def guide(self) -> Experiment | None:
        return BY_ID[self.experiment] if self.experiment else None

    @property
    def can_reveal(self) -> bool:
        return self.experiment is not None and self.looked and not self.revealed

    @property
    def knobs(self) -> tuple[Knob, ...]:
        """The panel's rows: the selected racer's knobs, then the lab's."""
        return racer_knobs(self.racer) + lab_knobs(self.surface, self.steps)

    @property
    def knob(self) -> Knob:
        knobs = self.knobs
        return next((k for k in knobs if k.id == self.cursor), knobs[0])


def lab_knobs(surface: Surface, steps: int) -> tuple[Knob, ...]:
    kind = surface.kind
    out = [Knob("surface", "surface", surface.name, "lab")]
    if kind.has_kappa:
        out.append(Knob("kappa", "κ", surface.kappa, "lab"))
    if kind.has_noise:
        out.append(Knob("sigma", "σ", surface.sigma, "lab"))
        out.append(Knob("seed", "seed", surface.seed, "lab"))
    out.append(Knob("scale", "scale", surface.scale, "lab"))
    out.append(Knob("steps", "steps", steps, "lab"))
    return tuple(out)


def free_state() -> LabState:
    surface = surfaces.get("bowl")
    return LabState(default_racers(), surface, surface.kind.start, 200)


def experiment_state(experiment: Experiment) -> LabState:
    return LabState(
        experiment.racers,
        experiment.surface,
        experiment.start,
        experiment.steps,
        experiment=experiment.id,
    )


CacheKey = tuple[Surface, Pair, int, Run]


class LabError(ValueError):
    """A setting the lab cannot use (an unknown surface or optimizer, steps out of range)."""


class LabSession:
    """The lab: a state and the intents that change it, plus the trajectory cache."""

    def __init__(self, state: LabState | None = None, experiment: str | None = None) -> None:
        self._free = state or free_state()
        self.state = self._free
        self._cache: OrderedDict[CacheKey, Trajectory] = OrderedDict()
        self._lock = threading.Lock()
        if experiment is not None:
            self.guide(experiment)

    def apply(
        self,
        *,
        surface: str | None = None,
        start: Pair | None = None,
        steps: int | None = None,
        racers: Sequence[str] | None = None,
    ) -> None:
        """Settings given on the command line. ``racers`` are the racers to switch on, by
        key (``sgd``, ``momentum``, …) or by an engine optimizer's name for the eighth slot
        (``lion``); the others are switched off. Raises :class:`LabError`."""
        if surface is not None:
            if surface not in surfaces.names():
                raise LabError(f"unknown surface {surface!r}; valid: {', '.join(surfaces.names())}")
            self.set_surface(surface)
        if steps is not None:
            if not 0 < steps <= MAX_STEPS:
                raise LabError(f"steps must be between 1 and {MAX_STEPS:,}, not {steps}")
            self._set(steps=steps)
        if start is not None:
            self.set_start(*start)
        if racers is not None:
            self._switch_on(list(racers))

    def _switch_on(self, wanted: list[str]) -> None:
        state = self.state
        keys = [r.key for r in state.racers]
        extra = [w for w in wanted if w not in keys]
        others = other_optimizers()
        bad = [w for w in extra if w not in others]
        if bad or len(extra) > 1 or not wanted:
            valid = ", ".join([k for k in keys if k != "other"] + list(others))
            what = (
                f"unknown optimizer(s) {', '.join(bad)}" if bad else "name one to eight optimizers"
            )
            if len(extra) > 1 and not bad:
                what = f"only one optimizer beyond the main seven at a time ({', '.join(extra)})"
            raise LabError(f"{what}; valid: {valid}")
        racers = list(state.racers)
        for i, racer in enumerate(racers):
            if racer.key == "other" and extra:
                racer = replace(racer, label=label_of(extra[0]), run=other_run(extra[0]))
                wanted.append("other")
            racers[i] = replace(racer, enabled=racer.key in wanted)
        self._set(racers=tuple(racers), selected=next(i for i, r in enumerate(racers) if r.enabled))

    # -- racers and knobs ------------------------------------------------------------------
    def toggle(self, index: int) -> None:
        """Switch racer ``index`` on or off (it becomes the selected one)."""
        s = self.state
        if not 0 <= index < len(s.racers):
            return
        racer = s.racers[index]
        self._set(
            racers=_put(s.racers, index, replace(racer, enabled=not racer.enabled)),
            selected=index,
        )

    def select(self, index: int) -> None:
        if 0 <= index < len(self.state.racers):
            self._set(selected=index)

    def select_next(self, direction: int) -> None:
        self._set(selected=(self.state.selected + direction) % len(self.state.racers))

    def move_cursor(self, direction: int) -> None:
        ids = [k.id for k in self.state.knobs]
        i = ids.index(self.state.knob.id)
        self._set(cursor=ids[(i + direction) % len(ids)])

    def point_at(self, knob_id: str) -> None:
        if any(k.id == knob_id for k in self.state.knobs):
            self._set(cursor=knob_id)

    def change(self, direction: int, knob_id: str | None = None) -> None:
        """Move the knob under the cursor (or ``knob_id``) one rung up or down."""
        s = self.state
        knob = s.knob if knob_id is None else next(k for k in s.knobs if k.id == knob_id)
        if knob.scope == "racer":
            racer = change_racer(s.racer, knob.id, direction)
            if not racer.enabled:
                racer = replace(racer, enabled=True)
            self._set(racers=_put(s.racers, s.selected, racer), cursor=knob.id)
            return
        surface, steps = s.surface, s.steps
        if knob.id == "surface":
            names = surfaces.names()
            name = names[(names.index(surface.name) + direction) % len(names)]
            self.set_surface(name)
            return
        if knob.id == "kappa":
            surface = surface.with_(kappa=step_ladder(KAPPA_LADDER, surface.kappa, direction))
        elif knob.id == "sigma":
            surface = surface.with_(sigma=step_ladder(SIGMA_LADDER, surface.sigma, direction))
        elif knob.id == "seed":
            surface = surface.with_(seed=max(0, surface.seed + direction))
        elif knob.id == "scale":
            surface = surface.with_(scale=step_ladder(SCALE_LADDER, surface.scale, direction))
        elif knob.id == "steps":
            steps = step_ladder(STEPS_LADDER, steps, direction)
        self._set(surface=surface, steps=steps, cursor=knob.id)

    def set_surface(self, name: str) -> None:
        """Another surface, from its usual start (κ, σ, seed and scale carry over)."""
        s = self.state
        surface = s.surface.with_(name=name)
        self._set(surface=surface, start=surface.kind.start)

    def toggle_scale(self) -> None:
        """×1 ↔ ×1000 (Adam's scale-freeness in one key)."""
        scale = 1.0 if self.state.surface.scale != 1 else 1000.0
        self._set(surface=self.state.surface.with_(scale=scale))

    # -- the start point --------------------------------------------------------------------
    def move_start(self, dx: int, dy: int) -> None:
        """Arrow keys: move the start by 1/40 of the view, staying inside it."""
        x0, x1, y0, y1 = self.state.surface.kind.view
        x, y = self.state.start
        x = min(max(x + dx * (x1 - x0) * START_STEP, x0), x1)
        y = min(max(y + dy * (y1 - y0) * START_STEP, y0), y1)
        self._set(start=(round(x, 6), round(y, 6)))

    def set_start(self, x: float, y: float) -> None:
        self._set(start=(round(float(x), 4), round(float(y), 4)))

    # -- guided mode -------------------------------------------------------------------------
    def guide(self, experiment: str | None = None) -> None:
        """Open an experiment (the first, or ``experiment``); free play is kept for later."""
        if self.state.experiment is None:
            self._free = self.state
        target = BY_ID.get(experiment or "", EXPERIMENTS[0])
        self.state = experiment_state(target)

    def next_experiment(self, direction: int = 1) -> None:
        ids = [e.id for e in EXPERIMENTS]
        current = self.state.experiment
        i = ids.index(current) if current else -direction
        self.guide(ids[(i + direction) % len(ids)])

    def leave_guide(self) -> None:
        """Back to free play, as it was."""
        if self.state.experiment is not None:
            self.state = self._free

    def reset(self) -> None:
        """The experiment's preset again, or (free play) the lab's defaults."""
        guide = self.state.guide
        self.state = experiment_state(guide) if guide else free_state()

    def mark_looked(self) -> None:
        """The screen has drawn the experiment's paths in full: the answer may be shown."""
        if self.state.experiment is not None and not self.state.looked:
            self.state = replace(self.state, looked=True)

    def reveal(self) -> bool:
        if not self.state.can_reveal:
            return False
        self.state = replace(self.state, revealed=True)
        return True

    def hide_answer(self) -> bool:
        """Put the shown answer away again (it takes the room of the knobs on a small
        terminal); space shows it again."""
        if not self.state.revealed:
            return False
        self.state = replace(self.state, revealed=False)
        return True

    # -- trajectories -------------------------------------------------------------------------
    def _key(self, run: Run) -> CacheKey:
        s = self.state
        return (s.surface, s.start, s.steps, run)

    def cached(self) -> tuple[list[Trajectory | None], list[Run]]:
        """Per active racer its finished trajectory when cached (else None), and the runs
        still to compute (each once, even if two racers share settings)."""
        ready: list[Trajectory | None] = []
        missing: list[Run] = []
        with self._lock:
            for racer in self.state.active:
                key = self._key(racer.run)
                path = self._cache.get(key)
                if path is not None:
                    self._cache.move_to_end(key)
                elif racer.run not in missing:
                    missing.append(racer.run)
                ready.append(path)
        return ready, missing

    def compute(
        self, runs: list[Run], state: LabState | None = None
    ) -> Iterator[tuple[Trajectory, ...]]:
        """Trajectories of ``runs`` for ``state`` (default: now), growing chunk by chunk;
        complete ones are cached. Stop iterating to cancel (a worker thread may iterate)."""
        s = state or self.state
        paths: tuple[Trajectory, ...] = ()
        for paths in simulate_iter(s.surface, s.start, runs, s.steps, chunk=FIRST_CHUNK):
            yield paths
        with self._lock:
            for path in paths:
                self._cache[(s.surface, s.start, s.steps, path.run)] = path
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)

    def paths(self) -> list[Trajectory]:
        """Every active racer's trajectory, computing what is missing (tests, image export)."""
        ready, missing = self.cached()
        if missing:
            for _ in self.compute(missing):
                pass
            ready, _ = self.cached()
        return [p for p in ready if p is not None]

    # -- internals ------------------------------------------------------------------------------
    def _set(self, **changes: object) -> None:
        self.state = replace(self.state, **changes)  # type: ignore[arg-type]


def _put(racers: tuple[Racer, ...], index: int, racer: Racer) -> tuple[Racer, ...]:
    return racers[:index] + (racer,) + racers[index + 1 :]
