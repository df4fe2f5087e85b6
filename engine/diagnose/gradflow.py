"""Gradient flow: each parameter's gradient norm per update, in layer order, the ratio between the
first and the last layer, and a plain note when gradients vanish or explode."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import networkx as nx
import numpy as np

from engine.i18n import _, ngettext
from graph.document import Document

VANISH = 1e-3  # first layer's norm / last layer's below this: the first layers barely learn
EXPLODE = 1e3  # that ratio above this, or any norm above EXPLODE: updates overshoot
RECENT = 10  # the ratio compares the mean norms over the last RECENT updates


@dataclass(frozen=True)
class GradientFlow:
    """norms[u, k]: the gradient norm of parameter order[k] at update u."""

    order: list[str]
    norms: np.ndarray
    ratio: float | None  # first layer / last layer over the recent updates (None: fewer than 2 layers)
    note: str

    def to_json(self) -> dict[str, object]:
        return {"order": self.order, "ratio": self.ratio, "note": self.note, "norms": self.norms.tolist()}


def layer_order(doc: Document, parameter_ids: Sequence[str]) -> list[str]:
    """Parameters from the input side to the loss: by how many ops lie before their first consumer."""
    depth = {n: d for d, generation in enumerate(nx.topological_generations(doc.g)) for n in generation}

    def key(p: str) -> tuple[int, int]:
        consumers = [e.target for e in doc.consumers_of(p)]
        return (min((depth[c] for c in consumers), default=0), list(parameter_ids).index(p))

    return sorted(parameter_ids, key=key)


def gradient_flow(
    norms: dict[str, Sequence[float]], order: Sequence[str], layers: Sequence[str] | None = None
) -> GradientFlow:
    """The norms per update (one list per parameter) in `order`, their ratio and the note. The ratio
    compares the first and the last of `layers` (the weight matrices, say), by default of `order`."""
    order = [p for p in order if p in norms]
    table = np.array([np.asarray(norms[p], dtype=np.float64) for p in order]).T if order else np.zeros((0, 0))
    if table.size == 0 or len(order) < 2:
        return GradientFlow(order, table, None, _("one parameter layer or no updates: no ratio to compare"))
    ends = [p for p in (layers or order) if p in order]
    ends = [ends[0], ends[-1]] if len(ends) >= 2 else [order[0], order[-1]]
    recent = table[-RECENT:].mean(axis=0)
    first, last = (recent[order.index(p)] for p in ends)
    ratio = float(first / last) if last > 0 else float("inf")
    return GradientFlow(order, table, ratio, flow_note(ratio, float(np.nanmax(table)), ends))


def flow_note(ratio: float, largest: float, order: Sequence[str]) -> str:
    """The plain-language verdict, the thresholds stated."""
    first, last = order[0], order[-1]
    said = ngettext("‖∇{first}‖ / ‖∇{last}‖ = {ratio} over the last update",
                    "‖∇{first}‖ / ‖∇{last}‖ = {ratio} over the last {count} updates", RECENT).format(
        first=first, last=last, ratio=f"{ratio:.3g}", count=RECENT)
    if not np.isfinite(largest) or largest > EXPLODE or ratio > EXPLODE:
        return _("Exploding gradients: {said}, largest norm {largest} (threshold: ratio or norm above "
                 "{most}). Lower the learning rate, rescale the initial weights or clip the "
                 "gradients.").format(
            said=said, largest=f"{largest:.3g}", most=f"{EXPLODE:g}")
    if ratio < VANISH:
        return _("Vanishing gradients: {said} (threshold: below {least}). The first layers barely learn: "
                 "try ReLU instead of sigmoid/tanh, a smaller initial scale of saturating units, "
                 "or fewer layers.").format(
            said=said, least=f"{VANISH:g}")
    return _("Gradients flow: {said}, within [{least}, {most}].").format(
        said=said, least=f"{VANISH:g}", most=f"{EXPLODE:g}")


def histograms(snapshots: Sequence[np.ndarray], bins: int = 30) -> tuple[np.ndarray, np.ndarray]:
    """(edges, counts[t, bin]): one histogram per snapshot over a common range (a heatmap over time)."""
    flat = [np.ravel(s) for s in snapshots]
    values = np.concatenate(flat) if flat else np.zeros(1)
    values = values[np.isfinite(values)]
    lo, hi = (float(values.min()), float(values.max())) if values.size else (0.0, 1.0)
    if hi <= lo:
        lo, hi = lo - 0.5, hi + 0.5
    edges = np.linspace(lo, hi, bins + 1)
    counts = np.array([np.histogram(s, edges)[0] for s in flat]) if flat else np.zeros((0, bins))
    return edges, counts
