"""certificates models (filled in below)."""
