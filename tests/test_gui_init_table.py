"""The initialiser table follows the document's parameters: after any edits it shows what a table
filled afresh shows, and an edit that leaves the parameters alone sets no row again."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

from graph.edits import AddNode, Connect, Macro, RemoveNode, SetInit  # noqa: E402
from gui.model_bridge import ModelBridge  # noqa: E402
from gui.panels.training.init_table import InitTable  # noqa: E402

pytestmark = pytest.mark.gui


def _kind(table: InitTable, row: int) -> str:
    """The kind a row shows: in its chooser, or as text while it has none (out of view)."""
    combo = table.table.cellWidget(row, 1)
    return combo.currentText() if combo is not None else table.table.item(row, 1).text()


def _shown(table: InitTable) -> list[tuple[str, str, str, str]]:
    t = table.table
    return [
        (t.item(r, 0).text(), _kind(table, r), t.item(r, 2).text(), t.item(r, 3).text())
        for r in range(t.rowCount())
    ]


def _fresh(bridge: ModelBridge) -> list[tuple[str, str, str, str]]:
    table = InitTable(bridge)
    table.fill()
    return _shown(table)


def test_the_table_shows_what_a_fresh_one_shows_after_edits(qtbot):
    bridge = ModelBridge()
    table = InitTable(bridge)
    qtbot.addWidget(table)
    edits = [
        AddNode("parameter", "w", value=1.0),
        AddNode("parameter", "b", value=0.0),
        SetInit("w", {"kind": "normal", "mean": 0.0, "std": 0.5, "seed": 3}),
        AddNode("tanh", "t"),
        Connect("w", "t", "x"),
        RemoveNode("w"),
        AddNode("parameter", "v", value=2.0),
        SetInit("b", {"kind": "constant", "value": 0.25}),
    ]
    for edit in edits:
        bridge.push(edit)
        table.fill()
        assert _shown(table) == _fresh(bridge)
    for _ in edits:
        bridge.undo()
        table.fill()
        assert _shown(table) == _fresh(bridge)
    assert _shown(table) == []


def test_an_edit_that_leaves_the_parameters_alone_sets_no_row_again(qtbot):
    bridge = ModelBridge()
    for name in ("w", "b"):
        bridge.push(AddNode("parameter", name, value=1.0))
    table = InitTable(bridge)
    qtbot.addWidget(table)
    table.fill()
    items = [table.table.item(r, c) for r in range(2) for c in (0, 2, 3)]
    bridge.push(AddNode("tanh", "t"))
    bridge.push(Connect("w", "t", "x"))
    table.fill()
    assert [table.table.item(r, c) for r in range(2) for c in (0, 2, 3)] == items
    bridge.push(SetInit("b", {"kind": "constant", "value": 0.5}))
    table.fill()
    assert table.table.item(0, 2) is items[1]  # w's row stays
    assert table.table.item(1, 2).text() == "value=0.5"


def test_a_refused_entry_is_put_back(qtbot):
    bridge = ModelBridge()
    bridge.push(AddNode("parameter", "w", value=1.0))
    bridge.push(SetInit("w", {"kind": "constant", "value": 0.5}))
    table = InitTable(bridge)
    qtbot.addWidget(table)
    table.fill()
    messages = []
    table.message.connect(messages.append)
    table.table.item(0, 2).setText("value=abc")
    assert messages and table.table.item(0, 2).text() == "value=0.5"
    table.table.item(0, 3).setText("7")  # a seed: the same init otherwise
    assert bridge.doc.node("w").init == {"kind": "constant", "value": 0.5, "seed": 7}
    table.fill()
    assert _shown(table) == _fresh(bridge)


def test_a_long_table_makes_kind_choosers_for_the_rows_in_view(qtbot):
    bridge = ModelBridge()
    n = 400
    bridge.push(Macro("parameters", [AddNode("parameter", f"w{i}", value=1.0) for i in range(n)]))
    bridge.push(SetInit(f"w{n - 1}", {"kind": "constant", "value": 0.5}))
    table = InitTable(bridge)
    qtbot.addWidget(table)
    table.resize(500, 300)
    table.show()
    qtbot.waitExposed(table)
    table.fill()
    t = table.table
    with_box = [r for r in range(n) if t.cellWidget(r, 1) is not None]
    assert 0 in with_box and 3 < len(with_box) < 60
    assert _kind(table, n - 1) == "constant" and table.row_init(n - 1) == {"kind": "constant", "value": 0.5}
    t.scrollToBottom()
    assert t.cellWidget(n - 1, 1) is not None and t.cellWidget(n - 1, 1).currentText() == "constant"
    assert _shown(table) == _fresh(bridge)
    t.cellWidget(n - 1, 1).setCurrentText("zeros")  # the user picks another kind
    assert bridge.doc.node(f"w{n - 1}").init["kind"] == "zeros"
