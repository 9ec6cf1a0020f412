"""discussions models (filled in below)."""
