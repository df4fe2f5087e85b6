"""PyTorch export: the script is safe text for every graph (no torch needed); where torch is installed,
torch's autograd and torch.optim (independent of the engine) reproduce every op's value and gradient,
kinks included, and every example's loss history from `main.py train`."""

from __future__ import annotations

import ast
import json
import runpy
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from test_interop_onnx import EXAMPLES, op_graph
from test_ops_gradcheck import NON_LEAF_OPS, OP_SAMPLES

import engine
import main
from engine.interop.pytorch_export import export_pytorch, to_pytorch
from engine.train.trainer import train

TORCH_REASON = "torch is optional (pip install '.[torch]'); the exported scripts run only where it is"


def needs_torch() -> None:
    pytest.importorskip("torch", reason=TORCH_REASON)


def load_script(doc: engine.Document, tmp_path: Path, name: str = "model.py") -> dict[str, Any]:
    """The exported script's names, loaded without running its main()."""
    path = tmp_path / name
    export_pytorch(doc, path)
    return runpy.run_path(str(path), run_name="exported")


def assert_history(got: list[float], want: list[float]) -> float:
    """Equal to 1e-9 relative; losses that training drove below 1e-12 of the first are compared
    absolutely (their relative rounding is meaningless). Returns the largest relative difference."""
    got_a, want_a = np.asarray(got), np.asarray(want)
    assert got_a.shape == want_a.shape
    floor = 1e-12 * float(np.max(np.abs(want_a), initial=0.0))
    np.testing.assert_allclose(got_a, want_a, rtol=1e-9, atol=floor)
    big = np.abs(want_a) > floor
    return float(np.max(np.abs(got_a - want_a)[big] / np.abs(want_a[big]), initial=0.0))


# ------------------------------------------------------------------------------------ without torch
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_exports_a_script_that_parses(path, tmp_path):
    out = tmp_path / "model.py"
    assert main.main(["export", str(path), "--to", "pytorch", "-o", str(out)]) == 0
    tree = ast.parse(out.read_text(encoding="utf-8"))
    assert any(isinstance(n, ast.ClassDef) and n.name == "Graph" for n in tree.body)


def test_labels_and_descriptions_cannot_become_code():
    doc = engine.load(EXAMPLES[1])
    doc.set_label("W1", 'W\nimport os; os.system("echo hi")  # """')
    doc.set_description('x"""\nimport shutil\n\\')
    tree = ast.parse(to_pytorch(doc))
    imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert imported == {"argparse", "json", "math", "torch", "torch.nn.functional"}
    calls = {
        n.func.attr for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
    }
    assert "system" not in calls


def test_node_ids_that_are_not_identifiers_or_clash_with_the_script_get_safe_names(tmp_path):
    doc = engine.new_document()
    doc.add_node("parameter", "mse", value=[1.0, -2.0])
    doc.add_node("parameter", "class", value=[0.5, 0.5])
    doc.add_node("mul", "a.b-c")
    doc.connect("mse", "a.b-c", "a")
    doc.connect("class", "a.b-c", "b")
    doc.add_node("mse", "torch")
    doc.connect("a.b-c", "torch", "pred")
    doc.connect("class", "torch", "target")
    ast.parse(to_pytorch(doc))


# --------------------------------------------------------------------------------------- with torch
def _op_cases() -> list:
    return [
        pytest.param(op.id, i, id=f"{op.id}-{i}")
        for op in NON_LEAF_OPS
        for i in range(len(OP_SAMPLES[op.id]))
    ]


@pytest.mark.parametrize(("op_id", "index"), _op_cases())
def test_every_op_matches_torch_autograd(op_id, index, tmp_path):
    needs_torch()
    doc = op_graph(op_id, index)
    script = load_script(doc, tmp_path)
    got = script["trace"](script["Graph"]())
    trace = engine.run(doc)
    assert got["output"] == pytest.approx(trace.loss, rel=1e-9, abs=1e-12)
    for node_id, grad in got["grads"].items():
        np.testing.assert_allclose(grad, trace.grad(node_id), rtol=1e-9, atol=1e-12, err_msg=node_id)


@pytest.mark.parametrize("op_id", ["relu", "leaky_relu", "elu", "selu", "abs"])
def test_kinks_take_pytorchs_derivative(op_id, tmp_path):
    needs_torch()
    doc = engine.new_document()
    doc.add_node("parameter", "x", value=[0.0, -1.0, 2.0])
    doc.add_node(op_id, "y")
    doc.connect("x", "y", "x")
    doc.add_node("sum", "s")
    doc.connect("y", "s", "x")
    script = load_script(doc, tmp_path)
    got = script["trace"](script["Graph"]())
    np.testing.assert_allclose(got["grads"]["x"], engine.run(doc).grad("x"), rtol=1e-12, atol=0)


@pytest.mark.parametrize(
    "training",
    [
        {"optimizer": "sgd", "momentum": 0.9, "epochs": 3},
        {"optimizer": "sgd", "momentum": 0.5, "nesterov": True, "epochs": 3},
        {"optimizer": "adam", "lr": 0.05, "epochs": 4},
        {"mode": "minibatch", "batch_size": 2, "order": "shuffle", "seed": 3, "epochs": 3},
        {"mode": "batch", "order": "reverse", "epochs": 3},
        {"order": [2, 0, 0], "epochs": 2},
    ],
    ids=["momentum", "nesterov", "adam", "minibatch-shuffle", "batch-reverse", "order-list"],
)
def test_training_settings_follow_torch_optim(training, tmp_path):
    needs_torch()
    doc = engine.load(EXAMPLES[1])  # 02: one row; give it three
    doc.set_dataset(
        {
            "columns": {
                "x": np.array([[1.0, 2.0], [0.5, -1.0], [2.0, 0.5]]),
                "y": np.array([[1.0], [0.0], [2.0]]),
            }
        }
    )
    doc.set_training({**doc.training, "lr": 0.01, **training})
    script = load_script(doc, tmp_path)
    model = script["Graph"]()
    history = script["train"](model, report=lambda text: None)
    result = train(doc)
    assert_history(history, result.history)
    for name, p in model.named_parameters():
        np.testing.assert_allclose(p.detach().numpy(), result.parameters[script["NODE_IDS"][name]], rtol=1e-9)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_trains_in_torch_as_main_py_train(path, tmp_path, capsys):
    needs_torch()
    script = load_script(engine.load(path), tmp_path)
    model = script["Graph"]()
    history = script["train"](model, report=lambda text: None)
    assert main.main(["train", str(path), "--json"]) == 0
    want = json.loads(capsys.readouterr().out)
    assert_history(history, want["history"])
    assert script["final_loss"](model) == pytest.approx(want["final_loss"], rel=1e-9, abs=1e-15)


def test_the_script_runs_on_its_own(tmp_path):
    needs_torch()
    path = tmp_path / "model.py"
    export_pytorch(engine.load(EXAMPLES[6]), path)  # 07: the perceptron, 6 updates
    done = subprocess.run([sys.executable, str(path), "--json"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    result = train(engine.load(EXAMPLES[6]))
    assert_history(json.loads(done.stdout)["history"], result.history)
