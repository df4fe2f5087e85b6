"""Fuzzing every example (issue 10, "How it is checked"): seeded random mutations of each bundled file
go through load, run, check's first step and a short training run. Whatever the file holds, only the
program's own errors (GraphError and its kinds) may come out, each with a one-line message.

The loop is seeded and CI-sized (a few seconds); raise MUTANTS locally to search longer.
"""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path
from typing import Any

import pytest

import engine
from engine.compile.plan import compile_plan
from engine.train.initialisers import InitError, initial_values
from engine.train.settings import settings_from
from engine.train.trainer import train
from graph.errors import GraphError

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.json"))
MUTANTS = 40  # per example

# Values a careless or hostile file may hold where a number, a list, a name or an object belongs.
HOSTILE: list[Any] = [
    None,
    True,
    0,
    -1,
    0.5,
    -0.0,
    1e308,
    -1e308,
    2**70,
    10**12,
    10**18,
    "",
    "x\n\x1b[31m",
    "relu",
    [],
    [[]],
    [[1, 2], [3]],
    [0, 1, 2],
    [[0.5, -1.0], [2.0, 3.0]],
    {},
    {"kind": "normal", "shape": [10**30]},
    {"kind": "xavier_uniform", "shape": [3, 2], "seed": 2**70},
]


def _replacement(old: Any, rng: random.Random) -> Any:
    """Half the time a value of the same kind (so the file gets past the loader more often)."""
    same = [
        v
        for v in HOSTILE
        if type(v) is type(old) or (isinstance(old, (int, float)) and type(v) in (int, float))
    ]
    return rng.choice(same if same and rng.random() < 0.5 else HOSTILE)


def _paths(data: Any, prefix: tuple = ()) -> list[tuple]:
    """Every place in the JSON tree (a key of an object or an index of a list)."""
    places = []
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else []
    for key, value in items:
        places.append((*prefix, key))
        places += _paths(value, (*prefix, key))
    return places


def _mutate(data: dict, rng: random.Random) -> dict:
    """One to three random changes: replace a value, delete a key or item, or duplicate an item."""
    data = copy.deepcopy(data)
    for _ in range(rng.randint(1, 3)):
        places = [p for p in _paths(data) if p[0] not in ("format", "version")]
        if not places:
            break
        *parent_path, key = rng.choice(places)
        parent = data
        for step in parent_path:
            parent = parent[step]
        action = rng.random()
        if action < 0.7:
            parent[key] = copy.deepcopy(_replacement(parent[key], rng))
        elif action < 0.85 or not isinstance(parent, list):
            del parent[key]
        else:
            parent.insert(key, copy.deepcopy(parent[key]))
    return data


def _exercise(text: str) -> None:
    """Load, run, and train briefly (epochs kept small, every other setting from the file)."""
    doc = engine.loads(text, source="mutant.json")
    plan = compile_plan(doc)
    plan.run()
    settings = settings_from(doc.training, epochs=1)
    if doc.dataset_columns() or not any(n.op == "input" for n in doc.nodes()):
        initial = initial_values(doc, training_seed=settings.seed)
        train(doc, settings, initial=initial)


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_mutated_examples_raise_only_the_programs_errors_on_one_line(path: Path):
    original = json.loads(path.read_text(encoding="utf-8"))
    rng = random.Random(path.stem)
    for i in range(MUTANTS):
        text = json.dumps(_mutate(original, rng))
        try:
            _exercise(text)
        except GraphError as err:
            message = str(err)
            assert message and "\n" not in message and "\x1b" not in message, (i, message)
        except Exception as err:  # pragma: no cover - the report of a failure
            pytest.fail(f"mutant {i} of {path.name}: {type(err).__name__}: {err}\n{text[:2000]}")


def test_an_init_kind_that_is_not_text_is_refused_naming_the_node():
    # found by the loop above: {"kind": {}} raised TypeError (unhashable) instead of InitError
    doc = engine.new_document()
    doc.add_node("parameter", "W", value=[1.0], init={"kind": {}})
    with pytest.raises(InitError, match="parameter 'W': unknown init kind {}"):
        initial_values(doc)
