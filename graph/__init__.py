"""The graph document of Backprop Studio: nodes, edges, edits, validation and the file format."""

from graph.document import Document, Edge, Node
from graph.errors import FileFormatError, GraphError
from graph.file_format import dumps, load, loads, save

__all__ = ["Document", "Edge", "Node", "GraphError", "FileFormatError", "load", "loads", "save", "dumps"]
