"""Dead and saturated units: how often each unit of an activation passes (almost) no gradient back.

A ReLU-family unit is *inactive* on a row when its input z ≤ 0 (ReLU passes nothing back there; leaky
ReLU, ELU and SELU only a little); one inactive on every row is *dead*: no row can bring it back. A
sigmoid or tanh unit is *saturated* when |f′(z)| < SATURATED; saturated on every row it learns nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.diagnose.model import Model
from engine.i18n import _

RELU_FAMILY = ("relu", "leaky_relu", "elu", "selu")
SQUASHING = ("sigmoid", "tanh")
SATURATED = 0.01  # |f′(z)| below this counts as saturated


@dataclass(frozen=True)
class UnitHealth:
    """One activation node: per unit (its values flattened), the fraction of rows on which it is
    inactive (kind "inactive", ReLU family) or saturated (kind "saturated", sigmoid and tanh)."""

    node: str
    op: str
    kind: str
    fraction: np.ndarray

    @property
    def stuck(self) -> list[int]:
        """The units (numbered from 0) inactive or saturated on every row."""
        return [int(k) for k in np.flatnonzero(self.fraction >= 1.0)]

    def reason(self) -> str | None:
        """What the canvas says on hover when some unit is stuck on every row (None if none is)."""
        stuck = self.stuck
        if not stuck:
            return None
        units = ", ".join(map(str, stuck))
        every = len(stuck) == self.fraction.size
        if self.kind == "inactive":
            if every:
                return _("every unit dead: its input z ≤ 0 on every row of the dataset, "
                         "so no gradient flows back")
            return _("unit {units} dead: its input z ≤ 0 on every row of the dataset, "
                     "so no gradient flows back").format(units=units)
        if every:
            return _("every unit saturated: |f′(z)| < {least} on every row of the dataset, "
                     "so it learns almost nothing").format(least=SATURATED)
        return _("unit {units} saturated: |f′(z)| < {least} on every row of the dataset, "
                 "so it learns almost nothing").format(units=units, least=SATURATED)


def unit_health(model: Model) -> list[UnitHealth]:
    """Every ReLU-family, sigmoid and tanh node the loss depends on, over every row of the dataset."""
    plan = model.plan
    nodes = [
        s for s in plan.forward_slots if plan.reaches_output[s] and plan.ops[s].id in RELU_FAMILY + SQUASHING
    ]
    if not nodes:
        return []
    z_ids = {plan.ids[s]: plan.ids[plan.inputs[s][0]] for s in nodes}
    values = model.forward(list(dict.fromkeys([*z_ids, *z_ids.values()])))
    result = []
    for s in nodes:
        node, op = plan.ids[s], plan.ops[s]
        z = values[z_ids[node]].reshape(len(values[node]), -1)
        if op.id in RELU_FAMILY:
            off = z <= 0
            kind = "inactive"
        else:
            y = values[node].reshape(z.shape)
            with np.errstate(all="ignore"):
                slope = op.vjps[0](np.ones_like(z), (z,), y, **plan.attrs[s])
            off = np.abs(slope) < SATURATED
            kind = "saturated"
        result.append(UnitHealth(node, op.id, kind, off.mean(axis=0)))
    return result
