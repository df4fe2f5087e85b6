"""What the document tells its followers: one small frozen dataclass per kind of change (past tense),
and the hub that delivers them.

A follower registers a handler per kind, ``doc.events.subscribe(NodeAdded, self._on_node_added)``, and
receives the event object. A kind is matched with isinstance, so ``subscribe(NodeEvent, h)`` receives
every change of a node and ``subscribe(Event, h)`` receives everything (for "something changed,
recompute"). Handlers run synchronously, in the order they subscribed, right after the change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from graph.document import Edge


@dataclass(frozen=True)
class Event:
    """Base of every event; subscribe to it to receive all of them."""


@dataclass(frozen=True)
class NodeEvent(Event):
    """Something happened to one node (its id)."""

    node: str


@dataclass(frozen=True)
class EdgeEvent(Event):
    edge: Edge


@dataclass(frozen=True)
class NodeAdded(NodeEvent):
    pass


@dataclass(frozen=True)
class NodeRemoved(NodeEvent):
    pass


@dataclass(frozen=True)
class ValueChanged(NodeEvent):
    """A leaf's value."""


@dataclass(frozen=True)
class AttrChanged(NodeEvent):
    """An attribute was set, or unset back to the op's default."""

    name: str


@dataclass(frozen=True)
class OpChanged(NodeEvent):
    pass


@dataclass(frozen=True)
class LabelChanged(NodeEvent):
    pass


@dataclass(frozen=True)
class InitChanged(NodeEvent):
    """A parameter's initialiser."""


@dataclass(frozen=True)
class NodeMoved(NodeEvent):
    pass


@dataclass(frozen=True)
class EdgeAdded(EdgeEvent):
    pass


@dataclass(frozen=True)
class EdgeRemoved(EdgeEvent):
    pass


@dataclass(frozen=True)
class DescriptionChanged(Event):
    pass


@dataclass(frozen=True)
class DatasetChanged(Event):
    pass


@dataclass(frozen=True)
class TrainingChanged(Event):
    pass


@dataclass(frozen=True)
class DocumentReset(Event):
    """The whole content was replaced (open, new, revert): rebuild everything."""


E = TypeVar("E", bound=Event)


class Events:
    """Delivers events to the handlers subscribed to their kind (or a base of it)."""

    def __init__(self) -> None:
        self._subscriptions: list[tuple[type[Event], Callable[[Event], None]]] = []

    def subscribe(self, kind: type[E], handler: Callable[[E], None]) -> None:
        self._subscriptions.append((kind, handler))  # type: ignore[arg-type]

    def unsubscribe(self, kind: type[E], handler: Callable[[E], None]) -> None:
        """Raises ValueError if handler was not subscribed to kind."""
        self._subscriptions.remove((kind, handler))  # type: ignore[arg-type]

    def emit(self, event: Event) -> None:
        # A copy: a handler may subscribe or unsubscribe while the event is delivered.
        for kind, handler in list(self._subscriptions):
            if isinstance(event, kind):
                handler(event)
