"""Personal links and check-in codes.

The personal link's token is an HMAC of the registration's public id and a nonce under the
server's secret key: the database stores only its SHA-256 hash (a leaked database opens no
registration), yet the server can put the same working link in the confirmation, the reminder
and the "move up" emails. A new nonce makes every earlier link stop working.

The check-in code is short, random and printed as a QR code (``MICRO-EVENT:<event id>:<code>``);
it lets an organiser check the person in and nothing else.
"""

from __future__ import annotations

import hashlib
import re
import secrets

from django.utils.crypto import salted_hmac

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: easy to read out and type
CODE_LENGTH = 10
QR_PREFIX = "MICRO-EVENT"
_PAYLOAD = re.compile(r"^\s*MICRO-EVENT:(\d{1,12}):([A-Za-z0-9-]{1,40})\s*$", re.IGNORECASE)
_TOKEN = re.compile(r"^[0-9a-f]{64}$")


def new_nonce() -> str:
    return secrets.token_hex(16)


def registration_token(public_id: object, nonce: str) -> str:
    return salted_hmac("micro.events.registration-link", f"{public_id}:{nonce}", algorithm="sha256").hexdigest()


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_is_well_formed(token: str) -> bool:
    return bool(token) and bool(_TOKEN.match(token))


def new_checkin_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def qr_payload(event_id: int, code: str) -> str:
    return f"{QR_PREFIX}:{event_id}:{code}"


def parse_checkin_input(text: str) -> tuple[int | None, str]:
    """(event id or None, normalised code) from a scanned QR payload or a code typed by hand."""
    text = (text or "").strip()[:200]
    match = _PAYLOAD.match(text)
    if match:
        return int(match.group(1)), normalise_code(match.group(2))
    return None, normalise_code(text)


def normalise_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())[: CODE_LENGTH + 6]
