"""The numerics of Backprop Studio: ops, plans, forward/backward, stepping and training.

Importing this package registers every op in :data:`engine.registry.REGISTRY`.
"""

from engine import ops_activations, ops_arithmetic, ops_leaves, ops_losses, ops_matrix  # noqa: F401
from engine.registry import REGISTRY, Attr, Formula, OpDef, OpShapeError, register, unbroadcast

__all__ = ["REGISTRY", "Attr", "Formula", "OpDef", "OpShapeError", "register", "unbroadcast"]
