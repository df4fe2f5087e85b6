"""Training: ``settings`` (the checked training object), ``order`` (row orders and the one parser of a
typed order), ``trainer`` (the loop), ``results`` (progress reports, results as JSON), ``dataset``
(CSV, table edits, feeding the loop), ``initialisers``, ``optimisers``, ``metrics`` (what the plots
show) and ``errors``."""
