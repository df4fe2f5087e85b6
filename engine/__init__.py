"""The numerics of Backprop Studio: ops, plans, forward/backward, stepping and training.

Importing this package registers every op in :data:`engine.registry.REGISTRY`.
"""

from engine import ops_leaves, ops_arithmetic  # noqa: F401  (registration side effect)
from engine.registry import REGISTRY, OpDef, register, unbroadcast

__all__ = ["REGISTRY", "OpDef", "register", "unbroadcast"]
