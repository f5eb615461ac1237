"""Learning-rate schedule drills (filled in as the engine lands)."""
