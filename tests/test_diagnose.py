"""engine/diagnose: each number derived by hand or by an independent method (per-row traces, central
differences, closed forms)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from helpers import op

import engine
from engine.diagnose import gradflow, landscape, lr_range
from engine.diagnose.boundary import decision_boundary
from engine.diagnose.model import Model
from engine.diagnose.units import unit_health
from graph.document import Document

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def layer(act: str, w: list[list[float]], b: list[float], rows: list[list[float]]) -> Document:
    """h = act(x·W + b), L = mse(sum of h, 0): one layer over the given rows of x."""
    d = Document(engine.REGISTRY)
    d.add_node("input", "x")
    d.add_node("parameter", "W", value=w)
    d.add_node("parameter", "b", value=b)
    d.add_node("input", "t")
    op(d, "matmul", "xW", a="x", b="W")
    op(d, "add", "z", a="xW", b="b")
    op(d, act, "h", x="z")
    d.add_node("parameter", "V", value=[[1.0]] * len(b))
    op(d, "matmul", "y", a="h", b="V")
    op(d, "mse", "L", pred="y", target="t")
    d.set_dataset({"columns": {"x": np.array(rows), "t": np.zeros((len(rows), 1))}})
    d.set_training({"loss": "L"})
    return d


def two_moons() -> Model:
    return Model.create(engine.load(EXAMPLES / "11_two_moons.json"))


# ----- decision boundary
def test_linear_unit_boundary_is_the_diagonal():
    """z = x·(1, −1)ᵀ + 0 = x₁ − x₂: the output over the plane is x − y, and it is 0 on y = x."""
    d = Document(engine.REGISTRY)
    d.add_node("input", "x")
    d.add_node("parameter", "w", value=[[1.0], [-1.0]])
    d.add_node("parameter", "b", value=[0.0])
    op(d, "matmul", "xw", a="x", b="w")
    op(d, "add", "z", a="xw", b="b")
    d.set_dataset({"columns": {"x": np.array([[-1.0, -1.0], [1.0, 1.0], [1.0, -1.0], [-1.0, 1.0]])}})
    bmap = decision_boundary(Model.create(d), resolution=21, units=False)
    assert bmap.level == 0.0
    gx, gy = np.meshgrid(bmap.xs, bmap.ys)
    np.testing.assert_allclose(bmap.output, gx - gy, atol=1e-12)
    crossings = bmap.crossings()
    assert len(crossings) >= 20
    np.testing.assert_allclose(crossings[:, 0], crossings[:, 1], atol=1e-12)
    # the points (1, −1) and (−1, 1) lie on either side: the first above the level, the second below
    np.testing.assert_array_equal(bmap.predicted, [0.0, 0.0, 2.0, -2.0])


def test_boundary_on_the_data_matches_per_row_traces():
    model = two_moons()
    bmap = decision_boundary(model, resolution=30)
    doc = model.plan.doc
    columns = doc.dataset["columns"]
    for r in (0, 17, 299):
        trace = model.plan.run(_row_values(model, columns, r), check=True)
        assert bmap.predicted[r] == pytest.approx(float(trace.value("p")[0]), abs=1e-12)
    labels = np.asarray(columns["t"]).reshape(-1) > 0.5
    np.testing.assert_array_equal(bmap.labels, labels)
    np.testing.assert_array_equal(bmap.misclassified, (bmap.predicted > 0.5) != labels)
    assert bmap.units["h"].shape == (8, 30, 30)
    # unit k's map at a grid point is tanh(x·W[:, k] + b[k]) there
    w, b = (np.asarray(doc.node(n).value) for n in ("W1", "b1"))
    point = np.array([bmap.xs[4], bmap.ys[9]])
    np.testing.assert_allclose(bmap.units["h"][:, 9, 4], np.tanh(point @ w + b), atol=1e-12)


def _row_values(model: Model, columns: dict, r: int) -> list:
    values = model.plan.leaf_values()
    for node_id, col in columns.items():
        values[model.plan.slot[node_id]] = np.asarray(col[r], dtype=np.float64)
    return values


def test_one_feature_gives_a_curve():
    d = Document(engine.REGISTRY)
    d.add_node("input", "x")
    d.add_node("parameter", "w", value=[2.0])
    op(d, "mul", "y", a="x", b="w")
    d.set_dataset({"columns": {"x": np.array([[0.0], [1.0]])}})
    bmap = decision_boundary(Model.create(d), resolution=11)
    assert bmap.ys is None
    np.testing.assert_allclose(bmap.output, 2 * bmap.xs)
    np.testing.assert_allclose(bmap.xs[[0, -1]], [-0.1, 1.1])  # the range widened by a tenth each side


# ----- dead and saturated units
def test_relu_with_large_negative_bias_is_dead_on_every_row():
    rows = [[-1.0, 0.3], [-0.5, 0.2], [0.5, -0.1], [1.0, 0.4]]
    d = layer("relu", [[1.0, 1.0, 0.0], [1.0, 0.0, 1.0]], [-100.0, 0.0, 0.0], rows)
    (health,) = unit_health(Model.create(d))
    assert health.kind == "inactive"
    # unit 0: z ≤ −98 on every row; unit 1: z = x₁, ≤ 0 on 2 rows of 4; unit 2: z = x₂, ≤ 0 on 1 row
    np.testing.assert_allclose(health.fraction, [1.0, 0.5, 0.25])
    assert health.stuck == [0]
    assert "unit 0 dead" in health.reason()


def test_sigmoid_with_weights_of_50_is_saturated():
    rows = [[0.2, 0.1], [-0.3, 0.0], [0.5, 0.5], [-0.4, -0.6]]  # |x₁ + x₂| ≥ 0.3: |z| ≥ 15
    d = layer("sigmoid", [[50.0, 50.0], [50.0, 50.0]], [0.0, 0.0], rows)
    (health,) = unit_health(Model.create(d))
    assert health.kind == "saturated"
    # σ′(15) = σ(15)(1 − σ(15)) ≈ 3.1e-7 < 0.01 on every row, for both units
    np.testing.assert_array_equal(health.fraction, [1.0, 1.0])
    assert "every unit saturated" in health.reason()
    small = layer("sigmoid", [[0.5, 0.5], [0.5, 0.5]], [0.0, 0.0], rows)
    assert unit_health(Model.create(small))[0].reason() is None  # σ′ ≥ σ′(0.5) ≈ 0.235


# ----- gradient flow
def test_gradient_flow_notes_vanishing_and_exploding():
    flow = gradflow.gradient_flow({"W2": [1.0] * 12, "W1": [2e-5] * 12}, ["W1", "W2"])
    assert flow.ratio == pytest.approx(2e-5)
    assert flow.note.startswith("Vanishing") and "0.001" in flow.note
    boom = gradflow.gradient_flow({"W1": [5e3] * 3, "W2": [1.0] * 3}, ["W1", "W2"])
    assert boom.note.startswith("Exploding") and "1000" in boom.note
    fine = gradflow.gradient_flow({"W1": [0.5] * 3, "W2": [1.0] * 3}, ["W1", "W2"])
    assert fine.ratio == pytest.approx(0.5) and fine.note.startswith("Gradients flow")


def test_layer_order_runs_from_the_input_to_the_loss():
    model = two_moons()
    assert gradflow.layer_order(model.plan.doc, ["b2", "W2", "b1", "W1"]) == ["W1", "b1", "W2", "b2"]


def test_histograms_share_their_range():
    edges, counts = gradflow.histograms([np.array([0.0, 1.0]), np.array([2.0, 2.0, 4.0])], bins=4)
    np.testing.assert_allclose(edges, [0, 1, 2, 3, 4])
    np.testing.assert_array_equal(counts, [[1, 1, 0, 0], [0, 0, 2, 1]])


# ----- loss landscape
def test_slope_along_the_gradient_is_minus_the_squared_norm():
    model = two_moons()
    before = model.flat()
    h = 1e-5
    line = landscape.along_gradient(model, [-h, 0.0, h])
    slope = (line.losses[2] - line.losses[0]) / (2 * h)
    assert slope == pytest.approx(-line.grad_norm2, abs=1e-6)
    assert line.losses[1] == pytest.approx(model.loss())
    np.testing.assert_array_equal(model.flat(), before)


def test_filter_normalised_direction_matches_each_filter_norm():
    model = two_moons()
    d = model.unflatten(landscape.filter_normalised(model, np.random.default_rng(3)))
    params = model.parameters()
    np.testing.assert_allclose(np.linalg.norm(d["W1"], axis=0), np.linalg.norm(params["W1"], axis=0))
    np.testing.assert_allclose(np.linalg.norm(d["W2"], axis=0), np.linalg.norm(params["W2"], axis=0))
    assert np.linalg.norm(d["b1"]) == pytest.approx(np.linalg.norm(params["b1"]))  # zeros: stays zero


def test_plane_of_a_quadratic_and_the_projected_path():
    """L = (w·1 − 0)² with w = 2, along d₁ = 1 and d₂ = 0: L(α, β) = (2 + α)²."""
    d = Document(engine.REGISTRY)
    d.add_node("input", "x", value=[1.0])
    d.add_node("parameter", "w", value=[2.0])
    d.add_node("input", "t", value=[0.0])
    op(d, "mul", "y", a="x", b="w")
    op(d, "mse", "L", pred="y", target="t")
    model = Model.create(d)
    path = [np.array([2.0 + 1.5]), np.array([2.0])]
    plane = landscape.loss_plane(model, steps=5, span=2.0, path=path, directions=(np.ones(1), np.zeros(1)))
    alpha = np.linspace(-2, 2, 5)
    np.testing.assert_allclose(plane.losses, np.tile((2 + alpha) ** 2, (5, 1)))
    np.testing.assert_allclose(plane.path[:, 0], [1.5, 0.0])
    np.testing.assert_allclose(model.flat(), [2.0])


def test_projection_recovers_the_coefficients():
    rng = np.random.default_rng(0)
    center, d1, d2 = rng.standard_normal((3, 7))
    xy = landscape.project([center + 2 * d1 - d2, center], center, d1, d2)
    np.testing.assert_allclose(xy, [[2.0, -1.0], [0.0, 0.0]], atol=1e-12)


# ----- learning-rate range test
def test_range_test_on_a_quadratic_stops_past_divergence_and_restores():
    """L = w² (mse of w·1 against 0): an SGD step multiplies w by 1 − 2·lr, so the loss grows once
    lr > 1; the test stops there, and suggests a rate below 1."""
    d = Document(engine.REGISTRY)
    d.add_node("input", "x", value=[1.0])
    d.add_node("parameter", "w", value=[3.0])
    d.add_node("input", "t", value=[0.0])
    op(d, "mul", "y", a="x", b="w")
    op(d, "mse", "L", pred="y", target="t")
    model = Model.create(d)
    test = lr_range.lr_range_test(model, lr_min=1e-3, lr_max=100.0, updates=100)
    assert test.rates[0] == pytest.approx(1e-3)
    np.testing.assert_allclose(test.rates[1:] / test.rates[:-1], 10 ** (5 / 99))
    assert len(test.rates) < 100  # diverged and stopped
    assert test.suggested is not None and 1e-3 < test.suggested < 1.0
    np.testing.assert_array_equal(model.flat(), [3.0])
    assert test.losses[0] == pytest.approx(9.0)


# ----- batched and row-by-row agree
def test_rows_one_by_one_when_a_node_is_not_row_wise():
    rows = [[1.0, 2.0], [3.0, -1.0]]
    d = Document(engine.REGISTRY)
    d.add_node("input", "x")
    d.add_node("parameter", "w", value=[0.5, 2.0])
    op(d, "mul", "xw", a="x", b="w")
    op(d, "transpose", "T", x="xw")
    op(d, "sum", "s", x="T")
    d.set_dataset({"columns": {"x": np.array(rows)}})
    model = Model.create(d)
    assert not model.batched and "'T'" in model.reason
    np.testing.assert_allclose(model.forward(["s"])["s"], [4.5, -0.5])
    assert model.loss() == pytest.approx((4.5 - 0.5) / 2)
