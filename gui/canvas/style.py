"""Colours, fonts and sizes shared by the canvas items, the legend and the headless renderer."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont

VALUE_COLOR = QColor("#1f5fbf")  # values flowing forward
GRAD_COLOR = QColor("#c0421a")  # gradients flowing back
DIM_COLOR = QColor("#a0a0a0")  # not computed yet (a partial trace)
EDGE_COLOR = QColor("#5a5a5a")
TEXT_COLOR = QColor("#000000")
ERROR_COLOR = QColor("#d01818")
HIGHLIGHT_COLOR = QColor("#f2b600")
SELECT_COLOR = QColor("#2a82da")
NODE_FILL = QColor("#ffffff")
BACKGROUND = QColor("#f7f7f4")
GRID_COLOR = QColor("#e6e6e0")
LABEL_BACKGROUND = QColor(247, 247, 244, 215)

GROUP_COLORS = {
    "Inputs & parameters": QColor("#dcebdc"),
    "Arithmetic": QColor("#e3e6f5"),
    "Matrix": QColor("#efe1f2"),
    "Activations": QColor("#fbe9d2"),
    "Losses": QColor("#f6d9d9"),
}
LEAF_COLORS = {"input": QColor("#d4ecd4"), "parameter": QColor("#f3efc4"), "constant": QColor("#e4e4e4")}

NODE_WIDTH = 160
HEADER_HEIGHT = 24
ROW_HEIGHT = 20  # one input port
VALUE_ROW_HEIGHT = 18  # the node's value, and below it its gradient: rows of their own, under the ports
PORT_RADIUS = 5.5
GRID = 20
COLUMN_SPACING = 300
ROW_SPACING = 130


def values_top(n_inputs: int) -> float:
    """Where a node's value row starts: under the header and its input ports' rows."""
    return HEADER_HEIGHT + n_inputs * ROW_HEIGHT + (3 if n_inputs else 2)


def node_height(n_inputs: int) -> float:
    """A node's height: header, one row per input port, then the value row and the gradient row."""
    return values_top(n_inputs) + 2 * VALUE_ROW_HEIGHT + 4


def font(point_size: float = 9.0, bold: bool = False) -> QFont:
    f = QFont("DejaVu Sans")
    f.setPointSizeF(point_size)
    f.setBold(bold)
    return f
