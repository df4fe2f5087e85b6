"""Interoperability: a graph exported as PyTorch code or as an ONNX model, and a model imported as a graph.

``opmap.py`` holds the one table that says how each op maps (a registry-driven test fails when an op
has no entry); ``onnx_export.py``, ``onnx_import.py``, ``pytorch_export.py`` and ``pytorch_import.py``
walk a compiled plan or a model with it. Reading an ONNX file never executes anything from it; importing
a PyTorch module runs the Python file that defines it, as ``python model.py`` would. torch is optional
and imported only by ``pytorch_import.py``, when it is called.
"""
