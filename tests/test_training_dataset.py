"""The dataset table as data: CSV export/import with vector inputs flattened, cell edits, rows."""

import numpy as np
import pytest

import engine
from engine.train.dataset import DatasetError, from_csv, to_csv, with_cell, with_row_added, with_rows_removed
from graph.document import Document


def doc() -> Document:
    d = Document(engine.REGISTRY)
    d.add_node("input", "x", value=[0.0, 0.0])
    d.add_node("input", "t", value=0.0)
    d.add_node("parameter", "w", value=[1.0, 1.0])
    d.dataset = {"columns": {"x": np.array([[0.0, 1.0], [1.0, 0.0]]), "t": np.array([1.0, 1.0])}}
    return d


def test_csv_round_trip():
    d = doc()
    text = to_csv(d)
    assert text.splitlines()[0] == "x[0],x[1],t"
    assert text.splitlines()[1] == "0.0,1.0,1.0"
    back = from_csv(text, d)
    assert np.array_equal(back["columns"]["x"], d.dataset["columns"]["x"])
    assert np.array_equal(back["columns"]["t"], [1.0, 1.0])


def test_csv_errors_name_the_place():
    d = doc()
    with pytest.raises(DatasetError, match="'w' does not name an input"):
        from_csv("w\n1\n", d)
    with pytest.raises(DatasetError, match="line 3"):
        from_csv("x[0],x[1],t\n1,2,3\n1,two,3\n", d)
    with pytest.raises(DatasetError, match="shape"):
        from_csv("x[0],t\n1,3\n", d)


def test_cells_and_rows():
    d = doc()
    ds = with_cell(d, 1, "t", np.array(5.0))
    assert np.array_equal(ds["columns"]["t"], [1.0, 5.0])
    ds = with_cell(d, 2, "x", np.array([7.0, 8.0]))  # a new row, others padded with the last row
    assert ds["columns"]["x"].shape == (3, 2) and np.array_equal(ds["columns"]["t"], [1, 1, 1])
    with pytest.raises(DatasetError, match="shape"):
        with_cell(d, 0, "x", np.array([1.0, 2.0, 3.0]))
    assert len(with_row_added(d)["columns"]["t"]) == 3
    assert np.array_equal(with_rows_removed(d, [0])["columns"]["x"], [[1.0, 0.0]])
    assert "columns" not in with_rows_removed(d, [0, 1])
