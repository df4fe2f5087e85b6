"""Mini-batch training with a batch's rows stacked in one pass gives the loop over rows' numbers."""

from __future__ import annotations

import numpy as np
import pytest

import engine
from engine.train.trainer import Trainer
from graph.document import Document


def _two_moons(through_transpose: bool, mode: str) -> Document:
    """Example 11; with through_transpose, p goes through a transpose on its way to the loss (of a
    1-D vector: the same numbers), which does not act row by row, so the rows go one by one."""
    doc = engine.load("examples/11_two_moons.json")
    doc.set_training({**doc.training, "epochs": 3, "mode": mode})
    if through_transpose:
        doc.disconnect("p", "L", "pred")
        doc.add_node("transpose", "pT")
        doc.connect("p", "pT", "x")
        doc.connect("pT", "L", "pred")
    return doc


@pytest.mark.parametrize("mode", ["minibatch", "batch"])
def test_stacked_rows_train_like_the_loop_over_rows(mode):
    stacked = Trainer.create(_two_moons(False, mode))
    one_by_one = Trainer.create(_two_moons(True, mode))
    assert stacked.rows_one_by_one is None
    assert one_by_one.rows_one_by_one == "node 'pT' (transpose) does not act row by row"
    stacked.run()
    one_by_one.run()
    assert len(stacked.history) == len(one_by_one.history) >= 3
    assert np.allclose(stacked.history, one_by_one.history, rtol=1e-12, atol=1e-12)
    for node_id, value in one_by_one.parameters().items():
        assert np.allclose(stacked.parameters()[node_id], value, rtol=1e-11, atol=1e-12), node_id
