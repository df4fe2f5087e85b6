"""Initialisers: each kind's distribution and bounds, fan-in/fan-out, seeds that rewind, errors."""

import math

import numpy as np
import pytest

import engine
from engine.train.initialisers import KINDS, InitError, check_init, describe, draw, fans, initial_values
from graph.document import Document


def test_fans_follow_the_row_vector_convention():
    assert fans(()) == (1, 1)
    assert fans((3,)) == (3, 1)
    assert fans((2, 5)) == (2, 5)
    assert fans((4, 2, 5)) == (8, 5)


def test_constant_kinds():
    assert np.array_equal(draw({"kind": "zeros"}, (2, 3)), np.zeros((2, 3)))
    assert np.array_equal(draw({"kind": "ones"}, (2,)), np.ones(2))
    assert np.array_equal(draw({"kind": "constant", "value": 0.5}, (2, 2)), np.full((2, 2), 0.5))
    assert draw({"kind": "constant", "value": 3}, ()).shape == ()


@pytest.mark.parametrize(
    "init, bound",
    [
        ({"kind": "uniform", "a": -0.5, "b": 2.0}, None),
        ({"kind": "xavier_uniform"}, math.sqrt(6 / (40 + 60))),
        ({"kind": "xavier_uniform", "gain": 2.0}, 2 * math.sqrt(6 / (40 + 60))),
        ({"kind": "he_uniform"}, math.sqrt(6 / 40)),
        ({"kind": "lecun_uniform"}, math.sqrt(3 / 40)),
    ],
)
def test_uniform_kinds_stay_in_their_bounds_and_fill_them(init, bound):
    w = draw({**init, "seed": 1}, (40, 60))
    lo, hi = (init["a"], init["b"]) if bound is None else (-bound, bound)
    assert w.min() >= lo and w.max() <= hi
    assert w.min() < lo + 0.05 * (hi - lo) and w.max() > hi - 0.05 * (hi - lo)
    assert abs(w.std() - (hi - lo) / math.sqrt(12)) < 0.05 * (hi - lo) / math.sqrt(12)


@pytest.mark.parametrize(
    "init, mean, std",
    [
        ({"kind": "normal", "mean": 1.0, "std": 0.5}, 1.0, 0.5),
        ({"kind": "xavier_normal"}, 0.0, math.sqrt(2 / (100 + 50))),
        ({"kind": "he_normal"}, 0.0, math.sqrt(2 / 100)),
        ({"kind": "kaiming_normal"}, 0.0, math.sqrt(2 / 100)),
        ({"kind": "lecun_normal"}, 0.0, math.sqrt(1 / 100)),
    ],
)
def test_normal_kinds_have_their_mean_and_spread(init, mean, std):
    w = draw({**init, "seed": 2}, (100, 50))
    assert abs(w.mean() - mean) < 4 * std / math.sqrt(w.size)
    assert abs(w.std() - std) < 0.03 * std


def test_same_seed_rewinds_to_the_same_start_and_other_seeds_differ():
    a = draw({"kind": "xavier_uniform", "seed": 7}, (3, 4))
    b = draw({"kind": "xavier_uniform", "seed": 7}, (3, 4))
    c = draw({"kind": "xavier_uniform", "seed": 8}, (3, 4))
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)


def test_fan_override():
    w = draw({"kind": "he_uniform", "fan_in": 6, "seed": 0}, (2, 2))
    assert np.abs(w).max() <= 1.0


def _doc() -> Document:
    d = Document(engine.REGISTRY)
    d.add_node("parameter", "W1", value=np.ones((2, 2)), init={"kind": "xavier_uniform"})
    d.add_node("parameter", "W2", value=np.ones((2, 2)), init={"kind": "xavier_uniform"})
    d.add_node("parameter", "b", value=[5.0, 6.0])
    d.add_node("parameter", "c", init={"kind": "zeros", "shape": [3]})
    d.training = {"seed": 3}
    return d


def test_initial_values_do_not_touch_the_document_and_repeat():
    d = _doc()
    first = initial_values(d)
    again = initial_values(d)
    assert set(first) == {"W1", "W2", "b", "c"}
    for k in first:
        assert np.array_equal(first[k], again[k])
    # Without a seed of its own, each parameter draws differently; b has no init and keeps its value.
    assert not np.array_equal(first["W1"], first["W2"])
    assert np.array_equal(first["b"], [5.0, 6.0])
    assert np.array_equal(first["c"], np.zeros(3))
    assert np.array_equal(d.node("W1").value, np.ones((2, 2)))
    other = initial_values(d, training_seed=4)
    assert not np.array_equal(first["W1"], other["W1"])


def test_override_initialises_every_parameter_alike():
    d = _doc()
    zeros = initial_values(d, override={"kind": "zeros"})
    assert all(not v.any() for v in zeros.values())


@pytest.mark.parametrize(
    "init, key",
    [
        ({"kind": "bogus"}, "kind"),
        ({}, "kind"),
        ({"kind": "constant", "value": "a"}, "value"),
        ({"kind": "uniform", "a": 2, "b": 1}, "a"),
        ({"kind": "normal", "std": -1}, "std"),
        ({"kind": "normal", "seed": -3}, "seed"),
        ({"kind": "he_normal", "fan_in": 0}, "fan_in"),
    ],
)
def test_bad_init_names_the_key(init, key):
    with pytest.raises(InitError) as err:
        check_init(init, "W")
    assert err.value.key == key and err.value.node == "W"
    assert "'W'" in str(err.value)


def test_every_kind_draws_and_describes():
    for kind in KINDS:
        assert draw({"kind": kind, "seed": 0}, (2, 3)).shape == (2, 3)
        assert kind in describe({"kind": kind})
