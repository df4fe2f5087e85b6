"""Typed errors of the document. Each carries the ids (node, port, file line) it is about."""

from __future__ import annotations


class GraphError(Exception):
    """Base of every error about a graph; str(err) is one line naming the place."""

    def __init__(self, message: str, node: str | None = None, port: str | None = None) -> None:
        super().__init__(message)
        self.node = node
        self.port = port

    @property
    def message(self) -> str:
        return str(self)


class UnknownOpError(GraphError):
    pass


class UnknownNodeError(GraphError):
    pass


class DuplicateIdError(GraphError):
    pass


class InvalidIdError(GraphError):
    """A node id that is not a name (letters, digits, _ . -; starting with a letter or _)."""


class PortError(GraphError):
    """An input port that does not exist, is unconnected, or is taken."""


class UnknownPortError(PortError):
    pass


class MissingInputError(PortError):
    pass


class PortOccupiedError(PortError):
    pass


class CycleError(GraphError):
    def __init__(self, message: str, cycle: list[str]) -> None:
        super().__init__(message, node=cycle[0] if cycle else None)
        self.cycle = cycle


class ShapeError(GraphError):
    pass


class SizeError(ShapeError):
    """A node whose value would hold more numbers than the program allows (graph.values limits)."""


class LeafValueError(GraphError):
    """A leaf value that is missing or not a rectangular array of finite numbers."""


class AttrError(GraphError):
    """An attribute that an op does not have or whose value is out of range."""


class OutputError(GraphError):
    """No output, several candidate outputs, or a non-scalar output."""


class FileFormatError(GraphError):
    """A graph file that cannot be loaded; the message names the file and the place in it."""

    def __init__(self, message: str, line: int | None = None, node: str | None = None) -> None:
        super().__init__(message, node=node)
        self.line = line
