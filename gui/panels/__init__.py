"""The docked panels: palette, inspector, stepping, training, plots and the dataset editor."""
