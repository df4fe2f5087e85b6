"""graph/builders.py: the unrolled RNN builder, its command line (main.py build-rnn)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import engine
from engine.compile.plan import compile_plan
from engine.train.initialisers import draw
from graph.builders import IDENTITY, RnnSpec, rnn_activations, unrolled_rnn
from graph.file_format import dumps, load, loads

ROOT = Path(__file__).resolve().parent.parent


def test_the_sheet_rnn_from_the_builder():
    # The "there and back" cell: h_t = ReLU(w·h_{t−1} + v·y_{t−1}), ŷ_t = ReLU(u·h_t), weights ½,
    # sequence 0, 1, −1, 2: L = 1 + 1.5625 + 4 (derivation in tests/test_examples.py).
    spec = RnnSpec(3, output_activation="relu", sequence=[0, 1, -1, 2], weight_value=0.5)
    doc = unrolled_rnn(spec, engine.REGISTRY)
    trace = compile_plan(doc).run()
    assert trace.loss == pytest.approx(6.5625)
    assert float(trace.grad("u")) == pytest.approx(1.25)
    assert float(trace.grad("v")) == pytest.approx(1.25)
    assert float(trace.grad("w")) == pytest.approx(0.0)
    # Scalars and mul for a one-unit cell; each weight is one node feeding all three steps.
    assert doc.node("w").value.shape == ()
    for weight in ("u", "v", "w"):
        assert len(doc.consumers_of(weight)) == 3
        assert doc.node(weight).init == {"kind": "constant", "value": 0.5}


def _numpy_bptt(x, y, W, V, U, b, c):
    """Forward and backpropagation through time, written out by hand for tanh / identity / MSE-sum."""
    T = len(x)
    hs = [np.zeros(W.shape[0])]
    yhats = []
    for t in range(T):
        hs.append(np.tanh(hs[-1] @ W + x[t] @ V + b))
        yhats.append(hs[-1] @ U + c)
    loss = sum(float(np.sum((yhats[t] - y[t]) ** 2)) for t in range(T))
    gW, gV, gU, gb, gc = (np.zeros_like(a) for a in (W, V, U, b, c))
    dh_next = np.zeros(W.shape[0])
    per_step_W = []
    for t in reversed(range(T)):
        dy = 2 * (yhats[t] - y[t])
        gU += np.outer(hs[t + 1], dy)
        gc += dy
        dh = dy @ U.T + dh_next
        dz = dh * (1 - hs[t + 1] ** 2)
        per_step_W.append(np.outer(hs[t], dz))
        gW += per_step_W[-1]
        gV += np.outer(x[t], dz)
        gb += dz
        dh_next = dz @ W.T
    return loss, gW, gV, gU, gb, gc, per_step_W[::-1]


def test_matrix_rnn_matches_hand_written_bptt():
    T, n_in, n_h, n_out = 4, 2, 3, 2
    doc = unrolled_rnn(RnnSpec(T, n_in, n_h, n_out, "tanh", bias=True, seed=5), engine.REGISTRY, draw)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(T, n_in))
    y = rng.normal(size=(T, n_out))
    b = rng.normal(size=n_h) * 0.1
    c = rng.normal(size=n_out) * 0.1
    for t in range(T):
        doc.set_value(f"x{t + 1}", x[t])
        doc.set_value(f"y{t + 1}", y[t])
    doc.set_value("b", b)
    doc.set_value("c", c)
    W, V, U = (doc.node(k).value for k in ("W", "V", "U"))
    assert W.shape == (n_h, n_h) and V.shape == (n_in, n_h) and U.shape == (n_h, n_out)
    assert not np.allclose(W, 0)  # drawn by the initialiser, not left at zero
    np.testing.assert_array_equal(W, draw({"kind": "xavier_uniform", "seed": 5}, (n_h, n_h), "W"))
    trace = compile_plan(doc).run()
    loss, gW, gV, gU, gb, gc, per_step_W = _numpy_bptt(x, y, W, V, U, b, c)
    assert trace.loss == pytest.approx(loss, rel=1e-12)
    for name, g in (("W", gW), ("V", gV), ("U", gU), ("b", gb), ("c", gc)):
        np.testing.assert_allclose(trace.grad(name), g, rtol=1e-10, atol=1e-12)
    # W's gradient is the sum of one contribution per time step (step 1 multiplies h₀ = 0).
    parts = dict((e.target, g) for e, g in trace.contributions("W"))
    assert sorted(parts) == [f"hW{t}" for t in range(1, T + 1)]
    for t in range(T):
        np.testing.assert_allclose(parts[f"hW{t + 1}"], per_step_W[t], atol=1e-12)


def test_sequence_and_bce_variants_validate():
    spec = RnnSpec(
        5, 2, 4, 2, "relu", output_activation="sigmoid", loss="bce", sequence=np.zeros((6, 2)) + 0.5
    )
    doc = unrolled_rnn(spec, engine.REGISTRY, draw)
    plan = compile_plan(doc)
    assert plan.output == "L"
    assert {n.op for n in doc.nodes()} >= {"bce", "sigmoid", "matmul", "relu"}
    assert len(doc.consumers_of("y3")) == 2  # read at step 4, scored at step 3


def test_builder_settings_and_round_trip():
    doc = unrolled_rnn(RnnSpec(2, 1, 2, 1, "tanh", lr=0.05, seed=7), engine.REGISTRY, draw)
    assert doc.training["loss"] == "L" and doc.training["lr"] == 0.05
    assert doc.node("W").init == {"kind": "xavier_uniform", "seed": 7}
    assert doc.node("V").init["seed"] == 8 and doc.node("U").init["seed"] == 9
    again = loads(dumps(doc), engine.REGISTRY)
    assert dumps(again) == dumps(doc)


def test_one_step_names_the_loss_L():
    doc = unrolled_rnn(RnnSpec(1), engine.REGISTRY)
    assert compile_plan(doc).output == "L"


def test_long_rnn_is_laid_out_without_overlaps():
    doc = unrolled_rnn(RnnSpec(50, 1, 32), engine.REGISTRY)
    positions = [n.position for n in doc.nodes()]
    assert all(p is not None for p in positions)
    assert len(set(positions)) == len(positions)
    assert all(n.label for n in doc.nodes())
    assert compile_plan(doc).output == "L"


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"T": 0}, "T must be"),
        ({"T": 2, "hidden_size": 0}, "hidden size"),
        ({"T": 2, "activation": "softmax"}, "activation must be"),
        ({"T": 2, "loss": "bce"}, "sigmoid"),
        ({"T": 2, "loss": "hinge"}, "loss must be"),
        ({"T": 2, "sequence": [0, 1]}, "T \\+ 1"),
        ({"T": 2, "input_size": 2, "sequence": [0, 1, 2]}, "input = output size"),
    ],
)
def test_builder_refuses_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        unrolled_rnn(RnnSpec(**kwargs), engine.REGISTRY)


def test_the_activations_come_from_the_catalogue():
    # The one-input elementwise activations, in the catalogue's order, and "identity" for none;
    # softmax (not elementwise) and swish (two inputs) are not among them.
    group = engine.REGISTRY.by_group()["Activations"]
    expected = [op.id for op in group if op.id not in ("softmax", "swish")]
    assert rnn_activations(engine.REGISTRY) == (*expected, IDENTITY)
    assert {"relu", "tanh", "sigmoid", "gelu"} <= set(expected)
    # A new activation in the catalogue is one the builder accepts.
    doc = unrolled_rnn(RnnSpec(2, activation="gelu"), engine.REGISTRY)
    assert doc.node("h1").op == "gelu"


def test_builders_do_not_need_the_engine():
    code = (
        "import sys; from graph.builders import RnnSpec, unrolled_rnn; d = unrolled_rnn(RnnSpec(3)); "
        "assert 'engine' not in sys.modules; print(len(d))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def _main(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "main.py", *args], cwd=ROOT, capture_output=True, text=True)


def test_build_rnn_command(tmp_path):
    out = tmp_path / "rnn.json"
    result = _main("build-rnn", "-T", "50", "--input", "1", "--hidden", "32", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "50 steps" in result.stdout
    doc = load(out, engine.REGISTRY)
    assert doc.node("W").value.shape == (32, 32)
    assert len(doc.consumers_of("W")) == 50
    trace = compile_plan(doc).run()
    assert np.isfinite(trace.loss)


def test_build_rnn_command_options(tmp_path):
    out = tmp_path / "rnn.json"
    result = _main(
        "build-rnn", "-T", "3", "--weight", "0.5", "--activation", "relu", "--output-activation", "relu",
        "--bias", "--seed", "2", "-o", str(out),
    )
    assert result.returncode == 0, result.stderr
    doc = load(out, engine.REGISTRY)
    assert float(doc.node("w").value) == 0.5
    assert "b" in doc and "c" in doc
    # Every input is 0, so every ReLU sits on its kink: check passes all the same.
    assert _main("check", str(out)).returncode == 0


@pytest.mark.parametrize(
    "args", [["-T", "0"], ["-T", "3", "--activation", "nope"], ["-T", "3", "--hidden", "-1"]]
)
def test_build_rnn_command_refuses_bad_input(tmp_path, args):
    result = _main("build-rnn", *args, "-o", str(tmp_path / "x.json"))
    assert result.returncode == 2
    assert result.stderr.startswith("error:") and len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "x.json").exists()


# ------------------------------------------------------------------------------ the window's dialog
@pytest.fixture
def main_window(qtbot, tmp_path):
    pytest.importorskip("PySide6")
    pytest.importorskip("pytestqt")
    from gui.main_window import MainWindow

    w = MainWindow(autosave=False)
    w.errors = []
    w.errorShown.connect(lambda title, message: w.errors.append(message))
    qtbot.addWidget(w)
    return w


@pytest.mark.gui
def test_rnn_dialog_builds_the_chosen_network(qtbot):
    pytest.importorskip("PySide6")
    from gui.dialogs.rnn_dialog import RnnDialog

    dialog = RnnDialog(registry=engine.REGISTRY)
    qtbot.addWidget(dialog)
    dialog.steps.setValue(6)
    dialog.input_size.setValue(2)
    dialog.hidden_size.setValue(3)
    dialog.activation.setCurrentText("relu")
    doc = dialog.document()
    assert len(doc.consumers_of("W")) == 6
    assert doc.node("V").value.shape == (2, 3)
    assert compile_plan(doc).output == "L"
    assert "nodes" in dialog.summary.text()
    # bce needs a sigmoid output: OK is disabled and the summary says why.
    dialog.loss.setCurrentText("bce")
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert not ok.isEnabled() and "sigmoid" in dialog.summary.text()
    dialog.output_activation.setCurrentText("sigmoid")
    assert ok.isEnabled()
    dialog.constant.setChecked(True)
    dialog.weight_value.setValue(0.25)
    doc = dialog.document()
    assert np.all(doc.node("W").value == 0.25)


@pytest.mark.gui
def test_rnn_action_loads_the_graph_into_the_window(main_window, qtbot):
    from gui.dialogs.rnn_dialog import ACTION_TEXT, RnnDialog, install_rnn_action, load_rnn

    action = install_rnn_action(main_window)
    file_menu = next(a.menu() for a in main_window.menuBar().actions() if a.text().replace("&", "") == "File")
    texts = [a.text() for a in file_menu.actions()]
    assert ACTION_TEXT in texts
    assert texts.index(ACTION_TEXT) == texts.index("&Examples") + 1
    assert action.objectName() == "build_rnn"
    dialog = RnnDialog(main_window, engine.REGISTRY)
    qtbot.addWidget(dialog)
    dialog.steps.setValue(4)
    assert load_rnn(main_window, dialog)
    doc = main_window.bridge.doc
    assert len(doc.consumers_of("W")) == 4
    assert main_window.bridge.file_path is None
    assert "RNN" in main_window.windowTitle()
    assert main_window.errors == []


@pytest.mark.gui
def test_an_rnn_the_builder_refuses_is_reported_and_the_graph_kept(main_window, qtbot):
    from gui.dialogs.rnn_dialog import RnnDialog, load_rnn

    before = main_window.bridge.doc
    dialog = RnnDialog(main_window, engine.REGISTRY)
    qtbot.addWidget(dialog)
    dialog.loss.setCurrentIndex(dialog.loss.findData("bce"))
    dialog.output_activation.setCurrentIndex(dialog.output_activation.findData(IDENTITY))
    assert not load_rnn(main_window, dialog)
    assert main_window.errors == ['loss "bce" needs output_activation "sigmoid" (probabilities)']
    assert main_window.bridge.doc is before
