"""Teaching: the stepper, explanations, worked solutions, symbolic forms and formula notation."""
