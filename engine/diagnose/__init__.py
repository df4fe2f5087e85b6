"""Why doesn't it train? Diagnostics computed from a compiled document, Qt-free.

``model.Model`` holds a plan, its dataset as stacked rows and its own copy of the parameters, and
evaluates many rows in one pass where the graph acts row by row (``engine/compile/batch.py``), else
row by row. On top of it: ``boundary`` (the output and each hidden unit over the input plane),
``units`` (dead and saturated units), ``gradflow`` (gradient norms per parameter and the vanish /
explode note), ``landscape`` (the loss along the gradient and on a filter-normalised random plane, with
the training path projected on it) and ``lr_range`` (Smith's learning-rate range test).
"""
