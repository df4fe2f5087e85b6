"""Opening a big document keeps its objects out of the garbage collector's full passes (gc.freeze), so
that no edit pays for walking them; the next document hands them back; the collector ends as it was."""

from __future__ import annotations

import gc

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

import engine  # noqa: E402
from graph.document import Document  # noqa: E402
from graph.edits import SetValue  # noqa: E402
from gui.model_bridge import FREEZE_FROM_NODES, ModelBridge  # noqa: E402

pytestmark = pytest.mark.gui


def _chain(n: int) -> Document:
    doc = Document(engine.REGISTRY)
    doc.add_node("parameter", "p", value=0.5)
    prev = "p"
    for i in range(n - 1):
        doc.add_node("tanh", f"t{i}")
        doc.connect(prev, f"t{i}", "x")
        prev = f"t{i}"
    return doc


def test_a_big_document_is_frozen_and_the_next_one_hands_it_back(qtbot):
    bridge = ModelBridge()
    before = gc.get_freeze_count()
    try:
        bridge.set_document(_chain(FREEZE_FROM_NODES), None)
        assert gc.isenabled()
        assert gc.get_freeze_count() > before
        assert bridge.push(SetValue("p", 0.25)) and bridge.trace is not None  # edits work as ever
        bridge.set_document(_chain(5), None)
        assert gc.get_freeze_count() == 0
    finally:
        gc.unfreeze()


def test_a_collector_switched_off_stays_off_and_a_small_document_is_not_frozen(qtbot):
    bridge = ModelBridge()
    gc.disable()
    try:
        bridge.set_document(_chain(FREEZE_FROM_NODES), None)
        assert not gc.isenabled()  # disabled by someone else: it stays so
        bridge.set_document(_chain(FREEZE_FROM_NODES - 1), None)
        assert gc.get_freeze_count() == 0 and not gc.isenabled()
    finally:
        gc.enable()
        gc.unfreeze()
