"""Training: settings, the trainer, optimisers, initialisers, the dataset and training metrics."""
