"""File ▸ Export ▸ PyTorch… / ONNX… and File ▸ Import Model…: the file dialogs around engine/interop.

Importing a .py file runs it (and unpickling a saved module runs code too), so the window asks first;
an ONNX file is only read. An imported model opens as a new, unsaved graph.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from graph.errors import GraphError

EXPORTS = {
    "pytorch": ("Export as PyTorch code", ".py", "Python script (*.py)"),
    "onnx": ("Export as ONNX model", ".onnx", "ONNX model (*.onnx)"),
}
IMPORT_FILTER = "Models (*.onnx *.py *.pt *.pth);;ONNX model (*.onnx);;PyTorch module (*.py *.pt *.pth)"


def export_model(window: Any, kind: str, path: str | None = None) -> bool:
    """Write the window's graph as `kind` ("pytorch" or "onnx"); asks for the file when `path` is None."""
    title, suffix, file_filter = EXPORTS[kind]
    if path is None:
        current = window.bridge.file_path
        base = Path(current).with_suffix(suffix) if current else Path("model" + suffix)
        path, _ = QFileDialog.getSaveFileName(window, title, str(base), file_filter)
        if not path:
            return False
    try:
        if kind == "onnx":
            from engine.interop.onnx_export import export_onnx

            export_onnx(window.bridge.doc, path)
        else:
            from engine.interop.pytorch_export import export_pytorch

            name = Path(window.bridge.file_path).name if window.bridge.file_path else None
            export_pytorch(window.bridge.doc, path, title=name)
    except (GraphError, OSError) as err:
        window._error("Cannot export the graph", str(err))
        return False
    window.statusBar().showMessage(f"exported {path}", 4000)
    return True


def _spec(window: Any, path: str) -> str | None:
    """What to import: the ONNX file, or (after the user agreed to run code) a module in a .py or .pt."""
    if path.lower().endswith(".onnx"):
        return path
    if path.lower().endswith(".py"):
        name, ok = QInputDialog.getText(window, "Import a PyTorch module", "Class name in the file:")
        if not ok or not name.strip():
            return None
        spec = f"{path}:{name.strip()}"
    else:
        spec = path
    answer = QMessageBox.question(
        window,
        "Run this file?",
        f"Importing {Path(path).name} runs the Python code in it, as running the file would. "
        "Only do this with files you trust. Continue?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return spec if answer == QMessageBox.StandardButton.Yes else None


def import_model_dialog(window: Any, path: str | None = None) -> bool:
    """Open a model as a new, unsaved graph; asks for the file when `path` is None."""
    if not window.maybe_save():
        return False
    if path is None:
        path, _ = QFileDialog.getOpenFileName(window, "Import a model", "", IMPORT_FILTER)
        if not path:
            return False
    spec = _spec(window, path)
    if spec is None:
        return False
    from engine.interop.importing import import_model

    try:
        doc = import_model(spec)
    except (GraphError, OSError) as err:
        window._error("Cannot import the model", str(err))
        return False
    window.display_name = f"{Path(path).name} (imported)"
    window.bridge.set_document(doc, None)
    window.view.request_fit()
    window.statusBar().showMessage(f"imported {path}", 4000)
    return True
