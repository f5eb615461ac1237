"""The lab screen with Pilot: every key and click does what the footer says, the plot draws
the engine's paths, and the bindings shown are the ones that work at that moment."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np
import pytest
from textual.app import App

from quizapp.study.context import AppContext
from quizapp.study.format import compact
from quizapp.study.lab import LabSession, free_state
from quizapp.study.lab_experiments import EXPERIMENTS
from quizapp.tui.app import QuizApp
from quizapp.tui.screens.home import HomeScreen
from quizapp.tui.screens.lab import LabScreen
from quizapp.tui.widgets.lab.panels import KnobPanel, RacerLegend
from quizapp.tui.widgets.lab.plot import LossPlot


def quick() -> LabSession:
    """Free play with 20 steps: every key's recompute is quick even on a busy machine."""
    return LabSession(replace(free_state(), steps=20))


def lab_of(app: App[Any]) -> LabSession:
    """The session of the lab on top (the screen renders it; the tests read it)."""
    screen = app.screen
    assert isinstance(screen, LabScreen)
    return screen.session


async def settle(pilot: Any) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def shown_keys(app: App[Any]) -> dict[str, bool | None]:
    """The footer's keys now: key -> True (works), None (shown dimmed); hidden ones absent."""
    screen = app.screen
    out: dict[str, bool | None] = {}
    for key, (_node, binding, enabled, _tip) in screen.active_bindings.items():
        if not binding.show:
            continue
        namespace = _node
        action = binding.action.split("(")[0].removeprefix("screen.")
        check = namespace.check_action(action, ()) if hasattr(namespace, "check_action") else True
        if check is False:
            continue
        out[key] = None if check is None else enabled
    return out


def scene_points(app: App[Any]) -> list[np.ndarray]:
    return [pts for pts, _ in app.screen.query_one(LossPlot).scene.paths]


@pytest.fixture
def lab(make_ctx: Callable[..., AppContext]) -> Callable[..., QuizApp]:
    """The real app opened on the lab (as `quizapp lab` does), on the real context."""

    def make(session: LabSession | None = None) -> QuizApp:
        return QuizApp(make_ctx(), start="lab", lab=session or quick())

    return make


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
async def test_the_plot_draws_the_engines_paths(lab: Callable[..., QuizApp]) -> None:
    app = lab()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        expected = quick().paths()
        drawn = scene_points(app)
        assert len(drawn) == 7
        # drawn in racer order except the selected racer (SGD), which is drawn on top
        order = [*range(1, 7), 0]
        for got, i in zip(drawn, order, strict=True):
            assert np.array_equal(got, expected[i].points)
        legend = app.screen.query_one(RacerLegend).render().plain.splitlines()
        loss = compact(expected[0].final_loss)
        assert legend[0].split()[2:] == ["SGD", loss, "20"]  # the loss reached, the steps
        assert legend[7].split()[2:] == ["NAdam", "off"]


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
async def test_arrow_keys_move_the_start_and_redraw(lab: Callable[..., QuizApp]) -> None:
    app = lab()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        start = lab_of(app).state.start
        view = lab_of(app).state.surface.kind.view
        dx, dy = (view[1] - view[0]) / 40, (view[3] - view[2]) / 40
        for key, (ex, ey) in {
            "right": (dx, 0),
            "left": (0, 0),
            "up": (0, dy),
            "down": (0, 0),
        }.items():
            await pilot.press(key)
            await settle(pilot)
            assert lab_of(app).state.start == pytest.approx((start[0] + ex, start[1] + ey))
        await pilot.press("right")
        await settle(pilot)
        plot = app.screen.query_one(LossPlot)
        assert plot.scene.start == lab_of(app).state.start
        assert all(np.allclose(p[0], lab_of(app).state.start) for p in scene_points(app))


async def test_a_click_on_the_plot_picks_the_start(lab: Callable[..., QuizApp]) -> None:
    app = lab()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        plot = app.screen.query_one(LossPlot)
        await pilot.click(LossPlot, offset=(11, 6))  # border + content cell (10, 5)
        await settle(pilot)
        x0, x1, y0, y1 = plot.view
        cols, rows = plot.content_size
        want = (x0 + 10.5 / cols * (x1 - x0), y1 - 5.5 / rows * (y1 - y0))
        assert lab_of(app).state.start == pytest.approx(want, abs=1e-4)
        assert plot.scene.start == lab_of(app).state.start


async def test_number_keys_switch_optimizers(lab: Callable[..., QuizApp]) -> None:
    app = lab()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for key in "1234567":
            await pilot.press(key)
        await settle(pilot)
        assert lab_of(app).state.active == () and scene_points(app) == []
        await pilot.press("8")
        await settle(pilot)
        assert [r.key for r in lab_of(app).state.active] == ["other"]
        assert len(scene_points(app)) == 1
        assert "off" not in app.screen.query_one(RacerLegend).render().plain.splitlines()[7]


async def test_tab_walks_the_panels_and_each_panel_has_its_keys(
    lab: Callable[..., QuizApp],
) -> None:
    app = lab()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.focused, LossPlot)
        assert "left" in shown_keys(app)
        await pilot.press("tab")
        assert isinstance(app.focused, RacerLegend)
        keys = shown_keys(app)
        assert "up" in keys and "left" not in keys
        await pilot.press("down", "down")
        assert lab_of(app).state.selected == 2
        await pilot.press("up", "2")
        await settle(pilot)
        assert lab_of(app).state.selected == 1 and not lab_of(app).state.racers[1].enabled
        await pilot.press("tab")
        assert isinstance(app.focused, KnobPanel)
        keys = shown_keys(app)
        assert "up" in keys and "left" in keys
        assert app.screen.query_one("#lab-knobs").border_title == "Momentum · knobs"
        await pilot.press("right")  # η of Momentum, one rung up: 0.05 → 0.1; it comes back on
        await settle(pilot)
        assert lab_of(app).state.racers[1].run.hp["lr"] == 0.1
        assert lab_of(app).state.racers[1].enabled
        await pilot.press("down", "right")  # μ: 0.9 → 0.95
        assert lab_of(app).state.racers[1].run.hp["momentum"] == 0.95
        await pilot.press("shift+tab", "shift+tab")
        assert isinstance(app.focused, LossPlot)


async def test_every_knob_changes_with_left_and_right(lab: Callable[..., QuizApp]) -> None:
    state = free_state()
    only_adam = tuple(replace(r, enabled=r.key == "adam") for r in state.racers)
    app = lab(LabSession(replace(state, steps=20, racers=only_adam)))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("tab", "down", "down", "down", "down", "down")  # Adam
        assert lab_of(app).state.racer.label == "Adam"
        await pilot.press("tab")
        seen = {}
        for knob in lab_of(app).state.knobs:
            assert lab_of(app).state.knob.id == knob.id
            before = lab_of(app).state.knob.value
            await pilot.press("right" if knob.id != "surface" else "left")
            after = next(k for k in lab_of(app).state.knobs if k.id == knob.id).value
            seen[knob.id] = (before, after)
            if knob.id == "surface":
                await pilot.press("right")  # back to the bowl
            await pilot.press("down")
        await settle(pilot)
        assert all(before != after for before, after in seen.values()), seen
        assert set(seen) == {
            "lr", "beta1", "beta2", "eps", "weight_decay", "schedule",
            "surface", "kappa", "scale", "steps",
        }  # fmt: skip
        assert lab_of(app).state.knob.id == "lr"  # the cursor wrapped round


async def test_clicks_on_the_panels(lab: Callable[..., QuizApp]) -> None:
    app = lab()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.click(RacerLegend, offset=(2, 4))  # row 4 (RMSprop), its ■
        assert not lab_of(app).state.racers[3].enabled
        await pilot.click(RacerLegend, offset=(8, 6))  # the name of row 6: select Adam
        assert lab_of(app).state.selected == 5 and lab_of(app).state.racers[5].enabled
        panel = app.screen.query_one(KnobPanel)
        row = next(i for i in range(20) if (k := panel.knob_at(i)) and k.id == "beta2")
        await pilot.click(KnobPanel, offset=(2 + 2 + KnobPanel.LABEL, 1 + row))  # its ◂
        await settle(pilot)
        assert lab_of(app).state.racers[5].run.hp["betas"] == (0.9, 0.995)
        assert lab_of(app).state.knob.id == "beta2"


async def test_guided_mode_keys(lab: Callable[..., QuizApp]) -> None:
    app = lab()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        keys = shown_keys(app)
        assert "g" in keys and "space" not in keys and "n" not in keys and "x" not in keys
        await pilot.press("g")
        assert lab_of(app).state.experiment == EXPERIMENTS[0].id
        guide = app.screen.query_one("#lab-guide")
        assert guide.display and "Experiment 1 of 6" in guide.border_title
        await settle(pilot)
        assert lab_of(app).state.looked
        keys = shown_keys(app)
        assert keys.get("space") is True and "n" in keys and "g" not in keys
        text = app.screen.query_one("#lab-guide-text").render()
        assert EXPERIMENTS[0].answer[:40] not in str(text)
        await pilot.press("space")
        assert lab_of(app).state.revealed
        assert EXPERIMENTS[0].answer[:40] in str(app.screen.query_one("#lab-guide-text").render())
        # space now puts the answer away (usertest2 D4), and shows it again
        assert app.screen.active_bindings["space"].binding.description == "Hide answer"
        await pilot.press("space")
        assert not lab_of(app).state.revealed
        assert EXPERIMENTS[0].answer[:40] not in str(
            app.screen.query_one("#lab-guide-text").render()
        )
        await pilot.press("space")
        assert lab_of(app).state.revealed
        await pilot.press("n")
        assert lab_of(app).state.experiment == EXPERIMENTS[1].id
        assert "x" in shown_keys(app)
        await pilot.press("x")
        assert lab_of(app).state.surface.scale == 1
        await pilot.press("p", "p")
        assert lab_of(app).state.experiment == EXPERIMENTS[-1].id
        await pilot.press("1")
        await pilot.press("r")
        assert lab_of(app).state.racers == EXPERIMENTS[-1].racers
        await pilot.press("escape")
        assert lab_of(app).state.experiment is None and not guide.display
        assert isinstance(app.screen, LabScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)  # `quizapp lab` has home beneath


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
async def test_the_answer_waits_until_the_paths_are_drawn(
    lab: Callable[..., QuizApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    from quizapp.study import lab as lab_module

    release = threading.Event()
    real = lab_module.simulate_iter

    def held(*args: Any, **kwargs: Any) -> Any:
        for paths in real(*args, **kwargs):
            if all(p.complete for p in paths):
                release.wait(timeout=30)  # the last chunk waits for the test
            yield paths

    monkeypatch.setattr(lab_module, "simulate_iter", held)
    app = lab(LabSession(experiment="momentum-overshoot"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not lab_of(app).state.looked
        assert shown_keys(app).get("space") is None  # shown, dimmed
        await pilot.press("space")
        assert not lab_of(app).state.revealed
        release.set()
        await settle(pilot)
        assert lab_of(app).state.looked and shown_keys(app).get("space") is True
        await pilot.press("space")
        assert lab_of(app).state.revealed


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
async def test_r_resets_free_play(lab: Callable[..., QuizApp]) -> None:
    app = lab()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("right", "2", "3")
        await pilot.press("r")
        await settle(pilot)
        assert lab_of(app).state == free_state()


async def test_hovering_shows_the_point_and_its_loss(lab: Callable[..., QuizApp]) -> None:
    app = lab()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        plot = app.screen.query_one(LossPlot)
        default = plot.border_subtitle
        await pilot.hover(LossPlot, offset=(20, 10))
        assert plot.border_subtitle.startswith("x ") and " f " in plot.border_subtitle
        assert plot.border_subtitle != default


async def test_a_refused_setting_is_a_notification_not_a_crash(
    lab: Callable[..., QuizApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    from quizapp.engine.trajectory import TrajectoryError
    from quizapp.study import lab as lab_module

    def refuse(*args: object, **kwargs: object) -> Any:
        raise TrajectoryError("optimizer 'sgd': invalid lr value: -1 (must be >= 0)")
        yield  # pragma: no cover

    monkeypatch.setattr(lab_module, "simulate_iter", refuse)
    app = lab()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert any("invalid lr" in n.message for n in app._notifications)


async def test_a_guided_experiment_shows_its_knobs_as_a_preset_only(
    lab: Callable[..., QuizApp],
) -> None:
    """usertest2 D4 (at 80×24 the guide's answer hid the knobs while their keys still acted)
    and the guide's texts (D5) rest on one rule: in a guided experiment the knob panel only
    shows the preset. It drew ◂ ▸ and, if it had focus when g was pressed, ←→ changed a knob
    tab could not reach. Now: no ◂ ▸, no knob keys in the footer, keys and clicks change
    nothing; back in free play the knobs and their keys return."""
    app = lab(LabSession())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("tab", "tab")
        await settle(pilot)
        assert isinstance(app.focused, KnobPanel) and "left" in shown_keys(app)
        await pilot.press("g")
        await settle(pilot)
        panel = app.screen.query_one(KnobPanel)
        assert lab_of(app).state.experiment == EXPERIMENTS[0].id
        assert not isinstance(app.focused, KnobPanel) and not panel.can_focus
        assert "preset" in str(panel.border_title)
        drawn = str(panel.render())
        assert "◂" not in drawn and "▸" not in drawn and "›" not in drawn
        assert EXPERIMENTS[0].racers[0].label.split()[0] in str(
            app.screen.query_one(RacerLegend).render()
        )
        racers = lab_of(app).state.racers
        for revealed in (False, True):
            if revealed:
                await pilot.press("space")
                await settle(pilot)
                assert lab_of(app).state.revealed
            shown = {
                b.binding.description
                for b in app.screen.active_bindings.values()
                if b.binding.show and b.enabled
            }
            assert not {"Knob", "Set"} & shown, shown
            assert shown_keys(app).get("left") is True  # ←↑↓→ move the plot's start
            await pilot.press("tab", "right", "down", "left")  # tab stays on the plot
            await settle(pilot)
            assert lab_of(app).state.racers == racers
        row = next(i for i in range(20) if panel.knob_at(i) is not None)
        await pilot.click(KnobPanel, offset=(2 + KnobPanel.LABEL + 1, row))  # where ◂ was
        await settle(pilot)
        assert lab_of(app).state.racers == racers
        await pilot.press("escape")  # free play: the knobs and their keys are back
        await settle(pilot)
        assert lab_of(app).state.experiment is None and panel.can_focus
        await pilot.press("tab", "tab")
        await settle(pilot)
        assert isinstance(app.focused, KnobPanel) and "left" in shown_keys(app)
        lr = lab_of(app).state.racer.run.hp["lr"]
        await pilot.press("right")
        await settle(pilot)
        assert lab_of(app).state.racer.run.hp["lr"] > lr


def test_every_knob_label_leaves_a_space_before_its_arrow() -> None:
    """The label column fits the longest label with a space to spare: "optimizer ◂ NAdam ▸",
    not "optimizer◂ NAdam ▸"."""
    from quizapp.study.lab_knobs import Racer, other_optimizers, other_run, racer_knobs

    labels = {
        knob.label
        for name in other_optimizers()
        for knob in racer_knobs(Racer("other", name, other_run(name)))
    }
    assert "optimizer" in labels
    assert all(len(label) < KnobPanel.LABEL for label in labels), labels
