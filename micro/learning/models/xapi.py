"""xapi models (filled in below)."""
