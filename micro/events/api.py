"""JSON API of the events app (mounted at /api/events/ by config/api.py)."""

from ninja import Router

router = Router(tags=["events"])
