"""The training loop over Python floats (engine/compile/loop.py): the same run as the trainer's updates
on arrays, bit for bit (history, epoch and test losses, parameters, optimiser state, gradient norms,
NaN stops), and the perceptron's numbers worked out by hand."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from helpers import op, perceptron
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import engine
from engine.train.trainer import Trainer
from graph.document import Document

EXAMPLES = engine.__path__[0] + "/../examples/"
OPTIMISERS = [
    {"optimizer": "sgd"},
    {"optimizer": "sgd", "momentum": 0.9},
    {"optimizer": "sgd", "momentum": 0.5, "nesterov": True},
    {"optimizer": "adam", "lr": 0.05},
    {"optimizer": "adam", "lr": 0.01, "betas": [0.8, 0.99], "eps": 1e-6},
]


def _runs(doc: Document, **kw) -> tuple[Trainer, Trainer]:
    """The same run twice: through the loop over floats, and on arrays only."""
    fast = Trainer.create(doc, record_grad_norms=True, **kw)
    slow = Trainer.create(doc, record_grad_norms=True, float_loop=False, **kw)
    return fast, slow


def _same(fast: Trainer, slow: Trainer) -> None:
    a, b = fast.run(), slow.run()
    assert a.history == b.history
    assert a.epoch_losses == b.epoch_losses
    np.testing.assert_equal(a.test_losses, b.test_losses)
    assert a.grad_norms == b.grad_norms
    assert (a.status, a.updates, a.epochs) == (b.status, b.updates, b.epochs)
    assert str(a.error) == str(b.error)
    for k, v in b.parameters.items():
        assert a.parameters[k].tolist() == v.tolist(), k
    got, want = fast.optimiser.state(), slow.optimiser.state()
    assert got.keys() == want.keys() and got["t"] == want["t"]
    for key in set(want) - {"t"}:
        assert (got[key] is None) == (want[key] is None)
        for x, y in zip(got[key] or [], want[key] or [], strict=True):
            assert x.tolist() == y.tolist(), key
    np.testing.assert_equal(a.final_loss, b.final_loss)


def test_the_perceptron_runs_through_the_loop_with_the_articles_numbers():
    doc = engine.load(EXAMPLES + "07_perceptron_42.json")
    short = Trainer.create(doc)  # its 6 epochs: too few updates to pay for making the loop
    assert short.loop_source is None
    doc.set_training({**doc.training, "epochs": 300})
    trainer = Trainer.create(doc)
    assert "for done in range(n):" in trainer.loop_source
    result = trainer.run()
    # By hand (the example's description): y = 0, 44.1, 41.895, 42.00525, 41.99974, 42.00001: each
    # error −0.05 times the one before; L = (y − 42)².
    errors = [-42.0 * (-0.05) ** k for k in range(6)]
    np.testing.assert_allclose(result.history[:6], [e * e for e in errors], rtol=1e-9)
    assert result.history[:6] == short.run().history
    np.testing.assert_allclose(result.parameters["w"], [4.0, 16.0], rtol=1e-12)
    np.testing.assert_allclose(result.parameters["b"], 8.0, rtol=1e-12)


def xor(**training) -> Document:
    """XOR on a 2-2-1 sigmoid network with an MSE (example 08's network; its BCE has no rule over
    floats), one row an update."""
    d = Document(engine.REGISTRY)
    d.add_node("input", "x")
    rng = np.random.default_rng(5)
    for name, shape in (("W1", (2, 2)), ("b1", (2,)), ("W2", (2, 1)), ("b2", (1,))):
        d.add_node("parameter", name, value=rng.normal(0.0, 0.8, shape))
    op(d, "matmul", "h1", a="x", b="W1")
    op(d, "add", "z1", a="h1", b="b1")
    op(d, "sigmoid", "a1", x="z1")
    op(d, "matmul", "h2", a="a1", b="W2")
    op(d, "add", "z2", a="h2", b="b2")
    op(d, "sigmoid", "y", x="z2")
    d.add_node("input", "t")
    op(d, "mse", "L", pred="y", target="t")
    x = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    d.dataset = {"columns": {"x": x, "t": np.array([[0.0], [1.0], [1.0], [0.0]])}}
    d.training = {"loss": "L", "lr": 2.0, "mode": "sample", "epochs": 300, **training}
    return d


def perceptron_07(**training) -> Document:
    doc = engine.load(EXAMPLES + "07_perceptron_42.json")
    doc.set_training({**doc.training, "epochs": 300, **training})
    return doc


@pytest.mark.parametrize("opt", OPTIMISERS, ids=lambda o: "-".join(map(str, o.values())))
@pytest.mark.parametrize("make", [perceptron_07, xor], ids=["perceptron", "xor"])
def test_the_loop_equals_the_updates_on_arrays(make, opt):
    fast, slow = _runs(make(**opt))
    _same(fast, slow)
    assert fast.loop_source is not None and slow.loop_source is None  # (momentum: after its first update)


@pytest.mark.parametrize(
    "extra",
    [{"order": "shuffle", "seed": 4}, {"order": "reverse"}, {"order": [3, 1, 1, 0]},
     {"test_fraction": 0.25, "seed": 2}, {"stop_below": 0.2}, {"stop_below": 0.2, "test_fraction": 0.25}],
    ids=["shuffle", "reverse", "list", "test-rows", "stop-below", "stop-below-test"],
)  # fmt: skip
def test_orders_test_rows_and_stop_below_as_on_arrays(extra):
    _same(*_runs(xor(epochs=400, momentum=0.9, **extra)))


def test_a_batch_of_rows_stays_on_arrays():
    # Four rows an update go through one stacked pass (engine/compile/batch.py), not floats; as does
    # example 08 in one-row updates (its BCE has no rule over floats).
    assert Trainer.create(xor(mode="batch")).loop_source is None
    doc = engine.load(EXAMPLES + "08_xor_3_random_init.json")
    doc.set_training({**doc.training, "mode": "sample", "epochs": 20})
    fast, slow = _runs(doc)
    assert fast.loop_source is None
    _same(fast, slow)


def test_a_nan_stops_at_the_same_update_with_the_same_report():
    # lr 1 on L = (y − 42)²: each error −(1 − 2·5.25) = 9.5 times the one before: overflow to inf, then
    # inf − inf = NaN, at the same update as on arrays, with the last good parameters.
    doc = perceptron(lr=1.0, epochs=2000)
    fast, slow = _runs(doc)
    _same(fast, slow)
    assert fast.status == "failed" and fast.error is not None
    assert fast.loop_source is not None and len(fast.history) > 100


def test_stepping_stopping_and_resuming_give_the_uninterrupted_run():
    doc = xor(epochs=3000, optimizer="adam", lr=0.01)
    whole = Trainer.create(doc, record_grad_norms=True, float_loop=False)
    pieces = Trainer.create(doc, record_grad_norms=True)
    for _ in range(7):
        pieces.step()
    stop = threading.Event()
    reports = []

    def progress(p):
        reports.append(p)
        if len(reports) == 3:
            stop.set()

    assert pieces.run(progress, stop, interval=0.0).status == "stopped"
    stop.clear()
    _same(pieces, whole)


def test_a_report_carries_the_parameters_of_its_update():
    doc = perceptron(epochs=50)
    trainer = Trainer.create(doc)
    seen = []
    trainer.run(lambda p: seen.append((p.update, p.parameters["w"].copy())), interval=0.0)
    reference = Trainer.create(doc, float_loop=False)
    for update, w in seen:
        while reference.update < update:
            reference.step()
        assert w.tolist() == reference.parameters()["w"].tolist()


@st.composite
def small_graphs(draw):
    """A random graph of scalars and 2-vectors, fed from a dataset of a few rows, with an MSE."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    rows = draw(st.integers(1, 4))
    d = Document(engine.REGISTRY)
    d.add_node("input", "x")
    ids, columns = ["x"], {"x": rng.uniform(-1, 1, (rows, 2)), "t": rng.uniform(-1, 1, rows)}
    for i in range(draw(st.integers(1, 3))):
        d.add_node("parameter", f"p{i}", value=rng.uniform(-1, 1, draw(st.sampled_from([(), (2,)]))))
        ids.append(f"p{i}")
    for i in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["add", "sub", "mul", "tanh", "sigmoid", "relu", "square", "abs", "exp",
                                     "softplus", "neg"]))  # fmt: skip
        if kind in ("add", "sub", "mul"):
            op(d, kind, f"n{i}", a=draw(st.sampled_from(ids)), b=draw(st.sampled_from(ids)))
        else:
            op(d, kind, f"n{i}", x=draw(st.sampled_from(ids)))
        ids.append(f"n{i}")
    op(d, "sum", "s", x=ids[-1])
    d.add_node("input", "t")
    op(d, "mse", "L", pred="s", target="t")
    d.dataset = {"columns": columns}
    order = draw(st.sampled_from(["sequential", "shuffle", "reverse"]))
    d.training = {"loss": "L", "mode": "sample", "epochs": 80, "lr": 0.05, "order": order,
                  **draw(st.sampled_from(OPTIMISERS))}  # fmt: skip
    return d


@given(small_graphs())
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_random_small_graphs_train_alike_through_the_loop(doc):
    fast, slow = _runs(doc)
    _same(fast, slow)
    assert fast.loop_source is not None


@pytest.mark.parametrize("opt", OPTIMISERS[:4], ids=["sgd", "momentum", "nesterov", "adam"])
def test_one_row_epochs_stop_below_as_on_arrays(opt):
    # One row an epoch: each update ends an epoch, whose mean loss is compared with stop_below.
    fast, slow = _runs(perceptron_07(stop_below=1e-4, **opt))
    _same(fast, slow)
    assert fast.status == "converged" or fast.update == 300


def test_a_parameter_the_loss_does_not_reach_keeps_its_value_and_a_zero_norm():
    doc = perceptron_07()
    doc.add_node("parameter", "unused", value=[1.5, -2.0])
    fast, slow = _runs(doc)
    _same(fast, slow)
    assert fast.result().parameters["unused"].tolist() == [1.5, -2.0]
    assert set(fast.result().grad_norms["unused"]) == {0.0}


def test_a_graph_with_nothing_to_train_records_its_updates_alike():
    d = Document(engine.REGISTRY)
    d.add_node("input", "x")
    d.add_node("parameter", "alone", value=0.5)
    d.add_node("input", "t")
    op(d, "mse", "L", pred="x", target="t")
    d.dataset = {"columns": {"x": np.array([1.0, 2.0]), "t": np.array([0.0, 1.0])}}
    d.training = {"loss": "L", "mode": "sample", "epochs": 100}
    fast, slow = _runs(d)
    _same(fast, slow)
    assert fast.loop_source is not None and fast.result().grad_norms == {"alone": [0.0] * 200}
