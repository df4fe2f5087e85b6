"""The window of Backprop Studio: canvas, palette, inspector, undo commands and the bridge to the core.

Layering: gui → engine → graph. The window keeps no numbers of its own: it shows the engine's Trace.
"""
