"""engine/diagnose/datasets: the playground's data sets, checked against their definitions."""

import numpy as np
import pytest

from engine.diagnose.datasets import GAUSSIAN_BUMPS, KINDS, REGRESSION, generate


@pytest.mark.parametrize("kind", list(KINDS))
def test_shapes_seed_and_balance(kind):
    xy, t = generate(kind, n=101, noise=0.1, seed=3)
    assert xy.shape == (101, 2) and t.shape == (101, 1)
    again = generate(kind, n=101, noise=0.1, seed=3)
    np.testing.assert_array_equal(xy, again[0])
    assert not np.array_equal(xy, generate(kind, n=101, noise=0.1, seed=4)[0])
    if kind in REGRESSION:
        assert np.all(np.abs(t) <= 1.2)
    else:
        assert set(np.unique(t)) <= {0.0, 1.0}


def test_noiseless_definitions():
    xy, t = generate("circle", 400)
    r = np.hypot(xy[:, 0], xy[:, 1])
    assert np.all((r < 2.5) == (t[:, 0] == 1)) and np.all((r <= 2.5) | (r >= 3.5))
    xy, t = generate("xor", 400)
    assert np.all((xy[:, 0] * xy[:, 1] >= 0) == (t[:, 0] == 1)) and np.all(np.abs(xy) >= 0.3)
    xy, t = generate("plane", 50)
    np.testing.assert_allclose(t[:, 0], (xy[:, 0] + xy[:, 1]) / 10)
    xy, t = generate("two moons", 200)
    upper = xy[t[:, 0] == 0]
    np.testing.assert_allclose(np.hypot(upper[:, 0], upper[:, 1]), 1.0)  # on the unit circle
    lower = xy[t[:, 0] == 1]
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1, lower[:, 1] - 0.5), 1.0)
    xy, t = generate("multi-gaussian", 300)
    # the target is ±(1 − d/2) for the bump at distance d < 2 (the bumps lie 4 apart: at most one is near)
    for (x, y), target in zip(xy, t[:, 0]):
        near = [(s, np.hypot(x - cx, y - cy)) for cx, cy, s in GAUSSIAN_BUMPS if np.hypot(x - cx, y - cy) < 2]
        assert target == pytest.approx(near[0][0] * (1 - near[0][1] / 2) if near else 0.0, abs=1e-12)


def test_spiral_radius_grows_along_each_arm():
    xy, t = generate("spiral", 200, seed=0)
    r = np.hypot(xy[:, 0], xy[:, 1])
    assert r.max() <= 5 and r.min() == 0


def test_bad_requests():
    with pytest.raises(ValueError, match="unknown data set"):
        generate("moons")
    with pytest.raises(ValueError):
        generate("xor", noise=2)
