"""Automatic layout of a document: left to right by topological generation, each column ordered to
cross fewer edges. A pure function of the graph; the canvas passes its column and row spacing."""

from __future__ import annotations

import networkx as nx

from graph.document import Document

Position = tuple[float, float]


def layout_positions(doc: Document, column_spacing: float, row_spacing: float) -> dict[str, Position]:
    """A position for every node. Within a column nodes are ordered by the mean row of their
    predecessors (fewer crossings) and centred vertically. A graph with a cycle has no generations:
    its nodes go in a grid of four columns, in node order."""
    try:
        columns = _columns(doc)
    except nx.NetworkXUnfeasible:
        return {
            n: (float((i % 4) * column_spacing), float((i // 4) * row_spacing))
            for i, n in enumerate(doc.node_ids())
        }
    order = {n: i for i, n in enumerate(doc.node_ids())}
    row: dict[str, float] = {}
    positions: dict[str, Position] = {}
    for c in sorted(columns):
        ids = columns[c]
        if c > 0:
            ids.sort(key=lambda n: _mean_row(doc, n, row, order))
        for i, n in enumerate(ids):
            row[n] = i - (len(ids) - 1) / 2
            positions[n] = (float(c * column_spacing), float(row[n] * row_spacing))
    return positions


def _columns(doc: Document) -> dict[int, list[str]]:
    """Column → node ids in node order. A node's column is its topological generation, except that a
    leaf goes one column before its first consumer, so that inputs sit next to where they are used."""
    g = doc.g
    column = {n: i for i, gen in enumerate(nx.topological_generations(g)) for n in gen}
    for n in doc.node_ids():
        if g.in_degree(n) == 0 and g.out_degree(n) > 0:
            column[n] = max(0, min(column[s] for s in g.successors(n)) - 1)
    columns: dict[int, list[str]] = {}
    for n in doc.node_ids():  # node order within a column
        columns.setdefault(column[n], []).append(n)
    return columns


def _mean_row(doc: Document, node_id: str, row: dict[str, float], order: dict[str, int]) -> tuple[float, int]:
    """Sort key: the mean row of the node's already placed predecessors (its node order if none),
    then its node order."""
    preds = [row[p] for p in doc.g.predecessors(node_id) if p in row]
    return (sum(preds) / len(preds) if preds else float(order[node_id]), order[node_id])
