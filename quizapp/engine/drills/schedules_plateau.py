"""The lr-plateau drill: ReduceLROnPlateau on a run of validation losses, every lr from
``quizapp.engine.schedules.plateau``'s trace."""

from __future__ import annotations

from quizapp.engine import schedules
from quizapp.engine.drills.base import (
    EXACT_INT,
    DrillKind,
    FieldSpec,
    Row,
    StepDict,
    fmt,
    par,
    step,
)
from quizapp.engine.drills.sampling import Param, Sampler, round_sig
from quizapp.engine.drills.schedules import BASE_LR

N_EPOCHS = 8


def _sub(i: int) -> str:
    return str(i).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


class LRPlateau(DrillKind):
    """ReduceLROnPlateau (mode min, rel threshold) on a run of validation losses: the lr after
    each ``scheduler.step(loss)``, from ``schedules.plateau``'s trace."""

    id = "lr-plateau"
    title = "ReduceLROnPlateau on a run of validation losses"
    description = (
        "Validation losses for eight epochs: when does ReduceLROnPlateau cut the lr, and "
        "what is it after the last epoch?"
    )
    topic = "learning-rate"
    params = (
        BASE_LR,
        Param("factor", "factor", "choice", (0.1, 0.2, 0.5)),
        Param("patience", "patience", "int", (1, 3), (0, 20)),
        Param("cooldown", "cooldown", "int", (0, 0), (0, 20)),
    )
    given_order = (
        "base_lr",
        "factor",
        "patience",
        "cooldown",
        *(f"loss{i}" for i in range(1, N_EPOCHS + 1)),
    )
    labels = {
        "base_lr": "η₀",
        "factor": "factor",
        "patience": "patience",
        "cooldown": "cooldown",
        **{f"loss{i}": f"L{_sub(i)}" for i in range(1, N_EPOCHS + 1)},
    }
    fields = (
        FieldSpec(name="reductions", label="cuts", hint="how many times the lr was cut"),
        FieldSpec(name="lr", label="η", hint="the lr after the last step(loss)", primary=True),
    )
    tolerances = {"reductions": EXACT_INT}
    mistakes = ("plateau_patience_off_by_one", "plateau_threshold_ignored")
    must_distinguish = ()

    def sample(self, s: Sampler) -> Row:
        # a loss that falls, then stalls: improvements shrink until they are noise, some of
        # them below the relative threshold 1e-4 (not "better" for torch)
        loss = round_sig(0.5 + 2.0 * s.uniform("start"), 3)
        losses = [loss]
        best = loss
        for i in range(2, N_EPOCHS + 1):
            u = s.uniform(f"step{i}")
            if u < 0.35:  # a real improvement, 1 … 8 %
                loss = best * (1 - 0.01 - 0.07 * s.uniform(f"gain{i}"))
            elif u < 0.5:  # a tiny one, below the 1e-4 threshold
                loss = best * (1 - 5e-5)
            else:  # worse
                loss = best * (1 + 0.002 + 0.03 * s.uniform(f"loss{i}"))
            loss = round_sig(loss, 6)
            best = min(best, loss)
            losses.append(loss)
        g: Row = {
            "base_lr": s.float("base_lr"),
            "factor": s.choice("factor"),
            "patience": s.int("patience"),
            "cooldown": s.int("cooldown"),
        }
        g.update({f"loss{i}": x for i, x in enumerate(losses, start=1)})
        return g

    def trace(self, g: Row, mistake: str | None = None) -> list[dict]:
        kw = {"factor": g["factor"], "patience": g["patience"], "cooldown": g["cooldown"]}
        if mistake == "plateau_patience_off_by_one":
            kw["patience"] = max(g["patience"] - 1, 0)
        if mistake == "plateau_threshold_ignored":
            kw["threshold"] = 0.0
        losses = [g[f"loss{i}"] for i in range(1, N_EPOCHS + 1)]
        return schedules.plateau(base_lr=g["base_lr"], **kw).trace(losses)

    def solve(self, g: Row, mistake: str | None = None) -> Row:
        rows = self.trace(g, mistake)
        out = {"reductions": float(sum(r["reduced"] for r in rows)), "lr": float(rows[-1]["lr"])}
        for i, r in enumerate(rows, start=1):
            out[f"bad{i}"] = float(r["num_bad_epochs"])
            out[f"lr{i}"] = float(r["lr"])
        return out

    def acceptable(self, g: Row, a: Row) -> bool:
        # something happens: a cut, or a slip that would change the answer
        return a["reductions"] >= 1 or any(self.solve(g, m)["lr"] != a["lr"] for m in self.mistakes)

    def prompt(self, g: Row) -> str:
        losses = ", ".join(fmt(g[f"loss{i}"]) for i in range(1, N_EPOCHS + 1))
        return (
            f"ReduceLROnPlateau (mode 'min', factor = {fmt(g['factor'])}, patience = "
            f"{g['patience']}, cooldown = {g['cooldown']}, threshold 1e−4 'rel') steps once per "
            f"epoch on the validation loss, starting at η₀ = {fmt(g['base_lr'])}. The losses are "
            f"{losses}. How many times is the lr cut, and what is it after the last step?"
        )

    def convention(self, g: Row) -> list[str]:
        return [
            "torch.optim.lr_scheduler.ReduceLROnPlateau: scheduler.step(loss) once per epoch",
            "better: loss < best·(1 − 1e−4)  → best = loss, bad epochs = 0;  else bad epochs + 1",
            "bad epochs > patience → lr ← max(lr·factor, min_lr = 0), bad epochs = 0, cooldown "
            "epochs start (bad epochs are not counted during cooldown)",
        ]

    def solution(self, g: Row, a: Row) -> list[StepDict]:
        out = []
        for i in range(1, N_EPOCHS + 1):
            cut = a[f"lr{i}"] < (a[f"lr{i - 1}"] if i > 1 else g["base_lr"])
            bad = g["patience"] + 1 if cut else int(a[f"bad{i}"])
            note = f"bad epochs {bad}" + (" > patience → cut" if cut else "")
            out.append(
                step(f"η after epoch {i}", f"loss {fmt(g[f'loss{i}'])}: {note}", a[f"lr{i}"])
            )
        out.append(step("cuts", "times the lr was cut", a["reductions"]))
        out.append(
            step("η", f"{fmt(g['base_lr'])}·{par(g['factor'])}^{int(a['reductions'])}", a["lr"])
        )
        return out
