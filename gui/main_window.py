"""The main window: the canvas in the middle; palette, inspector and undo history as docks; menus File,
Edit, View, Run, Help; files (new, open, recent, examples, save, revert, export image), autosave to a
recovery file, the title with the file name and a modified marker.

Other panels plug in with `add_panel(widget, title, area)` (returns the QDockWidget and adds a View menu
entry) and `add_toolbar_actions(actions)`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMimeData, QPointF, QStandardPaths, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QToolBar,
    QUndoView,
    QWidget,
)

from graph.document import Document
from graph.errors import GraphError
from graph.file_format import dumps, load, loads, save
from graph.values import format_number
from gui.canvas import style
from gui.canvas.render import export_scene
from gui.canvas.scene import GRAPH_MIME, GraphScene
from gui.canvas.view import GraphView
from gui.model_bridge import ModelBridge
from gui.panels.inspector import Inspector
from gui.panels.palette import Palette, QuickAdd
from gui.settings import Settings

EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "examples"
AUTOSAVE_MS = 60_000
FILE_FILTER = "Backprop Studio graphs (*.json);;All files (*)"


def recovery_dir() -> Path:
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(base or Path.home() / ".backprop-studio") / "recovery"


class MainWindow(QMainWindow):
    errorShown = Signal(str, str)  # (title, message) of every error the window shows the user

    def __init__(
        self, bridge: ModelBridge | None = None, settings: Settings | None = None, autosave: bool = True
    ) -> None:
        super().__init__()
        self.bridge = bridge or ModelBridge(parent=self)
        self.settings = settings or Settings(self)
        self.display_name: str | None = None
        self.scene = GraphScene(self.bridge, self.settings, self)
        self.view = GraphView(self.scene, self)
        self.setCentralWidget(self.view)
        self.resize(1280, 800)
        self.setDockNestingEnabled(True)
        self.actions_by_name: dict[str, QAction] = {}
        self._build_menus()
        self._build_docks()
        self._build_status()
        self.quick_add = QuickAdd(self.bridge.registry, self)
        self._quick_pos = QPointF()
        self.quick_add.chosen.connect(lambda op: self.scene.add_op_at(op, self._quick_pos))
        self.view.quickAddRequested.connect(self._open_quick_add)
        self.bridge.statusMessage.connect(lambda m: self.statusBar().showMessage(m, 6000))
        self.bridge.undo_stack.cleanChanged.connect(self._update_title)
        self.bridge.filePathChanged.connect(self._update_title)
        self.bridge.traceChanged.connect(self._update_run_status)
        self.bridge.problemsChanged.connect(self._update_run_status)
        self.bridge.liveChanged.connect(self._update_run_status)
        self._autosave = QTimer(self)
        self._autosave.setInterval(AUTOSAVE_MS)
        self._autosave.timeout.connect(self.autosave_now)
        if autosave:
            self._autosave.start()
        self._update_title()
        self._update_run_status()

    # ----- building
    def _action(
        self, name: str, text: str, slot: Any, shortcut: Any = None, checkable: bool = False, tip: str = ""
    ) -> QAction:
        act = QAction(text, self)
        if shortcut is not None:
            act.setShortcut(QKeySequence(shortcut))
        act.setCheckable(checkable)
        if tip:
            act.setStatusTip(tip)
            act.setToolTip(tip)
        act.triggered.connect(slot)
        self.actions_by_name[name] = act
        self.addAction(act)
        return act

    def _build_menus(self) -> None:
        """The menus File, Edit, View, Run, Help and the main toolbar (panels add their own entries)."""
        bar = self.menuBar()
        self._build_file_menu(bar.addMenu("&File"))
        self._build_edit_menu(bar.addMenu("&Edit"))
        self.view_menu = bar.addMenu("&View")
        self._build_view_menu(self.view_menu)
        self.run_menu = bar.addMenu("&Run")
        self._build_run_menu(self.run_menu)
        self._build_help_menu(bar.addMenu("&Help"))
        self._build_toolbar()

    def _build_file_menu(self, m: QMenu) -> None:
        from gui.canvas.render import picture_svg  # for the exercise dialog's pages (dialogs draw no canvas)
        from gui.dialogs.exercise_dialog import open_exercise_dialog

        K = QKeySequence.StandardKey
        m.addAction(self._action("new", "&New", lambda: self.new_file(), K.New))
        m.addAction(self._action("open", "&Open…", lambda: self.open_dialog(), K.Open))
        self.recent_menu = m.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self.examples_menu = m.addMenu("&Examples")
        self.examples_menu.aboutToShow.connect(self._fill_examples)
        m.addSeparator()
        m.addAction(self._action("save", "&Save", lambda: self.save(), K.Save))
        m.addAction(self._action("save_as", "Save &As…", lambda: self.save_as(), K.SaveAs))
        m.addAction(self._action("revert", "Re&vert", lambda: self.revert()))
        m.addSeparator()
        m.addAction(self._action("export", "&Export Image…", lambda: self.export_dialog(), "Ctrl+E"))
        m.addAction(self._action("exercise_variants", "Make Exercise &Variants…",
                                 lambda: open_exercise_dialog(self, picture_svg)))
        m.addSeparator()
        m.addAction(self._action("quit", "&Quit", self.close, K.Quit))

    def _build_edit_menu(self, m: QMenu) -> None:
        K = QKeySequence.StandardKey
        undo = self.bridge.undo_stack.createUndoAction(self, "&Undo")
        undo.setShortcut(QKeySequence("Ctrl+Z"))
        redo = self.bridge.undo_stack.createRedoAction(self, "&Redo")
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.actions_by_name["undo"] = undo
        self.actions_by_name["redo"] = redo
        m.addAction(undo)
        m.addAction(redo)
        m.addSeparator()
        m.addAction(self._action("cut", "Cu&t", self.cut, K.Cut))
        m.addAction(self._action("copy", "&Copy", self.copy, K.Copy))
        m.addAction(self._action("paste", "&Paste", self.paste, K.Paste))
        m.addAction(self._action("duplicate", "&Duplicate", self.duplicate, "Ctrl+D"))
        m.addAction(self._action("delete", "De&lete", self.scene.delete_selection, K.Delete))
        self.actions_by_name["delete"].setShortcuts([QKeySequence("Delete"), QKeySequence("Backspace")])
        m.addSeparator()
        m.addAction(self._action("select_all", "Select &All", self._select_all, K.SelectAll))
        m.addAction(
            self._action(
                "quick_add",
                "&Add Op…",
                self.view.open_quick_add,
                tip="Tab on the canvas",
            )
        )

    def _build_view_menu(self, m: QMenu) -> None:
        K = QKeySequence.StandardKey
        m.addAction(self._action("fit", "&Fit to View", self.view.fit, "Ctrl+0"))
        m.addAction(self._action("zoom_in", "Zoom &In", lambda: self.view.zoom(1.25), K.ZoomIn))
        m.addAction(self._action("zoom_out", "Zoom &Out", lambda: self.view.zoom(0.8), K.ZoomOut))
        m.addAction(self._action("layout", "Auto &Layout", self.auto_layout, "Ctrl+L"))
        m.addSeparator()
        m.addAction(self._setting_toggle("snap", "&Snap to Grid", "snap"))
        m.addAction(self._setting_toggle("show_values", "Show &Values", "show_values"))
        m.addAction(self._setting_toggle("show_grads", "Show &Gradients", "show_grads"))
        m.addAction(self._action("digits", "Significant &Digits…", self.choose_digits))
        m.addSeparator()
        m.addSeparator()  # the panels' show/hide toggles follow (add_panel)

    def _setting_toggle(self, name: str, text: str, setting: str) -> QAction:
        """A checkable action that shows and sets one boolean of the settings."""
        act = self._action(name, text, lambda on: setattr(self.settings, setting, on), checkable=True)
        act.setChecked(getattr(self.settings, setting))
        return act

    def _build_run_menu(self, m: QMenu) -> None:
        text, tip = "&Run Forward and Backward", "Re-run the graph live"
        m.addAction(self._action("evaluate", text, self.bridge.resume_live, "F5", tip=tip))

    def _build_help_menu(self, m: QMenu) -> None:
        K = QKeySequence.StandardKey
        m.addAction(self._action("legend", "&Legend and Shortcuts", self.show_help, K.HelpContents))
        m.addAction(self._action("about", "&About", self.show_about))

    def _build_toolbar(self) -> None:
        self.toolbar = QToolBar("Main", self)
        self.toolbar.setObjectName("main_toolbar")
        self.addToolBar(self.toolbar)
        for name in ("new", "open", "save", "undo", "redo", "fit", "layout", "evaluate"):
            self.toolbar.addAction(self.actions_by_name[name])
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.actions_by_name["show_values"])
        self.toolbar.addAction(self.actions_by_name["show_grads"])

    def _build_docks(self) -> None:
        self.palette = Palette(self.bridge.registry)
        self.palette.opActivated.connect(self._add_at_centre)
        self.palette_dock = self.add_panel(self.palette, "Palette", Qt.DockWidgetArea.LeftDockWidgetArea)
        self.inspector = Inspector(self.bridge, self.settings)
        self.inspector_dock = self.add_panel(
            self.inspector, "Inspector", Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.undo_view = QUndoView(self.bridge.undo_stack)
        self.undo_view.setEmptyLabel("<opened>")
        self.history_dock = self.add_panel(self.undo_view, "History", Qt.DockWidgetArea.RightDockWidgetArea)
        self.tabifyDockWidget(self.inspector_dock, self.history_dock)
        self.inspector_dock.raise_()
        self.palette_dock.setMinimumWidth(170)
        self.inspector_dock.setMinimumWidth(280)
        self.resizeDocks([self.palette_dock, self.inspector_dock], [190, 300], Qt.Orientation.Horizontal)

    def _build_status(self) -> None:
        legend = QLabel(
            f'<span style="color:{style.VALUE_COLOR.name()}">■ value (forward)</span> &nbsp; '
            f'<span style="color:{style.GRAD_COLOR.name()}">■ gradient (backward)</span>'
        )
        self.run_status = QLabel()
        self.statusBar().addPermanentWidget(self.run_status)
        self.statusBar().addPermanentWidget(legend)

    # ----- public hooks for other panels
    def add_panel(
        self, widget: QWidget, title: str, area: Qt.DockWidgetArea = Qt.DockWidgetArea.RightDockWidgetArea
    ) -> QDockWidget:
        """Dock a panel; its show/hide toggle goes into the View menu. Returns the QDockWidget."""
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock_{title.lower().replace(' ', '_')}")
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        self.view_menu.addAction(dock.toggleViewAction())
        return dock

    def add_toolbar_actions(self, actions: list[QAction], toolbar: QToolBar | None = None) -> QToolBar:
        """Add actions to the main toolbar (after a separator), or to the toolbar given."""
        bar = toolbar or self.toolbar
        bar.addSeparator()
        for act in actions:
            bar.addAction(act)
        return bar

    # ----- status and title
    def _update_title(self, *_signal_args: Any) -> None:
        name = self.display_name or (
            Path(self.bridge.file_path).name if self.bridge.file_path else "Untitled"
        )
        self.setWindowTitle(f"{name}[*] — Backprop Studio")
        self.setWindowModified(self.bridge.modified)

    def _update_run_status(self, *_signal_args: Any) -> None:
        b = self.bridge
        if b.trace is not None:
            try:
                loss = b.trace.loss
                text = f"✓ {b.trace.output} = {format_number(loss, self.settings.digits)}"
            except (TypeError, IndexError, ValueError):
                text = "stepping…"
            if not b.live:
                text += "  (not live)"
            self.run_status.setText(text)
            self.run_status.setToolTip("")
        elif b.error_message:
            short = b.error_message if len(b.error_message) < 70 else b.error_message[:67] + "…"
            self.run_status.setText(f"⚠ {short}")
            self.run_status.setToolTip(b.error_message)
        else:
            self.run_status.setText("empty graph")

    # ----- dialogs
    def _error(self, title: str, message: str) -> None:
        """Show an error in the status bar and a dialog, and announce it (errorShown)."""
        self.statusBar().showMessage(message, 10000)
        self.errorShown.emit(title, message)
        QMessageBox.critical(self, title, message)

    def _ask_save(self) -> QMessageBox.StandardButton:
        return QMessageBox.question(
            self,
            "Unsaved changes",
            "The graph has unsaved changes. Save them?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )

    def maybe_save(self) -> bool:
        """True if it is fine to throw the current graph away (saved, discarded or unmodified)."""
        if not self.bridge.modified:
            return True
        answer = self._ask_save()
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    # ----- files
    def new_file(self) -> bool:
        if not self.maybe_save():
            return False
        self.display_name = None
        self.bridge.set_document(Document(self.bridge.registry), None)
        return True

    def open_dialog(self) -> None:
        if not self.maybe_save():
            return
        start = str(Path(self.bridge.file_path).parent) if self.bridge.file_path else ""
        path, _ = QFileDialog.getOpenFileName(self, "Open graph", start, FILE_FILTER)
        if path:
            self.open_file(path, ask=False)

    def open_file(self, path: str, ask: bool = True, as_copy: bool = False) -> bool:
        """Load a graph file. On failure the loader's message is shown and the current graph is kept."""
        if ask and not self.maybe_save():
            return False
        try:
            doc = load(path, self.bridge.registry)
        except (GraphError, OSError, UnicodeDecodeError) as err:
            self._error("Cannot open the file", str(err))
            return False
        self.display_name = f"{Path(path).name} (example)" if as_copy else None
        self.bridge.set_document(doc, None if as_copy else str(path))
        if not as_copy:
            self.settings.add_recent(str(Path(path).resolve()))
        self.view.request_fit()
        self.statusBar().showMessage(f"opened {path}", 4000)
        return True

    def save(self) -> bool:
        if not self.bridge.file_path:
            return self.save_as()
        return self._write(self.bridge.file_path)

    def save_as(self, path: str | None = None) -> bool:
        if path is None:
            start = self.bridge.file_path or str(Path.cwd() / "graph.json")
            path, _ = QFileDialog.getSaveFileName(self, "Save graph", start, FILE_FILTER)
            if not path:
                return False
            if not Path(path).suffix:
                path += ".json"
        if self._write(path):
            self.display_name = None
            self.bridge.set_file_path(str(path))
            self.settings.add_recent(str(Path(path).resolve()))
            return True
        return False

    def _write(self, path: str) -> bool:
        self._store_auto_positions()
        try:
            save(self.bridge.doc, path)
        except (OSError, GraphError) as err:
            self._error("Cannot save the file", f"{path}: {err}")
            return False
        self.bridge.undo_stack.setClean()
        self._update_title()
        self.remove_recovery()
        self.statusBar().showMessage(f"saved {path}", 4000)
        return True

    def _store_auto_positions(self) -> None:
        """Nodes placed by the automatic layout keep their place in the saved file."""
        for node in self.bridge.doc.nodes():
            if node.position is None and node.id in self.scene.nodes:
                p = self.scene.nodes[node.id].pos()
                node.position = (p.x(), p.y())

    def revert(self) -> bool:
        path = self.bridge.file_path
        if not path:
            return False
        if self.bridge.modified:
            answer = QMessageBox.question(
                self, "Revert", f"Discard the changes and reload {Path(path).name}?"
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
        return self.open_file(path, ask=False)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        files = self.settings.recent_files
        for path in files:
            act = self.recent_menu.addAction(Path(path).name)
            act.setToolTip(path)
            act.setStatusTip(path)
            act.triggered.connect(lambda _c=False, p=path: self.open_file(p))
        if not files:
            self.recent_menu.addAction("(none)").setEnabled(False)
        else:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction("Clear List", self.settings.clear_recent)

    def examples(self) -> list[tuple[Path, str]]:
        """The bundled examples with their descriptions."""
        out = []
        for path in sorted(EXAMPLES_DIR.glob("*.json")):
            try:
                description = str(json.loads(path.read_text(encoding="utf-8")).get("description", ""))
            except (OSError, ValueError, AttributeError):
                description = ""
            out.append((path, description))
        return out

    def _fill_examples(self) -> None:
        self.examples_menu.clear()
        examples = self.examples()
        for path, description in examples:
            first = description.strip().splitlines()[0] if description.strip() else ""
            text = f"{path.stem} — {first}" if first else path.stem
            act = self.examples_menu.addAction(text if len(text) < 90 else text[:87] + "…")
            act.setToolTip(description)
            act.setStatusTip(description)
            act.triggered.connect(lambda _c=False, p=path: self.open_file(str(p), as_copy=True))
        if not examples:
            self.examples_menu.addAction(f"(no examples in {EXAMPLES_DIR})").setEnabled(False)
        self.examples_menu.setToolTipsVisible(True)

    def export_dialog(self) -> None:
        base = Path(self.bridge.file_path).with_suffix(".png") if self.bridge.file_path else Path("graph.png")
        path, _ = QFileDialog.getSaveFileName(
            self, "Export image", str(base), "PNG image (*.png);;SVG image (*.svg)"
        )
        if path:
            self.export_image(path)

    def export_image(self, path: str) -> bool:
        try:
            export_scene(self.scene, path)
        except (OSError, ValueError) as err:
            self._error("Cannot export the image", str(err))
            return False
        self.statusBar().showMessage(f"exported {path}", 4000)
        return True

    # ----- autosave and recovery
    def autosave_now(self) -> Path | None:
        if not self.bridge.modified:
            return None
        folder = recovery_dir()
        try:
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "recovery.json").write_text(dumps(self.bridge.doc), encoding="utf-8")
            (folder / "recovery-info.json").write_text(
                json.dumps({"path": self.bridge.file_path, "pid": os.getpid()}), encoding="utf-8"
            )
        except OSError as err:
            self.statusBar().showMessage(f"autosave failed: {err}", 6000)
            return None
        return folder / "recovery.json"

    def remove_recovery(self) -> None:
        for name in ("recovery.json", "recovery-info.json"):
            try:
                (recovery_dir() / name).unlink()
            except OSError:
                pass

    def offer_recovery(self, ask: bool = True) -> bool:
        """After a crash: offer to restore the autosaved graph (it comes back as modified)."""
        folder = recovery_dir()
        graph = folder / "recovery.json"
        if not graph.exists():
            return False
        try:
            info = json.loads((folder / "recovery-info.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            info = {}
        original = info.get("path") if isinstance(info, dict) else None
        if ask:
            answer = QMessageBox.question(
                self,
                "Restore unsaved work?",
                "Backprop Studio did not close normally. Restore the graph autosaved before that"
                + (f" (from {original})?" if original else "?"),
            )
            if answer != QMessageBox.StandardButton.Yes:
                self.remove_recovery()
                return False
        try:
            doc = loads(graph.read_text(encoding="utf-8"), self.bridge.registry, str(graph))
        except (GraphError, OSError) as err:
            self._error("Cannot restore", str(err))
            self.remove_recovery()
            return False
        self.bridge.set_document(doc, original)
        self.bridge.undo_stack.resetClean()
        self._update_title()
        self.view.request_fit()
        return True

    # ----- edit actions
    def copy(self) -> bool:
        text = self.scene.copy_selection()
        if text is None:
            return False
        mime = QMimeData()
        mime.setData(GRAPH_MIME, text.encode())
        mime.setText(text)
        QGuiApplication.clipboard().setMimeData(mime)
        return True

    def cut(self) -> None:
        if self.copy():
            self.scene.delete_selection()

    def paste(self) -> None:
        mime = QGuiApplication.clipboard().mimeData()
        if mime is None:
            return
        if mime.hasFormat(GRAPH_MIME):
            text = bytes(mime.data(GRAPH_MIME).data()).decode()
        else:
            text = mime.text()
        if text.strip().startswith("{"):
            self.scene.paste(text)

    def duplicate(self) -> None:
        text = self.scene.copy_selection()
        if text is not None:
            self.scene.paste(text)

    def _select_all(self) -> None:
        for item in self.scene.nodes.values():
            item.setSelected(True)

    def auto_layout(self) -> None:
        self.scene.auto_layout()
        self.view.fit()

    def _add_at_centre(self, op_id: str) -> None:
        centre = self.view.mapToScene(self.view.viewport().rect().center())
        self.scene.add_op_at(op_id, centre)

    def _open_quick_add(self, scene_pos: QPointF, global_pos: Any) -> None:
        self._quick_pos = scene_pos
        self.quick_add.popup_at(global_pos)

    def choose_digits(self) -> None:
        value, ok = QInputDialog.getInt(
            self, "Significant digits", "Digits shown:", self.settings.digits, 1, 15
        )
        if ok:
            self.settings.digits = value

    def show_help(self) -> None:
        QMessageBox.information(
            self,
            "Legend and shortcuts",
            "Blue numbers: the value flowing forward along an edge.\n"
            "Red numbers: the gradient ∂L/∂(source) flowing back along it.\n"
            "A red outline marks a problem; hover it for the reason.\n\n"
            "Drag an op from the palette, or press Tab on the canvas to add one.\n"
            "Drag from an output port (right) to an input port (left) to connect.\n"
            "Wheel: zoom.  Middle button or Shift+Space+drag: pan.  Ctrl+0: fit.\n"
            "Ctrl+L: auto layout.  Delete: remove.  Ctrl+D: duplicate.\n"
            "Ctrl+Z / Ctrl+Shift+Z: undo / redo.  F5: run again.",
        )

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            "About Backprop Studio",
            "Backprop Studio: build computation graphs and watch backpropagation.",
        )

    # ----- closing
    def closeEvent(self, event: QCloseEvent) -> None:
        if self.maybe_save():
            self._autosave.stop()
            self.remove_recovery()
            event.accept()
        else:
            event.ignore()

