"""Training with numbers derived by hand: the perceptron to 42, optimisers inside the loop, XOR and
its symmetry, orders and modes, NaN stops, settings errors."""

import threading

import numpy as np
import pytest
from helpers import log_blows_up, op, perceptron

import engine
from engine.compile.trace import NumericError
from engine.train.errors import TrainingError
from engine.train.initialisers import initial_values
from engine.train.metrics import (
    Layer,
    activation_curve,
    find_layers,
    flat_count,
    identical_groups,
    identical_units,
)
from engine.train.settings import settings_from
from engine.train.trainer import Trainer, compare, train
from graph.document import Document


def xor(init_w1, init_b1, init_w2, init_b2, **training) -> Document:
    """A 2-2-1 sigmoid network on XOR: a = σ(x W1 + b1), y = σ(a W2 + b2), L = mse(y, t)."""
    d = Document(engine.REGISTRY)
    d.add_node("input", "x")
    d.add_node("parameter", "W1", value=np.zeros((2, 2)), init=init_w1)
    d.add_node("parameter", "b1", value=np.zeros(2), init=init_b1)
    d.add_node("parameter", "W2", value=np.zeros((2, 1)), init=init_w2)
    d.add_node("parameter", "b2", value=np.zeros(1), init=init_b2)
    d.add_node("input", "t")
    for op_id, node in (("matmul", "h1"), ("add", "z1"), ("sigmoid", "a1"), ("matmul", "h2"), ("add", "z2")):
        d.add_node(op_id, node)
    d.add_node("sigmoid", "y")
    d.add_node("mse", "L")
    for s, t, p in (
        ("x", "h1", "a"),
        ("W1", "h1", "b"),
        ("h1", "z1", "a"),
        ("b1", "z1", "b"),
        ("z1", "a1", "x"),
        ("a1", "h2", "a"),
        ("W2", "h2", "b"),
        ("h2", "z2", "a"),
        ("b2", "z2", "b"),
        ("z2", "y", "x"),
        ("y", "L", "pred"),
        ("t", "L", "target"),
    ):
        d.connect(s, t, p)
    d.dataset = {
        "columns": {
            "x": np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]),
            "t": np.array([[0.0], [1.0], [1.0], [0.0]]),
        }
    }
    d.training = {"loss": "L", "lr": 1.0, "mode": "sample", "epochs": 1, "seed": 0, **training}
    for node_id, value in initial_values(d).items():
        d.set_value(node_id, value)
    return d


# ------------------------------------------------------------------------------------ perceptron
def test_perceptron_first_four_steps_by_hand():
    d = perceptron()
    result = train(d)
    ys = [0.0, 44.1, 41.895, 42.00525]
    assert result.history == pytest.approx([(y - 42) ** 2 for y in ys], rel=1e-12)
    # Every step moves w along x: w ← w − 0.1·2(x·w − 42)·x.
    w = np.zeros(3)
    x = np.array([0.5, 2.0, 1.0])
    for _ in range(4):
        w -= 0.1 * 2 * (x @ w - 42) * x
    assert np.allclose(result.parameters["w"], w, rtol=1e-12)
    assert result.status == "finished" and result.updates == 4 and result.epochs == 4
    y4 = x @ w
    assert result.final_loss == pytest.approx((y4 - 42) ** 2, rel=1e-9)
    # the document is untouched
    assert np.array_equal(d.node("w").value, np.zeros(3))


def test_perceptron_weights_tend_to_4_16_8():
    result = train(perceptron(epochs=60))
    assert np.allclose(result.parameters["w"], [4.0, 16.0, 8.0], atol=1e-9)
    assert result.final_loss < 1e-20


def test_perceptron_without_dataset_uses_the_node_values():
    d = perceptron()
    d.set_value("x", [0.5, 2.0, 1.0])
    d.set_value("t", 42.0)
    d.dataset = {}
    assert train(d).history == pytest.approx([1764.0, 4.41, 0.011025, 2.75625e-05], rel=1e-9)


def test_stop_below_threshold():
    result = train(perceptron(epochs=100, stop_below=0.1))
    assert result.status == "converged"
    assert result.updates == 3 and result.history[-1] < 0.1


# ------------------------------------------------------------------------- optimisers in the loop
def test_momentum_in_the_loop_by_hand():
    # L = (w·x − 42)² on one row; v ← μv + g, w ← w − ηv
    d = perceptron(momentum=0.9, lr=0.01, epochs=3)
    x = np.array([0.5, 2.0, 1.0])
    w = np.zeros(3)
    v = np.zeros(3)
    losses = []
    for _ in range(3):
        y = x @ w
        losses.append((y - 42) ** 2)
        v = 0.9 * v + 2 * (y - 42) * x
        w = w - 0.01 * v
    result = train(d)
    assert result.history == pytest.approx(losses, rel=1e-12)
    assert np.allclose(result.parameters["w"], w, rtol=1e-12)
    # two steps written out: g1 = −84x, v1 = g1, w1 = 0.84x; y1 = 4.41, g2 = 2(4.41 − 42)x = −75.18x
    assert losses[1] == pytest.approx((0.84 * 5.25 - 42) ** 2)


def test_nesterov_in_the_loop():
    d = perceptron(momentum=0.5, nesterov=True, lr=0.01, epochs=2)
    x = np.array([0.5, 2.0, 1.0])
    g1 = 2 * (0 - 42) * x
    w1 = -0.01 * (g1 + 0.5 * g1)
    g2 = 2 * (x @ w1 - 42) * x
    v2 = 0.5 * g1 + g2
    w2 = w1 - 0.01 * (g2 + 0.5 * v2)
    assert np.allclose(train(d).parameters["w"], w2, rtol=1e-12)


def test_adam_in_the_loop_by_hand():
    d = perceptron(optimizer="adam", lr=0.5, epochs=3)
    x = np.array([0.5, 2.0, 1.0])
    w, m, v = np.zeros(3), np.zeros(3), np.zeros(3)
    for t in range(1, 4):
        g = 2 * (x @ w - 42) * x
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        w = w - 0.5 * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
    # The first Adam step moves every weight by lr (sign of the gradient): w1 = (0.5, 0.5, 0.5).
    result = train(d)
    assert np.allclose(result.parameters["w"], w, rtol=1e-12)
    one = train(perceptron(optimizer="adam", lr=0.5, epochs=1))
    assert np.allclose(one.parameters["w"], 0.5, rtol=1e-8)


# ---------------------------------------------------------------------------------- orders, modes
def regression(**training) -> Document:
    """y = w·x over three rows with different targets, so the order of the rows matters."""
    d = Document(engine.REGISTRY)
    d.add_node("input", "x")
    d.add_node("parameter", "w", value=0.0)
    op(d, "mul", "y", a="x", b="w")
    d.add_node("input", "t")
    op(d, "mse", "L", pred="y", target="t")
    d.dataset = {"columns": {"x": np.array([1.0, 2.0, 3.0]), "t": np.array([2.0, 3.0, 7.0])}}
    d.training = {"lr": 0.05, "epochs": 1, **training}
    return d


def by_hand(rows, batches, lr=0.05, epochs=1):
    x = np.array([1.0, 2.0, 3.0])
    t = np.array([2.0, 3.0, 7.0])
    w = 0.0
    history = []
    for _ in range(epochs):
        for b in batches:
            losses = [(w * x[r] - t[r]) ** 2 for r in b]
            grads = [2 * (w * x[r] - t[r]) * x[r] for r in b]
            history.append(np.mean(losses))
            w -= lr * np.mean(grads)
    return w, history


@pytest.mark.parametrize(
    "training, batches",
    [
        ({"order": "sequential"}, [[0], [1], [2]]),
        ({"order": "reverse"}, [[2], [1], [0]]),
        ({"order": [1, 0]}, [[1], [0]]),
        ({"order": [2, 2, 0]}, [[2], [2], [0]]),
        ({"mode": "minibatch", "batch_size": 2}, [[0, 1], [2]]),
        ({"mode": "minibatch", "batch_size": 2, "order": "reverse"}, [[2, 1], [0]]),
        ({"mode": "batch"}, [[0, 1, 2]]),
        ({"mode": "batch", "order": [2, 0]}, [[2, 0]]),
    ],
)
def test_orders_and_modes(training, batches):
    w, history = by_hand(None, batches)
    result = train(regression(**training))
    assert result.history == pytest.approx(history, rel=1e-12)
    assert float(result.parameters["w"]) == pytest.approx(w, rel=1e-12)


def test_shuffle_reshuffles_every_epoch_from_the_seed():
    rng = np.random.default_rng(5)
    orders = [rng.permutation(3) for _ in range(3)]
    w, history = by_hand(None, [[int(r)] for o in orders for r in o])
    result = train(regression(order="shuffle", seed=5, epochs=3))
    assert result.history == pytest.approx(history, rel=1e-12)
    assert len(result.epoch_losses) == 3
    assert result.epoch_losses[0] == pytest.approx(np.mean(history[:3]))
    assert train(regression(order="shuffle", seed=5, epochs=3)).history == result.history


def test_final_loss_is_the_mean_over_the_dataset():
    result = train(regression(epochs=2))
    w = float(result.parameters["w"])
    expected = np.mean([(w * x - t) ** 2 for x, t in ((1, 2), (2, 3), (3, 7))])
    assert result.final_loss == pytest.approx(expected, rel=1e-12)


def test_parameter_that_does_not_reach_the_output_is_listed_and_kept():
    d = regression()
    d.add_node("parameter", "unused", value=[1.0, 2.0])
    result = train(d)
    assert np.array_equal(result.parameters["unused"], [1.0, 2.0])


def test_zero_epochs_and_json():
    result = train(regression(epochs=0))
    assert result.history == [] and result.updates == 0
    data = result.to_json()
    assert data["parameters"] == {"w": 0.0} and data["final_loss"] == pytest.approx((4 + 9 + 49) / 3)


# ---------------------------------------------------------------------------------------- XOR
def xor_predictions(d, params):
    trace_doc = d.copy()
    for k, v in params.items():
        trace_doc.set_value(k, v)
    trainer = Trainer.create(trace_doc)
    return trainer.values_over_rows(["y"])["y"].reshape(-1)


def test_xor_from_constant_init_keeps_the_hidden_units_identical():
    const = {"kind": "constant", "value": 0.5}
    d = xor(
        const,
        {"kind": "constant", "value": 0.1},
        {"kind": "constant", "value": -0.3},
        {"kind": "zeros"},
        epochs=2000,
        order="shuffle",
    )
    result = train(d, record_grad_norms=True)
    W1, b1, W2 = result.parameters["W1"], result.parameters["b1"], result.parameters["W2"]
    assert not np.array_equal(W1, d.node("W1").value)  # it trained
    assert np.array_equal(W1[:, 0], W1[:, 1])
    assert b1[0] == b1[1]
    assert W2[0, 0] == W2[1, 0]
    assert identical_groups(W1, 1) == [[0, 1]]
    hidden = find_layers(d)[0]
    assert identical_units(result.parameters, hidden) == [[0, 1]]
    # and it cannot learn XOR
    assert result.final_loss > 0.1


def test_xor_from_zero_init_stays_symmetric():
    z = {"kind": "zeros"}
    result = train(xor(z, z, z, z, epochs=500))
    W1 = result.parameters["W1"]
    assert np.array_equal(W1[:, 0], W1[:, 1])
    assert result.final_loss > 0.1


def test_xor_from_seeded_random_init_learns():
    n = {"kind": "normal", "std": 1.0}
    d = xor(n, n, n, n, epochs=3000, lr=2.0, order="shuffle", seed=1)
    result = train(d)
    pred = xor_predictions(d, result.parameters)
    assert np.array_equal(np.round(pred), [0, 1, 1, 0]), pred
    assert result.final_loss < 0.01
    assert identical_units(result.parameters, find_layers(d)[0]) == []


def test_comparison_run_zeros_against_xavier():
    z = {"kind": "zeros"}
    d = xor(z, z, z, z, epochs=2000, lr=2.0, seed=3)
    zeros, xavier = compare(d, [{"kind": "zeros"}, {"kind": "xavier_normal"}])
    assert len(zeros.history) == len(xavier.history) == 8000
    assert xavier.final_loss < zeros.final_loss


def test_grad_norms_recorded_per_update():
    result = train(perceptron(), record_grad_norms=True)
    x = np.array([0.5, 2.0, 1.0])
    assert result.grad_norms["w"][0] == pytest.approx(84 * np.linalg.norm(x))
    assert len(result.grad_norms["w"]) == 4


# ------------------------------------------------------------------------------------ bad numbers
def test_nan_stops_names_the_node_and_update_and_keeps_the_last_good_parameters():
    # L = (ln(w·x) − t)² with t = −5: update 1 has g = 2(0 + 5)/1 = 10, so w = 1 − 1·10 = −9 and
    # update 2 takes the log of −9.
    d = log_blows_up()
    result = train(d)
    assert result.status == "failed"
    err = result.error
    assert isinstance(err, NumericError) and err.node == "y" and err.update == 2
    assert "update 2" in str(err) and "'y'" in str(err)
    assert result.history == [25.0]
    assert float(result.parameters["w"]) == -9.0
    assert result.to_json()["error"]["node"] == "y"


def test_nan_in_a_batch_names_the_observation():
    d = regression(mode="batch")
    d.dataset["columns"]["x"] = np.array([1.0, 2.0, 3.0])
    d.add_node("log", "lx")
    d.remove_node("y")
    d.add_node("mul", "y")
    d.connect("x", "lx", "x")
    d.connect("lx", "y", "a")
    d.connect("w", "y", "b")
    d.connect("y", "L", "pred")
    d.dataset["columns"]["x"] = np.array([1.0, -2.0, 3.0])
    result = train(d)
    assert result.status == "failed" and result.error.node == "lx" and result.error.update == 1
    assert "observation 2" in str(result.error)
    assert result.history == []


# ----------------------------------------------------------------------------- stepping, stopping
def test_step_then_run_equals_one_run():
    full = train(perceptron(epochs=6))
    t = Trainer.create(perceptron(epochs=6))
    assert t.step() and t.step()
    assert t.update == 2
    rest = t.run()
    assert rest.history == full.history
    assert np.array_equal(rest.parameters["w"], full.parameters["w"])


def test_stop_flag_and_resume():
    t = Trainer.create(regression(epochs=100_000))
    stop = threading.Event()
    seen = []

    def progress(p):
        seen.append(p)
        stop.set()

    result = t.run(progress, stop, interval=0.0)
    assert result.status == "stopped" and 0 < result.updates < 300_000
    assert seen[-1].finished and seen[0].parameters["w"].shape == ()
    assert sum(len(p.history) for p in seen) == result.updates
    stop.clear()
    t.settings = settings_from({"lr": 0.05, "epochs": 100_000})
    n = t.update
    t.step()
    assert t.update == n + 1


def test_progress_carries_trace_and_watched_values():
    t = Trainer.create(perceptron(epochs=3))
    t.want_trace = True
    t.watch = ("y",)
    reports = []
    t.run(reports.append, interval=0.0)
    last = reports[-1]
    assert last.trace.loss == pytest.approx((42.00525 - 42) ** 2, rel=1e-6)
    assert last.watched["y"].shape == (1,)
    assert last.watched["y"][0] == pytest.approx(41.895 + (42 - 41.895) * 1.05, rel=1e-9)
    assert last.update == 3 and last.total_updates == 3


# -------------------------------------------------------------------------------------- settings
@pytest.mark.parametrize(
    "training, key",
    [
        ({"lr": -1}, "lr"),
        ({"lr": "fast"}, "lr"),
        ({"optimizer": "rmsprop"}, "optimizer"),
        ({"mode": "online"}, "mode"),
        ({"order": "random"}, "order"),
        ({"order": []}, "order"),
        ({"batch_size": 0}, "batch_size"),
        ({"epochs": 1.5}, "epochs"),
        ({"momentum": 1.5}, "momentum"),
        ({"nesterov": True}, "nesterov"),
        ({"betas": [0.9]}, "betas"),
        ({"seed": -1}, "seed"),
        ({"stop_below": "x"}, "stop_below"),
    ],
)
def test_bad_settings_name_the_key(training, key):
    with pytest.raises(TrainingError) as err:
        settings_from(training)
    assert err.value.key == key and repr(key) in str(err.value)


def test_order_out_of_range_and_bad_columns():
    with pytest.raises(TrainingError, match="0-based"):
        Trainer.create(regression(order=[3]))
    d = regression()
    d.dataset["columns"]["w"] = np.array([1.0, 2.0, 3.0])
    with pytest.raises(TrainingError, match="parameter, not an input"):
        Trainer.create(d)
    d = regression()
    d.dataset["columns"]["nope"] = np.array([1.0, 2.0, 3.0])
    with pytest.raises(TrainingError, match="names no node"):
        Trainer.create(d)


def test_activation_curve():
    x = np.array([-1.0, 0.0, 2.0])
    y, dy = activation_curve("relu", {}, x)
    assert np.array_equal(y, [0, 0, 2]) and np.array_equal(dy, [0, 0, 1])
    y, dy = activation_curve("sigmoid", {}, np.array([0.0]))
    assert y[0] == 0.5 and dy[0] == 0.25
    assert activation_curve("softmax", {}, x) is None
    assert activation_curve("add", {}, x) is None


def test_tanh_is_not_flat_at_zero_and_flat_count_counts_points():
    # tanh′(z) = 1 − tanh(z)²: 1 at z = 0; tanh′(±10) = 1 − tanh(10)² ≈ 8.2e-9 (flat); relu′(−1) = 0
    z = np.array([0.0, 0.0, 10.0, -10.0, 0.5])
    _, dy = activation_curve("tanh", {}, z)
    assert dy[0] == dy[1] == 1.0
    assert flat_count(dy) == 2  # the two saturated points, not the two at z = 0
    _, dy = activation_curve("relu", {}, np.array([-1.0, -2.0, 3.0]))
    assert flat_count(dy) == 2


def test_layers_follow_matmul_bias_activation_and_next_weights():
    d = xor({"kind": "zeros"}, {"kind": "zeros"}, {"kind": "zeros"}, {"kind": "zeros"})
    assert find_layers(d) == [
        Layer("W1", 1, "b1", "W2", 0, "a1"),  # units: columns of W1, entries of b1, rows of W2
        Layer("W2", 1, "b2", None, 0, "y"),
    ]


def test_identical_units_compare_weights_and_bias_never_the_bias_alone():
    hidden = Layer("W1", 1, "b1", "W2", 0, "a1")
    zeros = {"W1": np.zeros((2, 3)), "b1": np.zeros(3), "W2": np.zeros((3, 1))}
    assert identical_units(zeros, hidden) == [[0, 1, 2]]
    # equal (zero) biases, but unit 3's incoming weights differ: units 1 and 2 only
    p = dict(zeros, W1=np.array([[1.0, 1.0, 2.0], [0.5, 0.5, 0.5]]))
    assert identical_units(p, hidden) == [[0, 1]]
    # same incoming weights and bias; different outgoing weights: no symmetry
    p = dict(zeros, W2=np.array([[1.0], [2.0], [3.0]]))
    assert identical_units(p, hidden) == []
    # same weights, different biases: no symmetry
    p = dict(zeros, b1=np.array([0.0, 0.1, 0.2]))
    assert identical_units(p, hidden) == []
    # W·x form (example 09): units are the rows of W and the columns of the next weights
    rows = Layer("W1", 0, "b1", "W2", 1, "a")
    p = {"W1": np.array([[1.0, 2.0], [1.0, 2.0]]), "b1": np.zeros(2), "W2": np.array([[3.0, 3.0]])}
    assert identical_units(p, rows) == [[0, 1]]
