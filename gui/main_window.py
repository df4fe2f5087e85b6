"""The main window: the canvas in the middle; palette, inspector, undo history and the exercise text as
docks; menus File, Edit, View, Run, Help; files (new, open, recent, examples, save, revert, export
image), autosave to a recovery file, the title with the file name and a modified marker.

Other panels plug in with `add_panel(widget, title, area)` (returns the QDockWidget and adds a View menu
entry) and `add_toolbar_actions(actions)`. Once every panel is in, `arrange_panels()` lays them out the
default way (see gui/layout.py: the palette on the left, one tab stack on the right, one on the bottom)
and `restore_layout()` brings back the size, place and dock layout the user left.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QMimeData, QPointF, QStandardPaths, Qt, QTimer, QTranslator, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QGuiApplication,
    QKeySequence,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QApplication,
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

import engine.i18n
from graph.document import Document
from graph.errors import GraphError
from graph.file_format import description_for, dumps, load, loads, save
from graph.values import format_number
from gui import i18n, recovery
from gui.canvas import style
from gui.canvas.render import export_scene
from gui.canvas.scene import GRAPH_MIME, GraphScene
from gui.canvas.view import GraphView
from gui.dialogs.interop_dialog import export_model, import_model_dialog
from gui.i18n import QT_TRANSLATE_NOOP, error_text, translate
from gui.layout import DockLayout, MessageLog
from gui.model_bridge import ModelBridge
from gui.panels.exercise import ExercisePanel
from gui.panels.inspector import Inspector
from gui.panels.palette import Palette, QuickAdd
from gui.quiz_menu import build_quiz_menu, quiz_status
from gui.recovery import Autosave
from gui.settings import Settings
from gui.widgets import ElidedLabel, install_wheel_guard

EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "examples"
AUTOSAVE_MS = 60_000
FILE_FILTER = QT_TRANSLATE_NOOP("MainWindow", "Backprop Studio graphs (*.json);;All files (*)")
UNIT_THUMBNAILS_TIP = QT_TRANSLATE_NOOP(
    "MainWindow",
    "Each hidden unit's activation over the input plane, under its node (blue negative, white 0, orange "
    "positive). Only for a graph whose dataset input has two features: other graphs have no plane to show.",
)


LANGUAGE_NOTE = QT_TRANSLATE_NOOP(
    "MainWindow", "The new language takes effect when Backprop Studio is started again."
)


def in_language(lang: str, context: str, text: str) -> str:
    """`text` in `lang` from that language's catalogue, whatever language the window speaks now."""
    if i18n.normalise(lang) == i18n.SOURCE_LANGUAGE:
        return text
    catalogue = QTranslator()
    if not catalogue.load(f"{i18n.CATALOGUE}_{i18n.normalise(lang)}", str(i18n.TRANSLATIONS_DIR)):
        return text
    return catalogue.translate(context, text) or text


def language_note(lang: str) -> str:
    """The restart note in the language just chosen, then in the window's present one when that differs
    (a user who picked a language by mistake still reads what happens)."""
    chosen = in_language(lang, "MainWindow", LANGUAGE_NOTE)
    current = translate("MainWindow", LANGUAGE_NOTE)
    return chosen if chosen == current else f"{chosen}\n\n{current}"


def recovery_dir() -> Path:
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(base or Path.home() / ".backprop-studio") / "recovery"


class MainWindow(QMainWindow):
    errorShown = Signal(str, str)  # (title, message) of every error the window shows the user

    def __init__(
        self, bridge: ModelBridge | None = None, settings: Settings | None = None, autosave: bool = True
    ) -> None:
        super().__init__()
        install_wheel_guard(QApplication.instance())
        self.bridge = bridge or ModelBridge(parent=self)
        self.settings = settings or Settings(self)
        self.display_name: str | None = None
        self.scene = GraphScene(self.bridge, self.settings, self)
        self.view = GraphView(self.scene, self)
        self.setCentralWidget(self.view)
        self.setDockNestingEnabled(True)
        self.docks = DockLayout(self)
        self.docks.fit_to_screen()
        self.messages = MessageLog(self)
        self.actions_by_name: dict[str, QAction] = {}
        self._build_menus()
        self._build_docks()
        self._build_status()
        self.quick_add = QuickAdd(self.bridge.registry, self)
        self._quick_pos = QPointF()
        self.quick_add.chosen.connect(lambda op: self.scene.add_op_at(op, self._quick_pos))
        self.view.quickAddRequested.connect(self._open_quick_add)
        self.bridge.statusMessage.connect(lambda m: self.statusBar().showMessage(m, 6000))
        self.bridge.undo_stack.cleanChanged.connect(self.update_title)
        # Undo and Redo name the edit: a long name widens the toolbar, which may then need a new row.
        self.bridge.undo_stack.undoTextChanged.connect(self._wrap_toolbars)
        self.bridge.undo_stack.redoTextChanged.connect(self._wrap_toolbars)
        self.bridge.filePathChanged.connect(self.update_title)
        self.bridge.traceChanged.connect(self.update_run_status)
        self.bridge.problemsChanged.connect(self.update_run_status)
        self.bridge.liveChanged.connect(self.update_run_status)
        self._recovery = Autosave(recovery_dir())
        self._autosave = QTimer(self)
        self._autosave.setInterval(AUTOSAVE_MS)
        self._autosave.timeout.connect(self.autosave_now)
        if autosave:
            self._autosave.start()
        self.update_title()
        self.update_run_status()

    # ----- building
    def make_action(
        self, name: str, text: str, slot: Any, shortcut: Any = None, checkable: bool = False, tip: str = ""
    ) -> QAction:
        """An action registered by name in actions_by_name (the tests and the menus of other modules
        find it there), added to the window so that its shortcut works wherever it is shown."""
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
        """The menus File, Edit, View, Run, Settings, Help and the main toolbar (panels add their own
        entries). Each menu is named (file_menu, …, help_menu): panels find it by that name, whatever the
        language of its title."""
        bar = self.menuBar()
        menus = (
            ("file_menu", translate("MainWindow", "&File"), self._build_file_menu),
            ("edit_menu", translate("MainWindow", "&Edit"), self._build_edit_menu),
            ("view_menu", translate("MainWindow", "&View"), self._build_view_menu),
            ("run_menu", translate("MainWindow", "&Run"), self._build_run_menu),
            ("settings_menu", translate("MainWindow", "&Settings"), self._build_settings_menu),
            ("help_menu", translate("MainWindow", "&Help"), self._build_help_menu),
        )
        for name, title, build in menus:
            menu = bar.addMenu(title)
            menu.setObjectName(name)
            setattr(self, name, menu)
            build(menu)
        self._build_toolbar()

    def _build_file_menu(self, m: QMenu) -> None:
        from gui.canvas.render import picture_svg  # for the exercise dialog's pages (dialogs draw no canvas)
        from gui.dialogs.exercise_dialog import open_exercise_dialog

        K = QKeySequence.StandardKey
        m.addAction(self.make_action("new", translate("MainWindow", "&New"), lambda: self.new_file(), K.New))
        m.addAction(
            self.make_action("open", translate("MainWindow", "&Open…"), lambda: self.open_dialog(), K.Open)
        )
        self.recent_menu = m.addMenu(translate("MainWindow", "Open &Recent"))
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self.examples_menu = m.addMenu(translate("MainWindow", "&Examples"))
        self.examples_menu.aboutToShow.connect(self._fill_examples)
        m.addSeparator()
        m.addAction(self.make_action("save", translate("MainWindow", "&Save"), lambda: self.save(), K.Save))
        m.addAction(
            self.make_action(
                "save_as", translate("MainWindow", "Save &As…"), lambda: self.save_as(), K.SaveAs
            )
        )
        m.addAction(self.make_action("revert", translate("MainWindow", "Re&vert"), lambda: self.revert()))
        m.addSeparator()
        m.addAction(
            self.make_action(
                "export", translate("MainWindow", "&Export Image…"), self.export_dialog, "Ctrl+E"
            )
        )
        exports = m.addMenu(translate("MainWindow", "E&xport"))
        exports.addAction(
            self.make_action(
                "export_pytorch", translate("MainWindow", "&PyTorch…"), lambda: export_model(self, "pytorch")
            )
        )
        exports.addAction(
            self.make_action(
                "export_onnx", translate("MainWindow", "&ONNX…"), lambda: export_model(self, "onnx")
            )
        )
        m.addAction(
            self.make_action(
                "import_model", translate("MainWindow", "&Import Model…"), lambda: import_model_dialog(self)
            )
        )
        m.addAction(
            self.make_action(
                "exercise_variants",
                translate("MainWindow", "Make Exercise &Variants…"),
                lambda: open_exercise_dialog(self, picture_svg),
            )
        )
        m.addSeparator()
        m.addAction(self.make_action("quit", translate("MainWindow", "&Quit"), self.close, K.Quit))

    def _build_edit_menu(self, m: QMenu) -> None:
        K = QKeySequence.StandardKey
        undo = self.bridge.undo_stack.createUndoAction(self, translate("MainWindow", "&Undo"))
        undo.setShortcut(QKeySequence("Ctrl+Z"))
        redo = self.bridge.undo_stack.createRedoAction(self, translate("MainWindow", "&Redo"))
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.actions_by_name["undo"] = undo
        self.actions_by_name["redo"] = redo
        m.addAction(undo)
        m.addAction(redo)
        m.addSeparator()
        m.addAction(self.make_action("cut", translate("MainWindow", "Cu&t"), self.cut, K.Cut))
        m.addAction(self.make_action("copy", translate("MainWindow", "&Copy"), self.copy, K.Copy))
        m.addAction(self.make_action("paste", translate("MainWindow", "&Paste"), self.paste, K.Paste))
        m.addAction(
            self.make_action("duplicate", translate("MainWindow", "&Duplicate"), self.duplicate, "Ctrl+D")
        )
        m.addAction(
            self.make_action(
                "delete", translate("MainWindow", "De&lete"), self.scene.delete_selection, K.Delete
            )
        )
        self.actions_by_name["delete"].setShortcuts([QKeySequence("Delete"), QKeySequence("Backspace")])
        m.addSeparator()
        m.addAction(
            self.make_action(
                "select_all", translate("MainWindow", "Select &All"), self._select_all, K.SelectAll
            )
        )
        m.addAction(
            self.make_action(
                "quick_add",
                translate("MainWindow", "&Add Op…"),
                self.view.open_quick_add,
                tip=translate("MainWindow", "Tab on the canvas"),
            )
        )
        m.addSeparator()
        build_quiz_menu(self, m.addMenu(translate("MainWindow", "&Quiz")))

    def _build_view_menu(self, m: QMenu) -> None:
        K = QKeySequence.StandardKey
        m.addAction(self.make_action("fit", translate("MainWindow", "&Fit to View"), self.view.fit, "Ctrl+0"))
        m.addAction(
            self.make_action(
                "zoom_in", translate("MainWindow", "Zoom &In"), lambda: self.view.zoom(1.25), K.ZoomIn
            )
        )
        m.addAction(
            self.make_action(
                "zoom_out", translate("MainWindow", "Zoom &Out"), lambda: self.view.zoom(0.8), K.ZoomOut
            )
        )
        m.addAction(
            self.make_action("layout", translate("MainWindow", "Auto &Layout"), self.auto_layout, "Ctrl+L")
        )
        m.addSeparator()
        m.addAction(self._setting_toggle("snap", translate("MainWindow", "&Snap to Grid")))
        m.addAction(self._setting_toggle("show_values", translate("MainWindow", "Show &Values")))
        m.addAction(self._setting_toggle("show_grads", translate("MainWindow", "Show &Gradients")))
        thumbs = self._setting_toggle(
            "unit_thumbnails", translate("MainWindow", "&Unit Thumbnails on the Canvas")
        )
        tip = translate("MainWindow", UNIT_THUMBNAILS_TIP)
        thumbs.setToolTip(tip)
        thumbs.setStatusTip(tip)
        m.addAction(thumbs)
        m.addAction(
            self.make_action("digits", translate("MainWindow", "Significant &Digits…"), self.choose_digits)
        )
        m.addSeparator()
        m.addAction(
            self.make_action("reset_layout", translate("MainWindow", "&Reset Layout"), self.reset_layout)
        )
        m.addAction(
            self.make_action(
                "message_log", translate("MainWindow", "&Message Log…"), lambda: self.messages.show_dialog()
            )
        )
        m.addSeparator()  # the panels' show/hide toggles follow (add_panel)

    def _setting_toggle(self, setting: str, text: str) -> QAction:
        """A checkable action (named as the setting) that shows and sets one boolean of the settings."""
        act = self.make_action(setting, text, lambda on: setattr(self.settings, setting, on), checkable=True)
        act.setChecked(getattr(self.settings, setting))
        return act

    def _build_run_menu(self, m: QMenu) -> None:
        text = translate("MainWindow", "&Run Forward and Backward")
        tip = translate("MainWindow", "Re-run the graph live")
        m.addAction(self.make_action("evaluate", text, self.bridge.resume_live, "F5", tip=tip))

    def _build_settings_menu(self, m: QMenu) -> None:
        languages = m.addMenu(translate("MainWindow", "&Language"))
        group = QActionGroup(self)
        chosen = self.settings.language
        # Each language by its own name, whatever the window's language; only "System Default" translated.
        for code, name in (("", translate("MainWindow", "System Default")), *i18n.NATIVE_NAMES.items()):
            if code and code not in i18n.available():
                continue
            act = languages.addAction(name)
            act.setCheckable(True)
            act.setChecked(code == chosen)
            act.setData(code)
            group.addAction(act)
            self.actions_by_name[f"language_{code or 'system'}"] = act
        group.triggered.connect(self._choose_language)

    def _choose_language(self, act: QAction) -> None:
        """Save the language; the window takes it at its next start (its strings are set once). The note
        is said in the language chosen (who chose Русский by mistake reads it in the current one too)."""
        code = act.data()
        self.settings.language = code
        QMessageBox.information(
            self, translate("MainWindow", "Language"), language_note(i18n.choose(None, code))
        )

    def _build_help_menu(self, m: QMenu) -> None:
        K = QKeySequence.StandardKey
        m.addAction(
            self.make_action(
                "legend", translate("MainWindow", "&Legend and Shortcuts"), self.show_help, K.HelpContents
            )
        )
        m.addAction(self.make_action("about", translate("MainWindow", "&About"), self.show_about))

    def _build_toolbar(self) -> None:
        """Two toolbars: files, edits and view; then running (the panels add stepping and training
        there). They share one row when the window is wide enough, else the second wraps below."""
        self.file_toolbar = QToolBar(translate("MainWindow", "File and view"), self)
        self.file_toolbar.setObjectName("main_toolbar")
        self.addToolBar(self.file_toolbar)
        for name in ("new", "open", "save", "undo", "redo", "fit", "layout", "show_values", "show_grads"):
            self.file_toolbar.addAction(self.actions_by_name[name])
        self.file_toolbar.insertSeparator(self.actions_by_name["show_values"])
        self.toolbar = QToolBar(translate("MainWindow", "Run"), self)
        self.toolbar.setObjectName("run_toolbar")
        self.addToolBar(self.toolbar)
        self.toolbar.addAction(self.actions_by_name["evaluate"])
        self._shorten_for_toolbars()

    def _shorten_for_toolbars(self) -> None:
        """Shorter words on the toolbar buttons where a translation needs them (the menus and tool tips
        keep the whole text): the Russian toolbar must leave room for Undo and Redo naming the edit.
        In English the buttons read as they always have."""
        short = {
            "fit": translate("MainWindow", "Fit to View", "toolbar button"),
            "layout": translate("MainWindow", "Auto Layout", "toolbar button"),
            "show_values": translate("MainWindow", "Show Values", "toolbar button"),
            "show_grads": translate("MainWindow", "Show Gradients", "toolbar button"),
            "evaluate": translate("MainWindow", "Run Forward and Backward", "toolbar button"),
        }
        for name, text in short.items():
            self.actions_by_name[name].setIconText(text)

    def _wrap_toolbars(self, *_signal_args: Any) -> None:
        """Put the run toolbar on its own row when both do not fit side by side (nothing hidden behind
        the toolbar's » menu)."""
        bars = [self.file_toolbar, self.toolbar]
        needed = sum(bar.sizeHint().width() for bar in bars) + 16
        wrapped = self.toolBarBreak(self.toolbar)
        if needed > self.width() and not wrapped:
            self.insertToolBarBreak(self.toolbar)
        elif needed <= self.width() and wrapped:
            self.removeToolBarBreak(self.toolbar)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        # Only now is the frame's size known: the frame, not just the client area, must fit the screen.
        if self.docks.placed_by_us():
            QTimer.singleShot(0, self.docks.keep_on_screen)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._wrap_toolbars()

    def _build_docks(self) -> None:
        self.palette = Palette(self.bridge.registry)
        self.palette.opActivated.connect(self._add_at_centre)
        self.palette_dock = self.add_panel(
            self.palette,
            translate("MainWindow", "Palette"),
            Qt.DockWidgetArea.LeftDockWidgetArea,
            key="palette",
        )
        self.inspector = Inspector(self.bridge, self.settings, quiz=self.scene.quiz)
        self.inspector_dock = self.add_panel(
            self.inspector,
            translate("MainWindow", "Inspector"),
            Qt.DockWidgetArea.RightDockWidgetArea,
            key="inspector",
        )
        self.undo_view = QUndoView(self.bridge.undo_stack)
        self.undo_view.setEmptyLabel(translate("MainWindow", "<opened>"))
        self.history_dock = self.add_panel(
            self.undo_view,
            translate("MainWindow", "History"),
            Qt.DockWidgetArea.RightDockWidgetArea,
            rank=1,
            key="history",
        )  # the last tab
        self.exercise = ExercisePanel(self.bridge)
        self.exercise_dock = self.add_panel(
            self.exercise,
            translate("MainWindow", "Exercise"),
            Qt.DockWidgetArea.BottomDockWidgetArea,
            key="exercise",
        )
        self.palette_dock.setMinimumWidth(170)
        self.arrange_panels()

    def _build_status(self) -> None:
        value = translate("MainWindow", "value (forward)")
        grad = translate("MainWindow", "gradient (backward)")
        legend = QLabel(
            f'<span style="color:{style.VALUE_COLOR.name()}">■ {value}</span> &nbsp; '
            f'<span style="color:{style.GRAD_COLOR.name()}">■ {grad}</span>'
        )
        self.run_status = ElidedLabel()
        self.statusBar().addPermanentWidget(self.run_status, 1)
        self.statusBar().addPermanentWidget(legend)
        self.statusBar().messageChanged.connect(self.messages.add)

    # ----- public hooks for other panels
    def add_panel(
        self,
        widget: QWidget,
        title: str,
        area: Qt.DockWidgetArea = Qt.DockWidgetArea.RightDockWidgetArea,
        rank: int = 0,
        key: str | None = None,
    ) -> QDockWidget:
        """Dock a panel; its show/hide toggle goes into the View menu. Returns the QDockWidget. The docks
        of one side become one tab stack (arrange_panels), lower `rank` first, then in the order added.
        `key` names the dock for the saved layout whatever the language of its `title` (default: the
        title)."""
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock_{(key or title).lower().replace(' ', '_')}")
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        self.docks.add(dock, area, rank)
        self.view_menu.addAction(dock.toggleViewAction())
        return dock

    def arrange_panels(self) -> None:
        """Lay the docks out the default way (called again by Reset Layout)."""
        self.docks.arrange()

    def restore_layout(self) -> bool:
        """The window's size, place and docks as the user left them (False: the default stays)."""
        return self.docks.restore(self.settings)

    def reset_layout(self) -> None:
        """View ▸ Reset Layout: every panel and toolbar back in its default place, the window fitted to
        the screen."""
        for bar in (self.file_toolbar, self.toolbar):
            self.removeToolBar(bar)
            self.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
            bar.show()
        self._wrap_toolbars()
        self.docks.arrange(fit=True)

    def add_toolbar_actions(self, actions: list[QAction], toolbar: QToolBar | None = None) -> QToolBar:
        """Add actions to the main toolbar (after a separator), or to the toolbar given."""
        bar = toolbar or self.toolbar
        bar.addSeparator()
        for act in actions:
            bar.addAction(act)
        self._wrap_toolbars()
        return bar

    # ----- status and title
    def update_title(self, *_signal_args: Any) -> None:
        name = self.display_name or (
            Path(self.bridge.file_path).name if self.bridge.file_path else translate("MainWindow", "Untitled")
        )
        self.setWindowTitle(f"{name}[*] — Backprop Studio")
        self.setWindowModified(self.bridge.modified)

    def update_run_status(self, *_signal_args: Any) -> None:
        b = self.bridge
        if b.trace is not None:
            try:
                loss = b.trace.loss
                text = f"✓ {b.trace.output} = {format_number(loss, self.settings.digits)}"
                text = quiz_status(self.scene.quiz, b.trace.output, text)
            except (TypeError, IndexError, ValueError):
                text = translate("MainWindow", "stepping…")
            if not b.live:
                text += "  " + translate("MainWindow", "(not live)")
            self.run_status.setText(text)
        elif b.error_message:
            self.run_status.setText(f"⚠ {b.error_message}")
            self.messages.add(b.error_message)
        else:
            self.run_status.setText(translate("MainWindow", "empty graph"))

    # ----- dialogs
    def show_error(self, title: str, message: str) -> None:
        """Show an error in the status bar and a dialog, and announce it (errorShown)."""
        self.statusBar().showMessage(message, 10000)
        self.errorShown.emit(title, message)
        QMessageBox.critical(self, title, message)

    def _ask_save(self) -> QMessageBox.StandardButton:
        return QMessageBox.question(
            self,
            translate("MainWindow", "Unsaved changes"),
            translate("MainWindow", "The graph has unsaved changes. Save them?"),
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
        path, _ = QFileDialog.getOpenFileName(
            self, translate("MainWindow", "Open graph"), start, translate("MainWindow", FILE_FILTER)
        )
        if path:
            self.open_file(path, ask=False)

    def open_file(self, path: str, ask: bool = True, as_copy: bool = False) -> bool:
        """Load a graph file. On failure the loader's message is shown and the current graph is kept."""
        if ask and not self.maybe_save():
            return False
        try:
            doc = load(path, self.bridge.registry)
        except (GraphError, OSError, UnicodeDecodeError) as err:
            self.show_error(translate("MainWindow", "Cannot open the file"), error_text(err))
            return False
        example = translate("MainWindow", "{name} (example)").format(name=Path(path).name)
        self.display_name = example if as_copy else None
        self.bridge.set_document(doc, None if as_copy else str(path))
        if not as_copy:
            self.settings.add_recent(str(Path(path).resolve()))
        if doc.description.strip():
            self.exercise_dock.show()
            self.exercise_dock.raise_()
        self.view.request_fit()
        self.statusBar().showMessage(translate("MainWindow", "opened {path}").format(path=path), 4000)
        return True

    def save(self) -> bool:
        if not self.bridge.file_path:
            return self.save_as()
        return self._write(self.bridge.file_path)

    def save_as(self, path: str | None = None) -> bool:
        if path is None:
            start = self.bridge.file_path or str(Path.cwd() / "graph.json")
            path, _ = QFileDialog.getSaveFileName(
                self, translate("MainWindow", "Save graph"), start, translate("MainWindow", FILE_FILTER)
            )
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
            self.show_error(translate("MainWindow", "Cannot save the file"), f"{path}: {error_text(err)}")
            return False
        self.bridge.undo_stack.setClean()
        self.update_title()
        self.remove_recovery()
        self.statusBar().showMessage(translate("MainWindow", "saved {path}").format(path=path), 4000)
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
                self,
                translate("MainWindow", "Revert"),
                translate("MainWindow", "Discard the changes and reload {name}?").format(
                    name=Path(path).name
                ),
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
            self.recent_menu.addAction(translate("MainWindow", "(none)")).setEnabled(False)
        else:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction(translate("MainWindow", "Clear List"), self.settings.clear_recent)

    def examples(self) -> list[tuple[Path, str]]:
        """The bundled examples with their descriptions in the window's language (English where an
        example has none in it)."""
        lang = engine.i18n.current()
        out = []
        for path in sorted(EXAMPLES_DIR.glob("*.json")):
            try:
                description = description_for(load(path, self.bridge.registry), lang)
            except (GraphError, OSError, UnicodeDecodeError):
                description = ""
            out.append((path, description))
        return out

    def _fill_examples(self) -> None:
        self.examples_menu.clear()
        examples = self.examples()
        for path, description in examples:
            first = description.strip().splitlines()[0] if description.strip() else ""
            # {stem}: the file's name without .json; {file}: with it (a file name in a Russian menu).
            entry = translate("MainWindow", "{stem} — {description}") if first else "{stem}"
            text = entry.format(stem=path.stem, file=path.name, description=first)
            act = self.examples_menu.addAction(text if len(text) < 90 else text[:87] + "…")
            act.setToolTip(description)
            act.setStatusTip(description)
            act.triggered.connect(lambda _c=False, p=path: self.open_file(str(p), as_copy=True))
        if not examples:
            self.examples_menu.addAction(
                translate("MainWindow", "(no examples in {folder})").format(folder=EXAMPLES_DIR)
            ).setEnabled(False)
        self.examples_menu.setToolTipsVisible(True)

    def export_dialog(self) -> None:
        base = Path(self.bridge.file_path).with_suffix(".png") if self.bridge.file_path else Path("graph.png")
        path, _ = QFileDialog.getSaveFileName(
            self,
            translate("MainWindow", "Export image"),
            str(base),
            translate("MainWindow", "PNG image (*.png);;SVG image (*.svg)"),
        )
        if path:
            self.export_image(path)

    def export_image(self, path: str) -> bool:
        try:
            export_scene(self.scene, path)
        except (OSError, ValueError) as err:
            self.show_error(translate("MainWindow", "Cannot export the image"), error_text(err))
            return False
        self.statusBar().showMessage(translate("MainWindow", "exported {path}").format(path=path), 4000)
        return True

    # ----- autosave and recovery (gui/recovery.py decides what may be offered, kept or removed)
    def autosave_now(self) -> Path | None:
        if not self.bridge.modified:
            return None
        try:
            return self._recovery.write(dumps(self.bridge.doc), self.bridge.file_path)
        except OSError as err:
            self.statusBar().showMessage(
                translate("MainWindow", "autosave failed: {error}").format(error=err), 6000
            )
            return None

    def remove_recovery(self) -> None:
        """This window's recovery file (saved or closed): other windows' files are theirs."""
        try:
            self._recovery.remove()
        except OSError:
            pass

    def offer_recovery(self, ask: bool = True) -> bool:
        """After a crash: offer to restore the newest graph autosaved by a window that has ended (it
        comes back as modified). Files of running windows are left alone; unreadable ones kept aside."""
        found = recovery.scan(recovery_dir())
        if found.set_aside:
            names = ", ".join(str(p) for p in found.set_aside)
            self.show_error(
                translate("MainWindow", "Cannot restore"),
                translate("MainWindow", "an autosaved graph could not be read; it is kept as {names}").format(
                    names=names
                ),
            )
        for rec in found.offered:
            if ask and not self._ask_restore(rec):
                recovery.discard(rec)
                continue
            try:
                doc = loads(rec.text, self.bridge.registry, str(rec.file))
            except GraphError as err:
                kept = recovery.set_aside(rec.file)
                self.show_error(
                    translate("MainWindow", "Cannot restore"),
                    translate("MainWindow", "{error}; the autosave is kept as {kept}").format(
                        error=err, kept=kept
                    ),
                )
                continue
            self.bridge.set_document(doc, rec.document)
            self.bridge.undo_stack.resetClean()
            self.update_title()
            self.view.request_fit()
            if self.autosave_now() is not None:  # the work is safe in this window's file first
                recovery.discard(rec)
            return True
        return False

    def _ask_restore(self, rec: recovery.Recovery) -> bool:
        answer = QMessageBox.question(
            self,
            translate("MainWindow", "Restore unsaved work?"),
            translate(
                "MainWindow",
                "Backprop Studio did not close normally. Restore the graph autosaved before that"
                " (from {document})?",
            ).format(document=rec.document)
            if rec.document
            else translate(
                "MainWindow",
                "Backprop Studio did not close normally. Restore the graph autosaved before that?",
            ),
        )
        return answer == QMessageBox.StandardButton.Yes

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
            self,
            translate("MainWindow", "Significant digits"),
            translate("MainWindow", "Digits shown:"),
            self.settings.digits,
            1,
            15,
        )
        if ok:
            self.settings.digits = value

    def show_help(self) -> None:
        QMessageBox.information(
            self,
            translate("MainWindow", "Legend and shortcuts"),
            translate(
                "MainWindow",
                "Blue numbers: the value flowing forward along an edge.\n"
                "Red numbers: the gradient ∂L/∂(source) flowing back along it.\n"
                "A red outline marks a problem; hover it for the reason.\n\n"
                "Drag an op from the palette, or press Tab on the canvas to add one.\n"
                "Drag from an output port (right) to an input port (left) to connect.\n"
                "Wheel: zoom.  Middle button or Shift+Space+drag: pan.  Ctrl+0: fit.\n"
                "Ctrl+L: auto layout.  Delete: remove.  Ctrl+D: duplicate.\n"
                "Ctrl+Z / Ctrl+Shift+Z: undo / redo.  F5: run again.",
            ),
        )

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            translate("MainWindow", "About Backprop Studio"),
            translate("MainWindow", "Backprop Studio: build computation graphs and watch backpropagation."),
        )

    # ----- closing
    def closeEvent(self, event: QCloseEvent) -> None:
        if self.maybe_save():
            self._autosave.stop()
            self.remove_recovery()
            self.docks.save(self.settings)
            event.accept()
        else:
            event.ignore()
