"""User preferences kept in QSettings: significant digits, grid snap, which edge labels show, recent files,
and the window's size, place and dock layout."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QObject, QSettings, Signal

ORGANIZATION = "BackpropStudio"
APPLICATION = "Backprop Studio"
MAX_RECENT = 8


def _bool(value: object, default: bool) -> bool:
    if value is None:
        return default
    if isinstance(value, str):
        return value.lower() in ("1", "true", "yes")
    return bool(value)


class _MemoryStore:
    """Preferences that live only in memory (headless rendering, benchmarks)."""

    def __init__(self) -> None:
        self._data: dict[str, object] = {}

    def value(self, key: str, default: object = None) -> object:
        return self._data.get(key, default)

    def setValue(self, key: str, value: object) -> None:
        self._data[key] = value


class Settings(QObject):
    """Typed access to the preferences; `changed` fires with the key that changed."""

    changed = Signal(str)

    def __init__(self, parent: QObject | None = None, memory: bool = False) -> None:
        super().__init__(parent)
        if memory:
            self._q: QSettings | _MemoryStore = _MemoryStore()
        else:
            self._q = QSettings(
                QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION
            )

    def _set(self, key: str, value: object) -> None:
        self._q.setValue(key, value)
        self.changed.emit(key)

    @property
    def digits(self) -> int:
        try:
            return max(1, min(15, int(self._q.value("display/digits", 4))))
        except (TypeError, ValueError):
            return 4

    @digits.setter
    def digits(self, value: int) -> None:
        self._set("display/digits", int(value))

    @property
    def snap(self) -> bool:
        return _bool(self._q.value("canvas/snap"), True)

    @snap.setter
    def snap(self, value: bool) -> None:
        self._set("canvas/snap", bool(value))

    @property
    def grid(self) -> int:
        return 20

    @property
    def show_values(self) -> bool:
        return _bool(self._q.value("display/show_values"), True)

    @show_values.setter
    def show_values(self, value: bool) -> None:
        self._set("display/show_values", bool(value))

    @property
    def show_grads(self) -> bool:
        return _bool(self._q.value("display/show_grads"), True)

    @show_grads.setter
    def show_grads(self, value: bool) -> None:
        self._set("display/show_grads", bool(value))

    @property
    def unit_thumbnails(self) -> bool:
        """Each hidden unit's map over the input plane under its node (off: it is wide)."""
        return _bool(self._q.value("display/unit_thumbnails"), False)

    @unit_thumbnails.setter
    def unit_thumbnails(self, value: bool) -> None:
        self._set("display/unit_thumbnails", bool(value))

    @property
    def language(self) -> str:
        """The window's language as chosen in Settings ▸ Language ("" = the system's)."""
        value = self._q.value("display/language", "")
        return value if isinstance(value, str) else ""

    @language.setter
    def language(self, value: str) -> None:
        self._set("display/language", value)

    @property
    def recent_files(self) -> list[str]:
        value = self._q.value("files/recent", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or [])]

    def add_recent(self, path: str) -> None:
        files = [path] + [p for p in self.recent_files if p != path]
        self._set("files/recent", files[:MAX_RECENT])

    def clear_recent(self) -> None:
        self._set("files/recent", [])

    def window_layout(self) -> tuple[QByteArray | None, QByteArray | None]:
        """(saved geometry, saved dock state) of the main window, None where nothing is saved."""
        return _bytes(self._q.value("window/geometry")), _bytes(self._q.value("window/state"))

    def set_window_layout(self, geometry: QByteArray, state: QByteArray) -> None:
        self._q.setValue("window/geometry", geometry)
        self._set("window/state", state)


def _bytes(value: object) -> QByteArray | None:
    if isinstance(value, QByteArray) and not value.isEmpty():
        return value
    if isinstance(value, (bytes, bytearray)) and value:
        return QByteArray(bytes(value))
    return None
