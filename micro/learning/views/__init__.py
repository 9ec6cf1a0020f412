"""The e-learning pages, one module per area; ``urls.py`` names each module it routes to."""
