"""Optimizer-step drills (filled in as the engine lands)."""
