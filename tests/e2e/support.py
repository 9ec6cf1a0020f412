"""Constants and helpers shared by the end-to-end tests (kept out of conftest so tests can import them)."""

from __future__ import annotations

from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
OPERATOR_EMAIL = "operator@demo.micro.example"
RTL_LANGUAGES = {"ar", "fa", "ur", "ps", "he"}

# Put in each test module: ``pytestmark = E2E``.
E2E = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason=f"e2e tests need Debian Chromium at {CHROMIUM} (apt-get install chromium)"
    ),
]
