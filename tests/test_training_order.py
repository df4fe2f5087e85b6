"""The one reader of a typed row order (command line: 0-based; the window: numbered from 1), and the
training results as plain JSON data (what `train --json` prints and the window's worker sends)."""

import json

import numpy as np
import pytest
from helpers import log_blows_up, perceptron

from engine.train.errors import TrainingError
from engine.train.order import parse_order
from engine.train.results import TrainResult
from engine.train.trainer import train


@pytest.mark.parametrize(
    "text, base, rows, expected",
    [
        ("sequential", 0, None, "sequential"),
        ("  shuffle ", 1, 4, "shuffle"),
        ("reverse", 0, 3, "reverse"),
        ("1,0", 0, 2, [1, 0]),
        ("2 2 0", 0, 3, [2, 2, 0]),
        ("2, 1", 1, 4, [1, 0]),  # the window's observation numbers 2 and 1 are rows 1 and 0
        ("4,1 ,  3", 1, 4, [3, 0, 2]),
        ("7", 0, None, [7]),  # without a row count only the lower end is known
    ],
)
def test_good_orders(text, base, rows, expected):
    assert parse_order(text, base=base, rows=rows) == expected


@pytest.mark.parametrize(
    "text, base, rows, named, span",
    [
        ("1, x, 2", 1, 4, "'x' is not a row number", "1 … 4"),
        ("sideways", 0, 3, "'sideways' is not sequential, reverse, shuffle or a row number", "0 … 2"),
        ("0, 1", 1, 4, "row 0 is out of range", "1 … 4"),  # 0 is below the first observation
        ("5", 1, 4, "row 5 is out of range", "1 … 4"),
        ("3", 0, 3, "row 3 is out of range", "0-based: 0 … 2"),
        ("-1", 0, None, "row -1 is out of range", "≥ 0"),
        ("1.5", 0, 3, "'1.5' is not", "0 … 2"),
        ("", 1, 4, "no row numbers given", "1 … 4"),
        (" , ", 1, 4, "no row numbers given", "1 … 4"),
    ],
)
def test_bad_entries_are_refused_with_the_entry_and_the_range(text, base, rows, named, span):
    with pytest.raises(TrainingError) as err:
        parse_order(text, base=base, rows=rows)
    message = str(err.value)
    assert err.value.key == "order" and message.startswith("training 'order': ")
    assert named in message and span in message and "\n" not in message


def test_result_json_round_trip():
    result = train(perceptron(epochs=3), record_grad_norms=True)
    data = json.loads(json.dumps(result.to_json()))  # plain JSON
    back = TrainResult.from_json(data)
    assert back.history == result.history and back.epoch_losses == result.epoch_losses
    assert back.parameters.keys() == {"w"} and np.array_equal(back.parameters["w"], result.parameters["w"])
    assert back.parameters["w"].dtype == np.float64
    assert (back.final_loss, back.updates, back.epochs, back.status) == (
        result.final_loss, 3, 3, "finished",
    )  # fmt: skip
    assert back.grad_norms == result.grad_norms and back.updates_per_epoch == 1
    assert back.settings == result.settings and back.error is None
    assert back.loss_csv() == result.loss_csv()


def test_result_json_round_trip_keeps_the_error():
    result = train(log_blows_up())
    back = TrainResult.from_json(json.loads(json.dumps(result.to_json())))
    assert back.status == "failed" and float(back.parameters["w"]) == -9.0
    assert str(back.error) == str(result.error) and back.error.node == "y"
    assert (back.error.update, back.error.epoch, back.error.phase) == (2, 2, result.error.phase)
    assert back.error.row == result.error.row
