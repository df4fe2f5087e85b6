"""ONNX export and import, checked against onnxruntime (an independent runtime) and central differences.

Every op on its OP_SAMPLES shapes and every bundled example: the exported model passes onnx.checker and
strict shape inference, and onnxruntime's value of every node equals engine.run's (float64: 1e-9;
float32: 1e-5); imported back, the graph gives the same trace. A hand-built Gemm MLP imports, and its
gradients agree with central differences of onnxruntime's own outputs.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from test_ops_gradcheck import NON_LEAF_OPS, OP_SAMPLES

import engine
import main
from engine.interop.onnx_export import export_onnx, to_onnx
from engine.interop.onnx_import import import_onnx
from graph.validation import validate

onnx = pytest.importorskip("onnx")
ort = pytest.importorskip("onnxruntime", reason="onnxruntime (the dev extra) checks the exported models")
from onnx import TensorProto, helper, numpy_helper  # noqa: E402

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.json"))
RTOL64, ATOL64 = 1e-9, 1e-12
RTOL32, ATOL32 = 1e-5, 1e-6


def op_graph(op_id: str, index: int, seed: int = 0) -> engine.Document:
    """One op fed by parameters holding an OP_SAMPLES value, then summed when it is not a scalar."""
    op = engine.REGISTRY[op_id]
    make, attrs = OP_SAMPLES[op_id][index]
    doc = engine.new_document()
    for port, value in zip(op.inputs, make(np.random.default_rng(seed))):
        doc.add_node("parameter", f"p_{port}", value=np.asarray(value, dtype=np.float64))
    doc.add_node(op_id, "y", attrs=attrs)
    for port in op.inputs:
        doc.connect(f"p_{port}", "y", port)
    if validate(doc, engine.REGISTRY)["y"] != ():
        doc.add_node("sum", "s")
        doc.connect("y", "s", "x")
    return doc


def every_node_an_output(model, shapes: dict[str, tuple[int, ...]], elem: int) -> None:
    """Make every node's value a graph output, so that onnxruntime reports all of them."""
    names = {o.name for o in model.graph.output}
    for node in model.graph.node:
        if node.output[0] not in names:
            model.graph.output.append(
                helper.make_tensor_value_info(node.output[0], elem, list(shapes[node.output[0]]))
            )


def run_ort(model, feeds: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    options = ort.SessionOptions()
    options.log_severity_level = 3
    session = ort.InferenceSession(model.SerializeToString(), options, providers=["CPUExecutionProvider"])
    return dict(zip([o.name for o in session.get_outputs()], session.run(None, feeds)))


def compare_with_ort(doc: engine.Document, float32: bool = False) -> float:
    """Largest |ort − engine| / max(|engine|, atol/rtol) over every node; asserts the tolerance."""
    trace = engine.run(doc)
    model = to_onnx(doc, float32=float32)
    onnx.shape_inference.infer_shapes(model, check_type=True, strict_mode=True)
    elem = TensorProto.FLOAT if float32 else TensorProto.DOUBLE
    every_node_an_output(model, trace.plan.shapes, elem)
    dtype = np.float32 if float32 else np.float64
    feeds = {i.name: np.asarray(trace.value(i.name), dtype=dtype) for i in model.graph.input}
    rtol, atol = (RTOL32, ATOL32) if float32 else (RTOL64, ATOL64)
    worst = 0.0
    for name, got in run_ort(model, feeds).items():
        want = np.asarray(trace.value(name))
        np.testing.assert_allclose(got, want, rtol=rtol, atol=atol, err_msg=name)
        worst = max(
            worst, float(np.max(np.abs(got - want) / np.maximum(np.abs(want), atol / rtol), initial=0))
        )
    return worst


def assert_same_trace(a: engine.Document, b: engine.Document, tol: float = 0.0) -> None:
    ta, tb = engine.run(a), engine.run(b)
    assert ta.output == tb.output
    for node_id in ta.plan.ids:
        np.testing.assert_allclose(tb.value(node_id), ta.value(node_id), rtol=tol, atol=tol, err_msg=node_id)
        np.testing.assert_allclose(tb.grad(node_id), ta.grad(node_id), rtol=tol, atol=tol, err_msg=node_id)


def _op_cases() -> list:
    return [
        pytest.param(op.id, i, id=f"{op.id}-{i}")
        for op in NON_LEAF_OPS
        for i in range(len(OP_SAMPLES[op.id]))
    ]


# ------------------------------------------------------------------------------------------ export
# onnxruntime has no float64 kernel for Erf, which the exported GELU uses (the model is valid ONNX;
# runtimes with a float64 Erf run it): these ops are compared with onnxruntime in float32 only.
NO_FLOAT64_KERNEL = {"gelu"}


@pytest.mark.parametrize(("op_id", "index"), _op_cases())
def test_every_op_runs_in_onnxruntime_as_the_engine_computes_it(op_id, index, tmp_path):
    doc = op_graph(op_id, index)
    if op_id not in NO_FLOAT64_KERNEL:
        compare_with_ort(doc)
    compare_with_ort(doc, float32=True)
    path = tmp_path / "op.onnx"
    export_onnx(doc, path)
    assert_same_trace(doc, import_onnx(path))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_exports_runs_in_onnxruntime_and_comes_back(path, tmp_path):
    doc = engine.load(path)
    assert compare_with_ort(doc) <= RTOL64
    compare_with_ort(doc, float32=True)
    out = tmp_path / "model.onnx"
    assert main.main(["export", str(path), "--to", "onnx", "-o", str(out)]) == 0
    back = tmp_path / "back.json"
    assert main.main(["import", str(out), "-o", str(back)]) == 0
    again = engine.load(back)
    assert_same_trace(doc, again)
    assert {n.id: n.label for n in again.nodes()} == {n.id: n.label for n in doc.nodes()}
    assert {n.id: n.op for n in again.nodes()} == {n.id: n.op for n in doc.nodes()}


def test_the_model_carries_names_labels_inputs_initialisers_and_the_loss_as_an_output():
    doc = engine.load(EXAMPLES[1])  # 02: y = ReLU(x·W1)·W2, L = mse
    model = to_onnx(doc)
    graph = model.graph
    assert [i.name for i in graph.input] == [n.id for n in doc.nodes() if n.op == "input"]
    params = {n.id for n in doc.nodes() if n.op == "parameter"}
    assert params <= {t.name for t in graph.initializer}
    assert graph.output[0].name == doc.training["loss"]
    assert graph.output[0].type.tensor_type.elem_type == TensorProto.DOUBLE
    labelled = {n.id: n.label for n in doc.nodes() if n.label}
    for node in graph.node:
        assert node.name in doc
        if node.name in labelled:
            assert node.doc_string.startswith(labelled[node.name])
    assert to_onnx(doc, float32=True).graph.output[0].type.tensor_type.elem_type == TensorProto.FLOAT


# ------------------------------------------------------------------------------------------ import
def mlp_model(w1, b1, w2, b2, alpha=0.5, beta=2.0):
    """x (1×3) → Gemm(W1ᵀ, b1) → Relu → Gemm(alpha, W2ᵀ, beta·b2): a PyTorch-style 2-layer MLP."""
    inits = [
        numpy_helper.from_array(np.asarray(v, np.float64), n)
        for n, v in (("W1", w1), ("b1", b1), ("W2", w2), ("b2", b2))
    ]
    nodes = [
        helper.make_node("Gemm", ["x", "W1", "b1"], ["h"], name="fc1", transB=1),
        helper.make_node("Relu", ["h"], ["a"], name="act"),
        helper.make_node("Gemm", ["a", "W2", "b2"], ["y"], name="fc2", transB=1, alpha=alpha, beta=beta),
    ]
    graph = helper.make_graph(
        nodes, "mlp", [helper.make_tensor_value_info("x", TensorProto.DOUBLE, [1, 3])],
        [helper.make_tensor_value_info("y", TensorProto.DOUBLE, [1, 2])], inits,
    )  # fmt: skip
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=9)


MLP = {
    "W1": np.array([[0.2, -0.5, 0.1], [0.7, 0.3, -0.2], [-0.4, 0.6, 0.5], [0.1, 0.1, -0.9]]),
    "b1": np.array([0.1, -0.2, 0.05, 0.3]),
    "W2": np.array([[0.3, -0.6, 0.2, 0.5], [-0.1, 0.4, 0.8, -0.3]]),
    "b2": np.array([0.05, -0.1]),
}
X = np.array([[0.5, -1.0, 2.0]])
T = np.array([[0.3, -0.2]])


def ort_loss(params: dict[str, np.ndarray]) -> float:
    y = run_ort(mlp_model(**{k.lower(): v for k, v in params.items()}), {"x": X})["y"]
    return float(np.mean((y - T) ** 2))


def test_a_gemm_mlp_imports_runs_and_its_gradients_agree_with_central_differences(tmp_path):
    path = tmp_path / "mlp.onnx"
    onnx.save(mlp_model(**{k.lower(): v for k, v in MLP.items()}), path)
    out = tmp_path / "mlp.json"
    argv = ["import", str(path), "-o", str(out), "--loss", "mse", "--target", "[[0.3, -0.2]]"]
    assert main.main([*argv, "--input-value", "x=[[0.5, -1, 2]]"]) == 0
    doc = engine.load(out)
    trace = engine.run(doc)
    assert trace.loss == pytest.approx(ort_loss(MLP), rel=1e-12)
    y_id = doc.inputs_of(doc.training["loss"])["pred"]
    np.testing.assert_allclose(
        trace.value(y_id),
        run_ort(mlp_model(**{k.lower(): v for k, v in MLP.items()}), {"x": X})["y"],
        rtol=1e-12,
    )
    h = 1e-6
    for name, value in MLP.items():
        numeric = np.zeros_like(value)
        for i in np.ndindex(value.shape):
            up, down = {k: v.copy() for k, v in MLP.items()}, {k: v.copy() for k, v in MLP.items()}
            up[name][i] += h
            down[name][i] -= h
            numeric[i] = (ort_loss(up) - ort_loss(down)) / (2 * h)
        np.testing.assert_allclose(trace.grad(name), numeric, rtol=1e-6, atol=1e-9, err_msg=name)
    assert all(n.position is not None for n in doc.nodes())
    assert {n.op for n in doc.nodes() if n.id in MLP} == {"parameter"}


def test_rows_given_for_an_input_and_the_target_become_the_dataset(tmp_path):
    path = tmp_path / "mlp.onnx"
    onnx.save(mlp_model(**{k.lower(): v for k, v in MLP.items()}), path)
    out = tmp_path / "mlp.json"
    xs = "[[[0.5, -1, 2]], [[1, 0, 0]], [[0, 1, 0]]]"
    ts = "[[[0.3, -0.2]], [[0, 0]], [[1, 1]]]"
    argv = ["import", str(path), "-o", str(out), "--loss", "mse", "--target", ts, "--input-value", f"x={xs}"]
    assert main.main(argv) == 0
    doc = engine.load(out)
    np.testing.assert_array_equal(doc.node("x").value, X)
    assert {k: np.shape(v) for k, v in doc.dataset_columns().items()} == {"x": (3, 1, 3), "target": (3, 1, 2)}
    assert main.main(["train", str(out), "--json"]) == 0


# ------------------------------------------------------------------------------------------ hostile
def _write(path: Path, model) -> Path:
    path.write_bytes(model.SerializeToString())
    return path


def _one_line_exit_2(capsys, model_path: Path, tmp_path: Path, *words: str) -> str:
    out = tmp_path / "out.json"
    assert main.main(["import", str(model_path), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: ") and str(model_path) in err
    for word in words:
        assert word in err
    assert not out.exists()
    return err


def _unary(op_type: str, shape=(2,), **attrs):
    graph = helper.make_graph(
        [helper.make_node(op_type, ["x"], ["y"], name="the_node", **attrs)], "g",
        [helper.make_tensor_value_info("x", TensorProto.DOUBLE, list(shape))],
        [helper.make_tensor_value_info("y", TensorProto.DOUBLE, list(shape))],
    )  # fmt: skip
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)])


def test_not_onnx(tmp_path, capsys):
    path = tmp_path / "notes.onnx"
    path.write_text("these are my notes, not a model\n")
    _one_line_exit_2(capsys, path, tmp_path, "not an ONNX model")


def test_truncated(tmp_path, capsys):
    data = to_onnx(engine.load(EXAMPLES[1])).SerializeToString()
    path = tmp_path / "cut.onnx"
    path.write_bytes(data[: len(data) // 2])
    _one_line_exit_2(capsys, path, tmp_path)


def test_unsupported_operator_is_named_with_its_node(tmp_path, capsys):
    path = _write(tmp_path / "hs.onnx", _unary("HardSigmoid"))
    _one_line_exit_2(capsys, path, tmp_path, "HardSigmoid", "the_node")


def test_dynamic_shapes_need_a_value(tmp_path, capsys):
    path = _write(tmp_path / "dyn.onnx", _unary("Relu", shape=("N", 3)))
    _one_line_exit_2(capsys, path, tmp_path, "dynamic shape", "--input-value")


def test_an_initialiser_of_10_to_the_8_elements_is_refused_before_its_data_is_read(tmp_path, capsys):
    model = _unary("Add")
    model.graph.node[0].input.append("W")
    big = TensorProto(name="W", data_type=TensorProto.DOUBLE, dims=[10_000, 10_000])
    model.graph.initializer.append(big)
    path = _write(tmp_path / "big.onnx", model)
    _one_line_exit_2(capsys, path, tmp_path, "100,000,000 elements")


def test_external_data_outside_the_models_folder_is_not_read(tmp_path, capsys, monkeypatch):
    secret = tmp_path / "secret.bin"
    secret.write_bytes(np.arange(2, dtype=np.float64).tobytes())
    folder = tmp_path / "models"
    folder.mkdir()
    model = _unary("Add")
    model.graph.node[0].input.append("W")
    w = TensorProto(name="W", data_type=TensorProto.DOUBLE, dims=[2], data_location=TensorProto.EXTERNAL)
    w.external_data.add(key="location", value="../secret.bin")
    model.graph.initializer.append(w)
    path = _write(folder / "ext.onnx", model)
    opened = []
    real_open = open

    def spy(file, *args, **kwargs):
        opened.append(Path(file).resolve())
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("builtins.open", spy)
    _one_line_exit_2(capsys, path, tmp_path, "../secret.bin", "model's folder")
    assert secret.resolve() not in opened


def test_external_data_inside_the_folder_is_read(tmp_path):
    (tmp_path / "w.bin").write_bytes(np.array([1.5, -2.0]).tobytes())
    model = _unary("Add")
    model.graph.node[0].input.append("W")
    w = TensorProto(name="W", data_type=TensorProto.DOUBLE, dims=[2], data_location=TensorProto.EXTERNAL)
    w.external_data.add(key="location", value="w.bin")
    model.graph.initializer.append(w)
    doc = import_onnx(_write(tmp_path / "ext.onnx", model))
    np.testing.assert_array_equal(doc.node("W").value, [1.5, -2.0])


def test_the_metadata_is_only_data(tmp_path):
    model = to_onnx(engine.load(EXAMPLES[0]))
    model.metadata_props[0].value = json.dumps({"labels": {"x": "x₀", "nope": 3}, "constants": "not a list"})
    doc = import_onnx(_write(tmp_path / "m.onnx", model))
    assert doc.node("x").label == "x₀"


def test_flatten_and_reshape_import_as_reshape_nodes(tmp_path):
    shape = numpy_helper.from_array(np.array([3, -1], dtype=np.int64), "shape")
    w = numpy_helper.from_array(np.array([[1.0, -2.0], [0.5, 3.0]]), "W")
    graph = helper.make_graph(
        [
            helper.make_node("Flatten", ["x"], ["flat"], name="flatten", axis=0),
            helper.make_node("Reshape", ["flat", "shape"], ["r"], name="reshape"),
            helper.make_node("MatMul", ["r", "W"], ["y"], name="mm"),
        ],
        "g",
        [helper.make_tensor_value_info("x", TensorProto.DOUBLE, [2, 3])],
        [helper.make_tensor_value_info("y", TensorProto.DOUBLE, [3, 2])],
        [shape, w],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)])
    x = np.array([[1.0, 2.0, 3.0], [-1.0, 0.5, 4.0]])
    want = run_ort(model, {"x": x})["y"]
    doc = import_onnx(_write(tmp_path / "r.onnx", model), input_values={"x": x})
    assert {n.id: n.op for n in doc.nodes()}["flatten"] == "reshape"
    doc.add_node("sum", "s")
    doc.connect("mm", "s", "x")
    np.testing.assert_allclose(engine.run(doc).value("mm"), want, rtol=1e-15)
    assert engine.run(doc).grad("W") == pytest.approx(
        np.array([[x.ravel()[::2].sum()] * 2, [x.ravel()[1::2].sum()] * 2])
    )


def test_a_dynamic_shape_takes_the_value_given(tmp_path):
    path = _write(tmp_path / "dyn.onnx", _unary("Relu", shape=("N", 3)))
    doc = import_onnx(path, input_values={"x": np.array([[1.0, -2.0, 3.0], [-4.0, 5.0, -6.0]])})
    doc.add_node("sum", "s")
    doc.connect("the_node", "s", "x")
    assert engine.run(doc).loss == 9.0


def test_cli_errors_exit_2_with_one_line_and_write_nothing(tmp_path, capsys):
    out = tmp_path / "out.onnx"
    bad_graph = tmp_path / "two_sinks.json"
    doc = engine.load(EXAMPLES[0])
    doc.add_node("neg", "extra")
    doc.connect("x", "extra", "x")
    engine.save(doc, bad_graph)
    cases = [
        ["export", str(bad_graph), "--to", "onnx", "-o", str(out)],
        ["export", str(EXAMPLES[0]), "--to", "pytorch", "--float32", "-o", str(out)],
        ["export", str(EXAMPLES[0]), "--to", "onnx", "-o", str(tmp_path / "missing" / "m.onnx")],
        ["import", str(tmp_path / "absent.onnx"), "-o", str(out)],
        ["import", str(EXAMPLES[0]), "-o", str(out), "--input-value", "x"],
    ]
    for argv in cases:
        assert main.main(argv) == 2, argv
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith("error: "), argv
        assert not out.exists()


def test_import_help_says_a_py_file_is_run(capsys):
    with pytest.raises(SystemExit):
        main.main(["import", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "RUNS model.py" in text and "nothing in it is executed" in text
