"""The training dock and what it drives: the panel (``panel``: run controls, settings form, initialiser
table and comparison, composed from ``controls``, ``settings_form`` and ``init_table``), the worker
process that trains (``worker``, no Qt), the plots (``plots``) and the dataset editor
(``dataset_editor``)."""
