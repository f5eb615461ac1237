"""The static list of drill kinds (``quizapp.engine.drills.catalog.REGISTRY``) agrees with
the modules that implement them, and one kind imports only its own module: naming the kinds
imports no kind, and ``drill KIND --json`` imports neither pydantic nor the other kinds."""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
from pathlib import Path

import pytest

import quizapp.engine.drills as drills_package
from quizapp.engine import drills
from quizapp.engine.drills import catalog
from quizapp.engine.drills.base import DrillKind
from tests.fresh_python import last_line


def _kind_classes() -> dict[tuple[str, str], type[DrillKind]]:
    """(module, class) -> every concrete DrillKind subclass defined in the drills package."""
    found: dict[tuple[str, str], type[DrillKind]] = {}
    for info in pkgutil.iter_modules(drills_package.__path__):
        module = importlib.import_module(f"quizapp.engine.drills.{info.name}")
        for name, cls in vars(module).items():
            if (
                inspect.isclass(cls)
                and issubclass(cls, DrillKind)
                and cls.__module__ == module.__name__
                and not inspect.isabstract(cls)
            ):
                found[(info.name, name)] = cls
    return found


def test_every_entry_builds_the_kind_it_names() -> None:
    built = [catalog.build(entry) for entry in catalog.REGISTRY]
    assert [k.id for k in built] == [e.id for e in catalog.REGISTRY] == drills.kinds()
    assert len(set(drills.kinds())) == len(drills.kinds()) >= 34
    for entry, kind in zip(catalog.REGISTRY, built, strict=True):
        assert type(kind).__name__ == entry.cls
        assert type(kind).__module__ == f"quizapp.engine.drills.{entry.module}"
        assert catalog.get_kind(entry.id).id == entry.id


def test_every_kind_class_is_listed() -> None:
    classes = _kind_classes()
    listed = {(e.module, e.cls) for e in catalog.REGISTRY}
    assert classes, "no drill kind class found"
    assert set(classes) == listed, (set(classes) - listed, listed - set(classes))


def test_a_class_with_arguments_is_listed_for_each_variant_it_builds() -> None:
    """A class built with arguments (MomentumStep(nesterov=…)) has one entry per value of
    them, and each builds a different kind."""
    by_class: dict[tuple[str, str], list[catalog.Entry]] = {}
    for entry in catalog.REGISTRY:
        by_class.setdefault((entry.module, entry.cls), []).append(entry)
    for (module, cls), entries in by_class.items():
        params = inspect.signature(_kind_classes()[(module, cls)]).parameters
        if not params:
            assert [e.kwargs for e in entries] == [()], (module, cls)
            continue
        assert all({k for k, _ in e.kwargs} == set(params) for e in entries), (module, cls)
        assert len({e.kwargs for e in entries}) == len(entries) >= 2, (module, cls)


def test_a_registry_that_names_the_wrong_kind_is_refused() -> None:
    wrong = catalog.Entry("momentum", "sgd_family", "MomentumStep", (("nesterov", True),))
    with pytest.raises(RuntimeError, match="'momentum'.*'nesterov'"):
        catalog.build(wrong)


def test_unknown_kind_names_the_valid_ones() -> None:
    with pytest.raises(
        drills.DrillError, match=r"unknown drill kind 'adamm'; did you mean 'adam'\? valid kinds: "
    ) as e:
        catalog.get_kind("adamm")
    assert e.value.field == "kind" and "adam-l2" in e.value.message


IMPORTS = """
import json, sys
from quizapp.engine import drills
kinds = drills.kinds()
listed = set(sys.modules)
record = drills.generate_json({kind!r}, 1)
print()
print(json.dumps([len(kinds), sorted(listed), sorted(sys.modules)]))
"""


@pytest.mark.parametrize("kind", ["adam", "lr-cosine", "optimizer-memory"])
def test_one_kind_imports_its_module_alone_and_no_pydantic(tmp_path: Path, kind: str) -> None:
    n, listed, after = json.loads(last_line(IMPORTS.format(kind=kind), home=tmp_path))
    assert n == len(drills.kinds())
    drill_modules = {
        f"quizapp.engine.drills.{e.module}" for e in catalog.REGISTRY
    }  # the kinds' modules
    assert not drill_modules & set(listed), "naming the kinds imported a kind"
    assert not {m.split(".")[0] for m in listed} & {"numpy", "pydantic"}
    mine = catalog.get_kind(kind).__module__
    assert mine in after
    # a kind's module may import another kind's helpers (adam_family: sgd_family's hints),
    # never the whole list
    assert len(drill_modules & set(after)) <= 2, sorted(drill_modules & set(after))
    assert not {m.split(".")[0] for m in after} & {"pydantic", "textual"}
