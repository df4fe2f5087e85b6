"""The train/test split: `training.test_fraction` holds rows out of training; their loss after each
epoch is the test loss."""

import numpy as np
import pytest
from helpers import op

import engine
from engine.train.errors import TrainingError
from engine.train.order import split_rows
from engine.train.settings import settings_from
from engine.train.trainer import Trainer, train
from graph.document import Document


def regression(rows: np.ndarray, targets: np.ndarray, **training) -> Document:
    """ŷ = w·x + b, L = (ŷ − t)², one row per update in the given order."""
    d = Document(engine.REGISTRY)
    d.add_node("input", "x")
    d.add_node("parameter", "w", value=[0.5])
    d.add_node("parameter", "b", value=[0.0])
    d.add_node("input", "t")
    op(d, "mul", "wx", a="x", b="w")
    op(d, "add", "y", a="wx", b="b")
    op(d, "mse", "L", pred="y", target="t")
    d.set_dataset({"columns": {"x": rows.reshape(-1, 1), "t": targets.reshape(-1, 1)}})
    d.set_training({"loss": "L", "lr": 0.05, "epochs": 3, "order": "sequential", **training})
    return d


def test_split_rows_holds_out_a_share_chosen_by_the_seed():
    train_rows, test_rows = split_rows(10, 0.3, seed=4)
    assert len(test_rows) == 3 and len(train_rows) == 7
    assert sorted([*train_rows, *test_rows]) == list(range(10))
    np.testing.assert_array_equal(split_rows(10, 0.3, seed=4)[1], test_rows)
    assert len(split_rows(10, 0.0, seed=4)[1]) == 0
    assert len(split_rows(1, 0.9, seed=0)[0]) == 1  # one row always stays for training


def test_training_skips_the_test_rows_and_reports_their_loss():
    x = np.arange(10, dtype=float)
    t = 2 * x + 1
    doc = regression(x, t, test_fraction=0.3, seed=4)
    result = train(doc)
    train_rows, test_rows = split_rows(10, 0.3, seed=4)
    # independently: the same training on a dataset of the training rows only
    alone = train(regression(x[train_rows], t[train_rows]))
    for p in ("w", "b"):
        np.testing.assert_allclose(result.parameters[p], alone.parameters[p], rtol=0, atol=1e-15)
    assert len(result.history) == 3 * 7 and result.updates_per_epoch == 7
    assert len(result.test_losses) == 3
    w, b = result.parameters["w"][0], result.parameters["b"][0]
    expected = np.mean((w * x[test_rows] + b - t[test_rows]) ** 2)
    assert result.test_losses[-1] == pytest.approx(expected, rel=1e-12)


def test_no_split_is_the_old_behaviour_and_the_file_stays_the_same():
    doc = regression(np.arange(4.0), np.arange(4.0))
    settings = settings_from(doc.training)
    assert settings.test_fraction == 0.0 and "test_fraction" not in settings.to_json()
    assert train(doc).test_losses == []
    assert settings_from({"test_fraction": 0.25}).to_json()["test_fraction"] == 0.25
    with pytest.raises(TrainingError, match="test_fraction"):
        settings_from({"test_fraction": 1.0})


def test_progress_carries_the_test_losses():
    x = np.arange(10, dtype=float)
    trainer = Trainer.create(regression(x, x, test_fraction=0.2, epochs=2))
    reports = []
    trainer.run(progress=reports.append, interval=0.0)
    assert sum(len(p.test_losses) for p in reports) == 2
    assert trainer.result().to_json()["test_losses"] == trainer.test_losses


@pytest.mark.parametrize("lang, name", [("en", "test loss"), ("ru", "функция потерь на тестовой выборке")])
def test_the_command_line_prints_the_test_loss(tmp_path, capsys, lang, name):
    import main
    from graph.file_format import load, save

    x = np.arange(10, dtype=float)
    t = 2 * x + 1
    path, out = tmp_path / "split.json", tmp_path / "trained.json"
    save(regression(x, t, test_fraction=0.3, seed=4), path)
    assert main.main(["train", str(path), "--out", str(out), "--lang", lang]) == 0
    summary = capsys.readouterr().out.splitlines()[0]
    trained = load(out, engine.REGISTRY)
    w, b = float(trained.node("w").value[0]), float(trained.node("b").value[0])
    test_rows = split_rows(10, 0.3, seed=4)[1]
    expected = np.mean((w * x[test_rows] + b - t[test_rows]) ** 2)  # the held-out rows, by hand
    printed = summary.rsplit(" · ", 1)[1]
    assert printed.startswith(name + " ")
    assert float(printed.removeprefix(name + " ")) == pytest.approx(expected, rel=1e-5)


def test_the_command_line_says_no_test_loss_without_a_split(tmp_path, capsys):
    import main
    from graph.file_format import save

    path = tmp_path / "all.json"
    save(regression(np.arange(4.0), np.arange(4.0)), path)
    assert main.main(["train", str(path), "--lang", "en"]) == 0
    assert "test loss" not in capsys.readouterr().out
