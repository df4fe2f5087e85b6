"""The op library: the registry and one module per op family.

Importing this package registers every op in ``engine.ops.registry.REGISTRY`` (each family module
calls ``register`` for its records when it is imported).
"""

from engine.ops import activations, arithmetic, leaves, losses, matrix  # noqa: F401
