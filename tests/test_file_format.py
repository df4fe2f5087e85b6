"""Graph files: round trips, unknown keys, hostile input (every failure is one clear message)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from helpers import f_xy, masha_relu
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import engine
from graph.document import Document
from graph.errors import FileFormatError
from graph.file_format import dumps, load, loads, save

ROOT = Path(__file__).resolve().parent.parent


def _doc_text(nodes, edges, **extra):
    return json.dumps(
        {"format": "backprop-studio-graph", "version": 1, "nodes": nodes, "edges": edges, **extra}
    )


def test_design_example_round_trips_and_keeps_unknown_keys(tmp_path):
    text = _doc_text(
        [
            {"id": "x", "op": "input", "value": [1, 2], "mine": {"a": 1}},
            {"id": "W1", "op": "parameter", "value": [[1, -1], [0.5, 0]], "init": {"kind": "zeros"}},
            {"id": "H", "op": "matmul"},
            {"id": "A", "op": "leaky_relu", "attrs": {"alpha": 0.3}, "position": [240, 80], "label": "a₁"},
        ],
        [
            {"source": "x", "target": "H", "port": "a", "note": "kept"},
            {"source": "W1", "target": "H", "port": "b"},
            {"source": "H", "target": "A", "port": "x"},
        ],
        dataset={"columns": {"x": [[0.5, 2]], "t": [42]}, "name": "tiny"},
        training={"loss": "A", "lr": 0.1, "future_setting": True},
        future={"x": [1, 2]},
    )
    doc = loads(text, engine.REGISTRY)
    path = tmp_path / "g.json"
    save(doc, path)
    again = load(path, engine.REGISTRY)
    assert dumps(again) == dumps(doc)
    data = json.loads(path.read_text())
    assert data["future"] == {"x": [1, 2]}
    assert data["nodes"][0]["mine"] == {"a": 1}
    assert data["edges"][0]["note"] == "kept"
    assert data["dataset"]["name"] == "tiny"
    assert data["training"]["future_setting"] is True
    assert again.node("A").label == "a₁"


def test_float64_values_are_bit_exact(tmp_path):
    rng = np.random.default_rng(0)
    value = rng.normal(size=(3, 4)) * 10.0 ** rng.integers(-300, 300, size=(3, 4))
    value[0, 0] = -0.0
    value[0, 1] = 2.0**60
    d = Document(engine.REGISTRY)
    d.add_node("parameter", "w", value=value)
    save(d, tmp_path / "w.json")
    back = load(tmp_path / "w.json", engine.REGISTRY).node("w").value
    assert back.tobytes() == value.tobytes()


def test_save_is_atomic_and_keeps_old_file_on_failure(tmp_path, monkeypatch):
    path = tmp_path / "g.json"
    save(f_xy(), path)
    before = path.read_text()

    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", boom)
    with pytest.raises(OSError) as err:
        save(masha_relu(), path)
    assert path.read_text() == before
    assert [p.name for p in tmp_path.iterdir()] == ["g.json"]
    assert err.value.filename == str(path) and ".tmp" not in str(err.value)


def test_saving_through_a_symlink_writes_its_target(tmp_path):
    real = tmp_path / "real" / "g.json"
    real.parent.mkdir()
    save(f_xy(), real)
    link = tmp_path / "link.json"
    link.symlink_to(real)
    save(masha_relu(), link)
    assert link.is_symlink() and link.resolve() == real
    assert loads(real.read_text(), engine.REGISTRY).node_ids() == masha_relu().node_ids()


def test_saving_into_a_missing_folder_names_the_file(tmp_path):
    path = tmp_path / "no such folder" / "g.json"
    with pytest.raises(OSError) as err:
        save(f_xy(), path)
    assert err.value.filename == str(path)


HOSTILE = {
    "not json": ("{nodes: []", "not valid JSON"),
    "not an object": ("[1, 2]", "JSON object"),
    "wrong format": ('{"format": "other", "version": 1}', '"format"'),
    "newer version": ('{"format": "backprop-studio-graph", "version": 7}', "newer"),
    "unknown op": (_doc_text([{"id": "a", "op": "os.system"}], []), "unknown op 'os.system'"),
    "dangling edge": (
        _doc_text([{"id": "a", "op": "input", "value": 1}], [{"source": "a", "target": "zz", "port": "x"}]),
        "'zz' that does not exist",
    ),
    "duplicate id": (
        _doc_text([{"id": "a", "op": "input", "value": 1}, {"id": "a", "op": "input", "value": 2}], []),
        "'a' is used twice",
    ),
    "cycle": (
        _doc_text(
            [{"id": "p", "op": "square"}, {"id": "q", "op": "square"}],
            [{"source": "p", "target": "q", "port": "x"}, {"source": "q", "target": "p", "port": "x"}],
        ),
        "cycle",
    ),
    "ragged": (_doc_text([{"id": "a", "op": "input", "value": [[1, 2], [3]]}], []), "ragged"),
    "string value": (
        _doc_text([{"id": "a", "op": "input", "value": "__import__('os')"}], []),
        "not a number",
    ),
    "nan": (
        '{"format": "backprop-studio-graph", "version": 1, "nodes": [{"id": "a", "op": "input", '
        '"value": NaN}]}',
        "NaN",
    ),
    "deep nesting": ("[" * 100000 + "]" * 100000, "nested"),
    "deep value": (_doc_text([{"id": "a", "op": "input", "value": [[[[[[[[[[1]]]]]]]]]]}], []), "nested"),
    "huge array": (
        _doc_text([{"id": "a", "op": "input", "value": [[0] * 1000] * 10001}], []),
        "more than 10,000,000 elements",
    ),
    "huge integer": ('{"format": "backprop-studio-graph", "version": 1, "x": ' + "9" * 5000 + "}", "JSON"),
    "bad port": (
        _doc_text(
            [{"id": "a", "op": "input", "value": 1}, {"id": "b", "op": "square"}],
            [{"source": "a", "target": "b", "port": "y"}],
        ),
        "no input port 'y'",
    ),
    "port twice": (
        _doc_text(
            [
                {"id": "a", "op": "input", "value": 1},
                {"id": "c", "op": "input", "value": 1},
                {"id": "b", "op": "square"},
            ],
            [{"source": "a", "target": "b", "port": "x"}, {"source": "c", "target": "b", "port": "x"}],
        ),
        "already fed",
    ),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_files_give_one_clear_message(name):
    text, expected = HOSTILE[name]
    with pytest.raises(FileFormatError) as err:
        loads(text, engine.REGISTRY, source="bad.json")
    message = str(err.value)
    assert message.startswith("bad.json")
    assert expected in message
    assert "\n" not in message


def test_error_names_the_line():
    text = '{\n"format": "backprop-studio-graph", "version": 1,\n"nodes": [\n{"id": "a", "op": "nope"}\n]}'
    with pytest.raises(FileFormatError, match=r"^bad.json:4: ") as err:
        loads(text, engine.REGISTRY, source="bad.json")
    assert err.value.line == 4


def test_cli_exit_status_2_and_one_line(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(HOSTILE["dangling edge"][0])
    proc = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "run", str(path)], capture_output=True, text=True, cwd=ROOT
    )
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1
    assert "Traceback" not in proc.stderr
    assert "'zz'" in proc.stderr


# ----- property tests

finite = st.floats(allow_nan=False, allow_infinity=False, width=64)


@st.composite
def documents(draw):
    d = Document(engine.REGISTRY)
    n = draw(st.integers(1, 6))
    for i in range(n):
        shape = draw(st.sampled_from([(), (2,), (2, 3)]))
        size = int(np.prod(shape))
        values = draw(st.lists(finite, min_size=size, max_size=size))
        op = draw(st.sampled_from(["input", "parameter", "constant"]))
        label = draw(st.one_of(st.none(), st.text(min_size=1, max_size=5)))
        pos = draw(st.one_of(st.none(), st.tuples(finite, finite)))
        d.add_node(op, f"n{i}", value=np.array(values).reshape(shape), label=label, position=pos)
    for j in range(draw(st.integers(0, 3))):
        d.add_node("square", f"s{j}")
        d.connect(f"n{draw(st.integers(0, n - 1))}", f"s{j}", "x")
    d.description = draw(st.text(max_size=20))
    return d


@given(documents())
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_round_trip_property(doc):
    text = dumps(doc)
    again = loads(text, engine.REGISTRY)
    assert dumps(again) == text
    for node in doc.nodes():
        other = again.node(node.id)
        assert (node.value is None) == (other.value is None)
        if node.value is not None:
            assert node.value.tobytes() == other.value.tobytes()


@given(st.data())
@settings(max_examples=200, deadline=None)
def test_random_corruption_never_crashes_the_loader(data):
    text = dumps(masha_relu())
    kind = data.draw(st.sampled_from(["delete", "insert", "replace", "truncate"]))
    i = data.draw(st.integers(0, len(text) - 1))
    if kind == "delete":
        text = text[:i] + text[i + 1 :]
    elif kind == "insert":
        text = text[:i] + data.draw(st.sampled_from(list('[]{}",:0-.e9ax '))) + text[i:]
    elif kind == "replace":
        text = text[:i] + data.draw(st.sampled_from(list('[]{}",:0-.e9ax '))) + text[i + 1 :]
    else:
        text = text[:i]
    try:
        loads(text, engine.REGISTRY)
    except FileFormatError as err:
        assert "\n" not in str(err)


def _one_node_file(node_json: str, training: str = "{}") -> str:
    return (
        '{"format": "backprop-studio-graph", "version": 1,\n'
        f'"nodes": [\n{{"id": "a", "op": "input", "value": 1}},\n{node_json}\n],\n'
        f'"training": {training}\n}}'
    )


@pytest.mark.parametrize(
    ("node", "training", "line"),
    [
        ('{"id": "r", "op": "leaky_relu", "attrs": {"alpha": 1' + "0" * 400 + "}}", "{}", 4),
        ('{"id": "p", "op": "input", "value": 1, "position": [0, 1e309]}', "{}", 4),
        ('{"id": "p", "op": "input", "value": -1e400}', "{}", 4),
        ('{"id": "p", "op": "input", "value": 1}', '{"lr": 1' + "0" * 400 + "}", 6),
        ('{"id": "p", "op": "parameter", "value": 1, "init": {"fan_in": -1' + "0" * 320 + "}}", "{}", 4),
    ],
)
def test_numbers_beyond_float_range_are_refused_with_their_line(node, training, line):
    with pytest.raises(FileFormatError) as err:
        loads(_one_node_file(node, training), engine.REGISTRY, source="big.json")
    message = str(err.value)
    assert message.startswith(f"big.json:{line}: ")
    assert "outside the range of floating-point numbers" in message
    assert "\n" not in message and len(message) < 200


def test_the_largest_float_and_integers_within_range_still_load():
    doc = loads(_one_node_file('{"id": "p", "op": "input", "value": [1.7976931348623157e308, 10000000000]}'),
                engine.REGISTRY)
    assert doc.node("p").value.tolist() == [1.7976931348623157e308, 1e10]


def test_edge_and_node_errors_name_their_line_in_a_long_file():
    nodes = ",\n".join(f'{{"id": "n{i}", "op": "input", "value": {i}}}' for i in range(2000))
    edges = ",\n".join(['{"source": "n0", "target": "n1", "port": "x"}'])
    text = ('{"format": "backprop-studio-graph", "version": 1,\n"nodes": [\n' + nodes +
            ',\n{"id": "bad", "op": "nope"}\n],\n"edges": [\n' + edges + "\n]}")
    with pytest.raises(FileFormatError, match=r"^f.json:2003: ") as err:  # lines 1-2 header, n0 on line 3
        loads(text, engine.REGISTRY, source="f.json")
    assert err.value.node == "bad"
    text = text.replace(',\n{"id": "bad", "op": "nope"}', "")
    with pytest.raises(FileFormatError, match=r"^f.json:2005: edges\[0\]") as err:
        loads(text, engine.REGISTRY, source="f.json")
