"""File ▸ Export ▸ PyTorch… / ONNX… and File ▸ Import Model…: the file dialogs around engine/interop.

Importing a .py file runs it (and unpickling a saved module runs code too), so the window asks first;
an ONNX file is only read. An imported model opens as a new, unsaved graph.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from graph.errors import GraphError
from gui.i18n import QT_TRANSLATE_NOOP, error_text, translate

# kind: (the file dialog's title, the file's ending, the filter's words, its patterns); the words are
# translated where shown, the patterns never.
EXPORTS = {
    "pytorch": (QT_TRANSLATE_NOOP("ModelInterop", "Export as PyTorch code"), ".py",
                QT_TRANSLATE_NOOP("ModelInterop", "Python script"), "*.py"),
    "onnx": (QT_TRANSLATE_NOOP("ModelInterop", "Export as ONNX model"), ".onnx",
             QT_TRANSLATE_NOOP("ModelInterop", "ONNX model"), "*.onnx"),
}  # fmt: skip
IMPORT_FILTERS = (
    (QT_TRANSLATE_NOOP("ModelInterop", "Models"), "*.onnx *.py *.pt *.pth"),
    (QT_TRANSLATE_NOOP("ModelInterop", "ONNX model"), "*.onnx"),
    (QT_TRANSLATE_NOOP("ModelInterop", "PyTorch module"), "*.py *.pt *.pth"),
)


def _filter(words: str, patterns: str) -> str:
    """One entry of a file dialog's filter: the translated words, then the patterns."""
    return f"{translate('ModelInterop', words)} ({patterns})"


def export_model(window: Any, kind: str, path: str | None = None) -> bool:
    """Write the window's graph as `kind` ("pytorch" or "onnx"); asks for the file when `path` is None."""
    title, suffix, words, patterns = EXPORTS[kind]
    if path is None:
        current = window.bridge.file_path
        base = Path(current).with_suffix(suffix) if current else Path("model" + suffix)
        title = translate("ModelInterop", title)
        path, _ = QFileDialog.getSaveFileName(window, title, str(base), _filter(words, patterns))
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
        window.show_error(translate("ModelInterop", "Cannot export the graph"), error_text(err))
        return False
    window.statusBar().showMessage(translate("ModelInterop", "exported {path}").format(path=path), 4000)
    return True


def _spec(window: Any, path: str) -> str | None:
    """What to import: the ONNX file, or (after the user agreed to run code) a module in a .py or .pt."""
    if path.lower().endswith(".onnx"):
        return path
    if path.lower().endswith(".py"):
        name, ok = QInputDialog.getText(
            window,
            translate("ModelInterop", "Import a PyTorch module"),
            translate("ModelInterop", "Class name in the file:"),
        )
        if not ok or not name.strip():
            return None
        spec = f"{path}:{name.strip()}"
    else:
        spec = path
    answer = QMessageBox.question(
        window,
        translate("ModelInterop", "Run this file?"),
        translate(
            "ModelInterop",
            "Importing {file} runs the Python code in it, as running the file would. "
            "Only do this with files you trust. Continue?",
        ).format(file=Path(path).name),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return spec if answer == QMessageBox.StandardButton.Yes else None


def import_model_dialog(window: Any, path: str | None = None) -> bool:
    """Open a model as a new, unsaved graph; asks for the file when `path` is None."""
    if not window.maybe_save():
        return False
    if path is None:
        filters = ";;".join(_filter(words, patterns) for words, patterns in IMPORT_FILTERS)
        title = translate("ModelInterop", "Import a model")
        path, _ = QFileDialog.getOpenFileName(window, title, "", filters)
        if not path:
            return False
    spec = _spec(window, path)
    if spec is None:
        return False
    from engine.interop.importing import import_model

    try:
        doc = import_model(spec)
    except (GraphError, OSError) as err:
        window.show_error(translate("ModelInterop", "Cannot import the model"), error_text(err))
        return False
    window.display_name = translate("ModelInterop", "{file} (imported)").format(file=Path(path).name)
    window.bridge.set_document(doc, None)
    window.view.request_fit()
    window.statusBar().showMessage(translate("ModelInterop", "imported {path}").format(path=path), 4000)
    return True
