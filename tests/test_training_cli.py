"""`main.py train`: JSON output, overrides, --out/--log files, progress bar, errors."""

import json

import numpy as np
import pytest
from helpers import log_blows_up, perceptron

import engine
import main
from graph.file_format import load, save


def perceptron_file(tmp_path, **training):
    d = perceptron(**training)
    path = tmp_path / "perceptron.json"
    save(d, path)
    return path


def test_json_output(tmp_path, capsys):
    path = perceptron_file(tmp_path)
    assert main.main(["train", str(path), "--json"]) == 0
    out, err = capsys.readouterr()
    data = json.loads(out)
    assert data["history"] == pytest.approx([1764.0, 4.41, 0.011025, 2.75625e-05], rel=1e-9)
    assert set(data["parameters"]) == {"w"} and len(data["parameters"]["w"]) == 3
    y = np.dot([0.5, 2.0, 1.0], data["parameters"]["w"])
    assert data["final_loss"] == pytest.approx((y - 42) ** 2, rel=1e-9)
    assert err == ""  # no progress bar with --json


def test_overrides_out_and_log(tmp_path, capsys):
    path = perceptron_file(tmp_path)
    out_path = tmp_path / "trained.json"
    log_path = tmp_path / "loss.csv"
    code = main.main(
        ["train", str(path), "--epochs", "60", "--lr", "0.1", "--out", str(out_path), "--log", str(log_path)]
    )
    assert code == 0
    out, err = capsys.readouterr()
    assert "finished: 60 updates" in out and "w = (4, 16, 8)" in out
    assert "100%" in err and "epoch 60/60" in err  # the progress bar
    trained = load(out_path, engine.REGISTRY)
    assert np.allclose(trained.node("w").value, [4, 16, 8])
    assert np.array_equal(load(path, engine.REGISTRY).node("w").value, [0, 0, 0])  # the input is untouched
    lines = log_path.read_text().splitlines()
    assert lines[0] == "update,epoch,loss" and len(lines) == 61 and lines[1] == "1,1,1764.0"


def test_quiet_and_mode_flags(tmp_path, capsys):
    path = perceptron_file(tmp_path)
    assert main.main(["train", str(path), "--quiet", "--mode", "batch", "--epochs", "2"]) == 0
    out, err = capsys.readouterr()
    assert err == "" and "2 updates" in out and "batch" in out


def test_reinit_and_seed(tmp_path, capsys):
    path = perceptron_file(tmp_path)
    d = load(path, engine.REGISTRY)
    d.node("w").init = {"kind": "normal"}
    d.set_value("w", [9.0, 9.0, 9.0])
    save(d, path)
    runs = []
    for seed in ("1", "1", "2"):
        assert main.main(["train", str(path), "--json", "--epochs", "0", "--reinit", "--seed", seed]) == 0
        runs.append(json.loads(capsys.readouterr().out)["parameters"]["w"])
    assert runs[0] == runs[1] != runs[2] and runs[0] != [9.0, 9.0, 9.0]


@pytest.mark.parametrize(
    "flags, text",
    [
        (["--lr", "-1"], "training 'lr' must be a number > 0"),
        (["--order", "5"], "0-based"),
        (["--order", "sideways"], "training 'order'"),
        (["--order", "0,x"], "training 'order': 'x' is not a row number (0-based: 0 … 0)"),
        (["--mode", "minibatch", "--batch-size", "0"], "training 'batch_size'"),
    ],
)
def test_invalid_settings_exit_2_with_one_line(tmp_path, capsys, flags, text):
    path = perceptron_file(tmp_path)
    assert main.main(["train", str(path), *flags]) == 2
    err = capsys.readouterr().err.strip()
    assert text in err and len(err.splitlines()) == 1


def test_nan_exits_1_and_reports_the_node(tmp_path, capsys):
    d = log_blows_up()
    path = tmp_path / "nan.json"
    save(d, path)
    assert main.main(["train", str(path), "--json"]) == 1
    out, err = capsys.readouterr()
    data = json.loads(out)
    assert data["status"] == "failed" and data["error"]["node"] == "y" and data["error"]["update"] == 2
    assert data["parameters"]["w"] == -9.0
    assert "update 2" in err and "'y'" in err
