"""Importing a PyTorch module through torch.fx: values and gradients equal torch's own autograd."""

from __future__ import annotations

import sys
import textwrap

import numpy as np
import pytest

import engine
import main

TORCH_REASON = "torch is optional (pip install '.[torch]'); the import of modules needs it"

NET = """
import torch
import torch.nn.functional as F
from torch import nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        torch.manual_seed(0)
        self.fc1 = nn.Linear(3, 4)
        self.act = nn.Tanh()
        self.fc2 = nn.Linear(4, 2)

    def forward(self, x):
        h = F.leaky_relu(self.fc1(x), 0.2)
        return self.fc2(self.act(h)) * 2.0 - torch.sigmoid(h).sum() + F.silu(x).mean()
"""


def _import(tmp_path, spec: str, *extra: str) -> engine.Document:
    out = tmp_path / "graph.json"
    assert main.main(["import", spec, "-o", str(out), *extra]) == 0
    return engine.load(out)


def test_a_module_in_a_py_file_matches_torch_autograd(tmp_path):
    torch = pytest.importorskip("torch", reason=TORCH_REASON)
    path = tmp_path / "net.py"
    path.write_text(textwrap.dedent(NET))
    doc = _import(
        tmp_path, f"{path}:Net", "--loss", "mse", "--target", "0.5 -0.5", "--input-value", "x=1 -2 0.5"
    )
    trace = engine.run(doc)
    namespace: dict = {}
    exec(compile(path.read_text(), str(path), "exec"), namespace)
    net = namespace["Net"]().double()
    x, t = torch.tensor([1.0, -2.0, 0.5], dtype=torch.float64), torch.tensor([0.5, -0.5], dtype=torch.float64)
    loss = torch.nn.functional.mse_loss(net(x), t)
    loss.backward()
    assert trace.loss == pytest.approx(loss.item(), rel=1e-12)
    for name, p in net.named_parameters():
        np.testing.assert_allclose(trace.grad(name), p.grad.numpy(), rtol=1e-10, atol=1e-14, err_msg=name)


def test_a_saved_sequential_imports(tmp_path):
    torch = pytest.importorskip("torch", reason=TORCH_REASON)
    torch.manual_seed(1)
    seq = torch.nn.Sequential(
        torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.Linear(3, 1), torch.nn.Sigmoid()
    )
    path = tmp_path / "seq.pt"
    torch.save(seq, path)
    doc = _import(tmp_path, str(path), "--loss", "bce", "--target", "[1]", "--input-value", "input=0.3 -0.7")
    x = torch.tensor([0.3, -0.7], dtype=torch.float64)
    loss = torch.nn.functional.binary_cross_entropy(seq.double()(x), torch.tensor([1.0], dtype=torch.float64))
    assert engine.run(doc).loss == pytest.approx(loss.item(), rel=1e-12)


def test_an_unsupported_module_is_named(tmp_path, capsys):
    pytest.importorskip("torch", reason=TORCH_REASON)
    path = tmp_path / "norm.py"
    path.write_text(
        "from torch import nn\n\nclass M(nn.Sequential):\n"
        "    def __init__(self):\n        super().__init__(nn.Linear(2, 2), nn.LayerNorm(2))\n"
    )
    assert main.main(["import", f"{path}:M", "-o", str(tmp_path / "g.json")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "LayerNorm" in err and "traced node '_1'" in err
    assert not (tmp_path / "g.json").exists()


def test_without_torch_the_command_says_how_to_install_it(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)
    path = tmp_path / "net.py"
    path.write_text(textwrap.dedent(NET))
    assert main.main(["import", f"{path}:Net", "-o", str(tmp_path / "g.json")]) == 2
    err = capsys.readouterr().err
    assert "pip install '.[torch]'" in err and err.count("\n") == 1
