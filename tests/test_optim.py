"""Optimisers against their update formulas, over a few steps computed by hand."""

import math

import numpy as np
import pytest

from engine.train.optimisers import SGD, Adam, make_optimiser


def test_sgd_plain():
    w = np.array([1.0, 2.0])
    opt = SGD([w], lr=0.1)
    opt.step([np.array([1.0, -2.0])])
    assert np.allclose(w, [0.9, 2.2])


def test_sgd_momentum_by_hand():
    # v1 = g1 = 1;  w1 = 1 − 0.1·1 = 0.9
    # v2 = 0.9·1 + 2 = 2.9;  w2 = 0.9 − 0.29 = 0.61
    # v3 = 0.9·2.9 + (−1) = 1.61;  w3 = 0.61 − 0.161 = 0.449
    w = np.array(1.0)
    opt = SGD([w], lr=0.1, momentum=0.9)
    for g, expected in zip((1.0, 2.0, -1.0), (0.9, 0.61, 0.449)):
        opt.step([np.array(g)])
        assert w == pytest.approx(expected, abs=1e-12)


def test_sgd_nesterov_by_hand():
    # v1 = 1, w1 = 1 − 0.1·(1 + 0.9·1) = 0.81
    # v2 = 0.9 + 2 = 2.9, w2 = 0.81 − 0.1·(2 + 0.9·2.9) = 0.81 − 0.461 = 0.349
    w = np.array(1.0)
    opt = SGD([w], lr=0.1, momentum=0.9, nesterov=True)
    opt.step([np.array(1.0)])
    assert w == pytest.approx(0.81, abs=1e-12)
    opt.step([np.array(2.0)])
    assert w == pytest.approx(0.349, abs=1e-12)


def test_adam_by_hand():
    lr, b1, b2, eps = 0.1, 0.9, 0.999, 1e-8
    w = np.array([0.5])
    opt = Adam([w], lr=lr, betas=(b1, b2), eps=eps)
    # Step 1: m = 0.1·g, v = 0.001·g², m̂ = g, v̂ = g²: the step is lr·sign(g) (up to ε).
    opt.step([np.array([2.0])])
    assert w[0] == pytest.approx(0.5 - 0.1 * 2 / (2 + eps), abs=1e-12)
    # Step 2 with g = −1: m = 0.9·0.2 − 0.1 = 0.08; v = 0.999·0.004 + 0.001 = 0.004996
    m, v = 0.08, 0.004996
    mhat, vhat = m / (1 - b1**2), v / (1 - b2**2)
    expected = w[0] - lr * mhat / (math.sqrt(vhat) + eps)
    opt.step([np.array([-1.0])])
    assert w[0] == pytest.approx(expected, abs=1e-12)
    assert opt.state()["m"][0][0] == pytest.approx(m)
    assert opt.state()["v"][0][0] == pytest.approx(v)


def test_adam_matches_a_reference_loop():
    rng = np.random.default_rng(0)
    w = rng.normal(size=(3, 2))
    ref = w.copy()
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    opt = make_optimiser("adam", [w], lr=0.01, betas=(0.8, 0.99), eps=1e-6)
    for t in range(1, 6):
        g = rng.normal(size=(3, 2))
        opt.step([g])
        m = 0.8 * m + 0.2 * g
        v = 0.99 * v + 0.01 * g * g
        ref = ref - 0.01 * (m / (1 - 0.8**t)) / (np.sqrt(v / (1 - 0.99**t)) + 1e-6)
        assert np.allclose(w, ref, rtol=1e-12, atol=1e-14)


def test_updates_are_in_place():
    w = np.zeros(2)
    same = w
    make_optimiser("sgd", [w], lr=1.0, momentum=0.5).step([np.ones(2)])
    assert same is w and np.allclose(w, -1)


def test_unknown_optimiser():
    with pytest.raises(ValueError, match="rmsprop"):
        make_optimiser("rmsprop", [], lr=0.1)
