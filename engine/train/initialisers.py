"""Initialisers: how a parameter's starting value is drawn, from the ``init`` object stored on its node.

``node.init = {"kind": ..., <arguments>, "seed": s}``. Kinds and their arguments (defaults in brackets):

- ``zeros``; ``ones``; ``constant`` (``value`` [0]);
- ``uniform`` (``a`` [-1], ``b`` [1]); ``normal`` (``mean`` [0], ``std`` [1]);
- ``xavier_uniform`` / ``xavier_normal`` (Glorot; ``gain`` [1]): U(±gain·√(6/(fan_in+fan_out))) and
  N(0, gain·√(2/(fan_in+fan_out)));
- ``he_uniform`` / ``he_normal`` (Kaiming, for ReLU): U(±√(6/fan_in)) and N(0, √(2/fan_in));
- ``lecun_uniform`` / ``lecun_normal``: U(±√(3/fan_in)) and N(0, √(1/fan_in)).

Fan-in and fan-out come from the parameter's shape, for the row-vector convention of the graphs
(``h = x @ W``, so W has shape (inputs, outputs)): a scalar has fan_in = fan_out = 1; a vector (n,)
has fan_in = n, fan_out = 1 (a weight vector in w·x); a matrix (r, c) has fan_in = r, fan_out = c;
more dimensions give fan_in = the product of all but the last, fan_out = the last. ``fan_in`` and
``fan_out`` in the init object override them.

Randomness: the draw uses ``numpy.random.default_rng(seed)`` with the init's ``seed``; without one,
the seed is derived from the training seed and the node id, so every parameter draws differently and
re-initialising with the same seeds gives the same values again ("rewind to the same start").
Nothing here changes a document: :func:`initial_values` returns arrays, the caller writes them back.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from graph.document import Document
from graph.errors import GraphError
from graph.values import MAX_DIMS, MAX_ELEMENTS

Shape = tuple[int, ...]


class InitError(GraphError):
    """An init object with an unknown kind or a bad argument; names the node and the key."""

    def __init__(self, message: str, node: str | None = None, key: str | None = None) -> None:
        super().__init__(message, node=node)
        self.key = key


def fans(shape: Shape) -> tuple[int, int]:
    """(fan_in, fan_out) of a parameter of this shape (see the module docstring)."""
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return max(int(shape[0]), 1), 1
    return max(int(np.prod(shape[:-1])), 1), max(int(shape[-1]), 1)


# kind → (argument defaults, draw(shape, rng, fan_in, fan_out, **args))
_Draw = Callable[..., np.ndarray]
KINDS: dict[str, tuple[dict[str, float], _Draw]] = {
    "zeros": ({}, lambda s, rng, fi, fo: np.zeros(s)),
    "ones": ({}, lambda s, rng, fi, fo: np.ones(s)),
    "constant": ({"value": 0.0}, lambda s, rng, fi, fo, value: np.full(s, value, dtype=np.float64)),
    "uniform": ({"a": -1.0, "b": 1.0}, lambda s, rng, fi, fo, a, b: rng.uniform(a, b, s)),
    "normal": ({"mean": 0.0, "std": 1.0}, lambda s, rng, fi, fo, mean, std: rng.normal(mean, std, s)),
    "xavier_uniform": (
        {"gain": 1.0},
        lambda s, rng, fi, fo, gain: _sym_uniform(rng, s, gain * math.sqrt(6.0 / (fi + fo))),
    ),
    "xavier_normal": (
        {"gain": 1.0},
        lambda s, rng, fi, fo, gain: rng.normal(0.0, gain * math.sqrt(2.0 / (fi + fo)), s),
    ),
    "he_uniform": ({}, lambda s, rng, fi, fo: _sym_uniform(rng, s, math.sqrt(6.0 / fi))),
    "he_normal": ({}, lambda s, rng, fi, fo: rng.normal(0.0, math.sqrt(2.0 / fi), s)),
    "lecun_uniform": ({}, lambda s, rng, fi, fo: _sym_uniform(rng, s, math.sqrt(3.0 / fi))),
    "lecun_normal": ({}, lambda s, rng, fi, fo: rng.normal(0.0, math.sqrt(1.0 / fi), s)),
}
ALIASES = {
    "glorot_uniform": "xavier_uniform",
    "glorot_normal": "xavier_normal",
    "kaiming_uniform": "he_uniform",
    "kaiming_normal": "he_normal",
}
RANDOM_KINDS = tuple(k for k in KINDS if k not in ("zeros", "ones", "constant"))


def _sym_uniform(rng: np.random.Generator, shape: Shape, bound: float) -> np.ndarray:
    return rng.uniform(-bound, bound, shape)


def _number(init: dict[str, Any], key: str, node: str | None, default: float) -> float:
    value = init.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise InitError(f"parameter {node!r}: init {key!r} must be a finite number, got {value!r}", node, key)
    return float(value)


def _kind(init: dict[str, Any], node: str | None) -> str:
    kind = init.get("kind")
    kind = ALIASES.get(kind, kind) if isinstance(kind, str) else kind
    if not isinstance(kind, str) or kind not in KINDS:  # a list or object as kind is no kind either
        names = ", ".join(KINDS)
        raise InitError(f"parameter {node!r}: unknown init kind {kind!r} (kinds: {names})", node, "kind")
    return kind


def _whole(init: dict[str, Any], key: str, node: str | None, least: int, text: str) -> int | None:
    """An optional whole-number argument (seed, fan_in, fan_out) of at least `least`."""
    value = init.get(key)
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < least):
        raise InitError(f"parameter {node!r}: init {key!r} must be a whole number ≥ {least}{text}", node, key)
    return value


def _shape(init: dict[str, Any], node: str | None) -> Shape | None:
    """The init's shape, refused before anything is drawn if its value would be too large."""
    shape = init.get("shape")
    if shape is None:
        return None
    if not isinstance(shape, list) or not all(
        isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in shape
    ):
        raise InitError(f"parameter {node!r}: init 'shape' must be a list of sizes", node, "shape")
    if len(shape) > MAX_DIMS or math.prod(shape) > MAX_ELEMENTS:
        shown = shape if len(shape) <= MAX_DIMS else f"of {len(shape)} dimensions"
        raise InitError(
            f"parameter {node!r}: init 'shape' {shown} is too large (at most {MAX_DIMS} dimensions"
            f" and {MAX_ELEMENTS:,} numbers)",
            node,
            "shape",
        )
    return tuple(shape)


def check_init(init: Any, node: str | None = None) -> dict[str, Any]:
    """The init object with its kind resolved and every argument checked; raises InitError."""
    if not isinstance(init, dict):
        raise InitError(f"parameter {node!r}: init must be an object, got {init!r}", node, "init")
    kind = _kind(init, node)
    checked: dict[str, Any] = {"kind": kind}
    for key, default in KINDS[kind][0].items():
        checked[key] = _number(init, key, node, default)
    if kind == "uniform" and checked["a"] > checked["b"]:
        raise InitError(f"parameter {node!r}: uniform init needs a ≤ b", node, "a")
    if kind == "normal" and checked["std"] < 0:
        raise InitError(f"parameter {node!r}: normal init needs std ≥ 0", node, "std")
    checked["seed"] = _whole(init, "seed", node, 0, f", got {init.get('seed')!r}")
    checked["fan_in"] = _whole(init, "fan_in", node, 1, "")
    checked["fan_out"] = _whole(init, "fan_out", node, 1, "")
    checked["shape"] = _shape(init, node)
    return checked


def node_seed(node_id: str, training_seed: int = 0) -> list[int]:
    """The seed sequence of a parameter whose init has no seed of its own."""
    return [int(training_seed), zlib.crc32(node_id.encode("utf-8"))]


def draw(init: dict[str, Any], shape: Shape, node: str = "", training_seed: int = 0) -> np.ndarray:
    """A fresh float64 value of `shape` drawn as `init` says; the same seed gives the same values."""
    checked = check_init(init, node)
    kind = checked["kind"]
    defaults, fn = KINDS[kind]
    fan_in, fan_out = fans(tuple(shape))
    fan_in = checked["fan_in"] or fan_in
    fan_out = checked["fan_out"] or fan_out
    seed = checked["seed"] if checked["seed"] is not None else node_seed(node, training_seed)
    rng = np.random.default_rng(seed)
    args = {k: checked[k] for k in defaults}
    return np.asarray(fn(tuple(shape), rng, fan_in, fan_out, **args), dtype=np.float64)


def parameter_shape(doc: Document, node_id: str) -> Shape:
    node = doc.node(node_id)
    if node.value is not None:
        return tuple(node.value.shape)
    if node.init and node.init.get("shape") is not None:
        return tuple(check_init(node.init, node_id)["shape"])
    raise InitError(
        f"parameter {node_id!r} has neither a value nor an init 'shape' to draw one for", node_id, "shape"
    )


def parameter_ids(doc: Document) -> list[str]:
    return [n.id for n in doc.nodes() if n.op == "parameter"]


def _document_seed(doc: Document) -> int:
    """The document's ``training.seed`` when it is a whole number ≥ 0, else 0."""
    seed = doc.training.get("seed", 0) if isinstance(doc.training, dict) else 0
    return seed if isinstance(seed, int) and not isinstance(seed, bool) and seed >= 0 else 0


def initial_values(
    doc: Document,
    ids: Iterable[str] | None = None,
    *,
    override: dict[str, Any] | None = None,
    training_seed: int | None = None,
) -> dict[str, np.ndarray]:
    """Re-initialise: {parameter id: value drawn from its init} (the document is not changed).

    `override` replaces every parameter's init (a comparison run: "all zeros" against "Xavier").
    A parameter without an init keeps a copy of its current value. `training_seed` defaults to the
    document's ``training.seed`` (0 without one).
    """
    if training_seed is None:
        training_seed = _document_seed(doc)
    result = {}
    for node_id in parameter_ids(doc) if ids is None else ids:
        node = doc.node(node_id)
        init = override if override is not None else node.init
        if init is None:
            if node.value is None:
                raise InitError(f"parameter {node_id!r} has no value and no init", node_id, "init")
            result[node_id] = node.value.copy()
            continue
        result[node_id] = draw(init, parameter_shape(doc, node_id), node_id, training_seed)
    return result


def describe(init: dict[str, Any] | None) -> str:
    """A short text for the inspector and plots: "xavier_uniform (seed 3)", "constant 0.5"."""
    if not init:
        return "current value"
    try:
        checked = check_init(init)
    except InitError:
        return f"invalid init {init!r}"
    kind = checked["kind"]
    args = ", ".join(f"{k}={checked[k]:g}" for k in KINDS[kind][0])
    text = f"{kind}({args})" if args else kind
    if kind in RANDOM_KINDS:
        text += f" seed {checked['seed']}" if checked["seed"] is not None else " (seed from training)"
    return text
