"""JSON API of the practices app (mounted at /api/practices/ by config/api.py)."""

from ninja import Router

router = Router(tags=["practices"])
