"""`quizapp check` on two cores (:mod:`quizapp.decks.workers`): a forked child reads half
of the files; what comes out (problems, their locations and order, the files left out,
the decks) is exactly what one process gives, including errors found in the child; a
child that fails leaves its files to the parent; a small library is not forked."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from quizapp.cli import main
from quizapp.decks import workers
from quizapp.decks.catalog import Catalog
from quizapp.decks.loader import load_paths

HEAD = 'deck = "lib"\ntitle = "Lib"\ntopic = "t{f}"\n'
CARD = '\n[[flashcard]]\nid = "lib.{f}.{i}"\ntags = ["a"]\nfront = "Q{i}"\nback = "A{i}"\n'
TRAP = (
    '\n[[trap]]\nid = "lib.{f}.trap"\nclaim = "C."\nwhy_wrong = "W."\ncorrect = "R."\n'
    'distractors = ["D one.", "D two."]\n'
)
# One kind of error per bad file, each located somewhere else in its file.
BAD = {
    1: '\n[[flashcard]]\nid = "lib.1.bad"\nfront = "Q"\nback = "   "\n',
    4: '\n[[flashcard]]\nid = "lib.4.x"\nfront = "Q"\nback = "A"\ncolour = 1\n',
    6: "\n[[flashcard]\n",  # TOML syntax
    7: '\n[[drill]]\nid = "lib.7.d"\ndrill = "adamm"\n',
    8: '\n[[flashcard]]\nid = "lib.2.3"\nfront = "Q"\nback = "A"\n',  # a repeated id
    9: '\n[[flashcard]]\nid = "lib.9.m"\nfront = "say [@click=app.quit]hi[/]"\nback = "A"\n',
}


def _library(tmp_path: Path, files: int = 10, cards: int = 30) -> Path:
    folder = tmp_path / "lib"
    folder.mkdir()
    for f in range(files):
        body = "".join(CARD.format(f=f, i=i) for i in range(cards + 7 * f))
        (folder / f"{f:02d}.toml").write_text(
            HEAD.format(f=f) + body + TRAP.format(f=f) + BAD.get(f, ""), encoding="utf-8"
        )
    return folder


@pytest.fixture
def two_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fork whatever the library's size and the machine's cores."""
    monkeypatch.setattr(workers, "MIN_BYTES", 0)
    monkeypatch.setattr(workers, "spare_cores", lambda: 2.0)


def _said(catalog: Catalog) -> tuple[object, ...]:
    return (
        [str(p) for p in catalog.problems],
        [p.to_json() for p in catalog.problems],
        catalog.files,
        catalog.skipped,
        [(d.id, d.title, d.files, d.topics, len(d.items)) for d in catalog.decks.values()],
        [(e.id, e.kind, e.topic, e.tags, e.drill, e.deck, e.path, e.line) for e in catalog.items.values()],
        catalog.notice,
    )  # fmt: skip


def _forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    forked: list[int] = []
    real = os.fork

    def counting() -> int:
        pid = real()
        if pid:
            forked.append(pid)
        return pid

    monkeypatch.setattr(workers.os, "fork", counting)
    return forked


def test_two_processes_say_what_one_says(
    tmp_path: Path, two_cores: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _library(tmp_path)
    alone = load_paths([folder], index=False)
    forked = _forks(monkeypatch)
    both = load_paths([folder], index=False, workers=2)
    assert forked  # the child read part of the library
    assert _said(both) == _said(alone)
    assert len(alone.errors) >= 6 and len(alone.skipped) == 6
    mine, theirs = workers._deal([os.path.getsize(p) for p in alone.files])
    child_errors = {alone.files[n] for n in theirs} & {p.path for p in alone.errors}
    assert child_errors  # errors found in the child, located as in one process
    # an item the child read: its model is built from the file when first asked for
    child_file = next(alone.files[n] for n in theirs if alone.files[n] not in alone.skipped)
    entry = next(e for e in both.items.values() if e.path == child_file)
    assert not entry.loaded and entry.item == alone.items[entry.id].item


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
def test_check_prints_the_same_on_two_cores(
    tmp_path: Path,
    two_cores: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = _library(tmp_path)
    monkeypatch.setattr(workers, "spare_cores", lambda: 0.2)
    assert main(["check", "--no-shipped", str(folder)]) == 1
    alone = capsys.readouterr()
    monkeypatch.setattr(workers, "spare_cores", lambda: 2.0)
    forked = _forks(monkeypatch)
    assert main(["check", "--no-shipped", str(folder)]) == 1
    assert forked
    assert capsys.readouterr() == alone
    assert main(["check", "--no-shipped", "--json", str(folder)]) == 1
    json_both = capsys.readouterr()
    monkeypatch.setattr(workers, "spare_cores", lambda: 0.2)
    assert main(["check", "--no-shipped", "--json", str(folder)]) == 1
    assert capsys.readouterr() == json_both


@pytest.mark.parametrize("fault", ["dies", "garbage", "half"])
def test_a_failing_child_leaves_its_files_to_the_parent(
    tmp_path: Path, two_cores: None, monkeypatch: pytest.MonkeyPatch, fault: str
) -> None:
    folder = _library(tmp_path)
    alone = load_paths([folder], index=False)
    real = workers._child

    def failing(files: list[Path], numbers: list[int], fd: int) -> None:
        if fault == "dies":
            os._exit(3)
        if fault == "garbage":
            os.write(fd, b'[0, {"deck": 5}]\nnot json\n[99, {}]\n')
            os._exit(0)
        real(files, numbers[: len(numbers) // 2], fd)  # exits 0 with half of its files

    monkeypatch.setattr(workers, "_child", failing)
    assert _said(load_paths([folder], index=False, workers=2)) == _said(alone)


def test_a_small_library_or_one_file_is_read_in_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _library(tmp_path, files=3)

    def no_fork() -> int:
        raise AssertionError("forked")

    monkeypatch.setattr(workers.os, "fork", no_fork)
    monkeypatch.setattr(workers, "spare_cores", lambda: 2.0)
    load_paths([folder], index=False, workers=2)  # under MIN_BYTES
    monkeypatch.setattr(workers, "MIN_BYTES", 0)
    load_paths([folder / "00.toml"], index=False, workers=2)  # one file
    monkeypatch.setattr(workers, "spare_cores", lambda: 0.2)
    load_paths([folder], index=False, workers=2)  # no idle core


def test_the_halves_weigh_about_the_same() -> None:
    sizes = [5, 90, 7, 60, 33, 33, 1, 40]
    mine, theirs = workers._deal(sizes)
    assert sorted(mine + theirs) == list(range(len(sizes)))
    assert mine == sorted(mine) and theirs == sorted(theirs)
    weigh = [sum(sizes[n] for n in half) for half in (mine, theirs)]
    assert abs(weigh[0] - weigh[1]) <= max(sizes)
