"""SGD-family drills (coming)."""
