"""One entry point for importing a model, whatever its kind: the file name decides.

``model.onnx`` (any name not below) is read as ONNX data; ``model.py:ClassName`` and a saved module
(``.pt``/``.pth``) go through torch.fx, which needs torch (an optional extra) and runs Python code.
"""

from __future__ import annotations

import re
from typing import Any

from graph.document import Document

TORCH_SUFFIXES = (".pt", ".pth")
PY_CLASS = re.compile(r"^(?P<path>.+\.py):(?P<name>[A-Za-z_][A-Za-z0-9_]*)$")


def runs_code(spec: str) -> bool:
    """Whether importing `spec` executes Python code (a .py file, or unpickling a saved module)."""
    return bool(PY_CLASS.match(spec)) or spec.lower().endswith(TORCH_SUFFIXES)


def import_model(
    spec: str,
    *,
    loss: str | None = None,
    target: Any = None,
    input_values: dict[str, Any] | None = None,
) -> Document:
    """The model as a laid-out graph (raises ModelImportError naming the file and the node)."""
    if runs_code(spec):
        from engine.interop.pytorch_import import import_pytorch

        return import_pytorch(spec, loss=loss, target=target, input_values=input_values)
    from engine.interop.onnx_import import import_onnx

    return import_onnx(spec, loss=loss, target=target, input_values=input_values)
