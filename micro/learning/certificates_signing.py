"""Ed25519 signatures for Open Badges 3.0 credentials, as W3C Data Integrity proofs (``eddsa-jcs-2022``).

The proof follows the ``eddsa-jcs-2022`` cryptosuite of *Data Integrity EdDSA Cryptosuites v1.0*:

1. the proof options (everything of the proof but ``proofValue``, with the document's
   ``@context``) and the document without its proof are each canonicalised with the JSON
   Canonicalization Scheme (RFC 8785: keys sorted, no whitespace, UTF-8) and hashed with SHA-256;
2. the Ed25519 signature of ``hash(proof options) + hash(document)`` is the ``proofValue``,
   written as multibase base58-btc (a leading ``z``);
3. the public key is published as a ``Multikey`` (``publicKeyMultibase`` = ``z`` + base58-btc of
   the multicodec prefix ``0xed01`` and the 32 key bytes).

The RDF-canonicalising suite (``eddsa-rdfc-2022``) needs a JSON-LD processor that is not installed;
JCS signs the very JSON that is stored and handed out, so any changed field breaks the signature.
Our documents hold strings, integers, booleans, lists and objects only (no floating-point numbers,
no integer beyond 2^53), and ASCII keys, for which Python's sorted, compact ``json.dumps`` is
exactly RFC 8785; documents with anything else are refused.

The private key comes from ``settings.CERTIFICATE_SIGNING_KEY_PATH`` (PEM, PKCS#8). When
``settings.CERTIFICATE_SIGNING_KEY_GENERATE`` is on (development, tests) a missing key is generated
there on first use; production provides the file and never generates one.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-jcs-2022"
PROOF_PURPOSE = "assertionMethod"
_ED25519_MULTICODEC = b"\xed\x01"
_BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


class SignatureError(Exception):
    """A proof that cannot be checked or does not verify; ``code`` says which case it is."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


# --- encodings -------------------------------------------------------------------------------


def canonical_json(value: Any) -> bytes:
    """RFC 8785 (JCS) bytes of ``value``; floats and huge integers are refused: we never sign any.

    Text that is not valid Unicode (a lone UTF-16 surrogate such as ``"\\ud800"``, which JSON may
    carry but UTF-8 cannot) is refused with the code ``unicode``: RFC 8785 forbids it too."""
    _refuse_floats(value)
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise SignatureError("unicode") from exc


_SAFE_INTEGER = 2**53 - 1  # beyond it, RFC 8785 (ECMAScript numbers) and Python print integers differently


def _refuse_floats(value: Any) -> None:
    if isinstance(value, float) or (isinstance(value, int) and abs(value) > _SAFE_INTEGER):
        raise SignatureError("float")
    if isinstance(value, dict):
        for key, item in value.items():
            if not key.isascii():  # JCS sorts keys by UTF-16 units, Python by code points
                raise SignatureError("shape")
            _refuse_floats(item)
    elif isinstance(value, list):
        for item in value:
            _refuse_floats(item)


def base58btc_encode(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    encoded = ""
    while number:
        number, remainder = divmod(number, 58)
        encoded = _BASE58_ALPHABET[remainder] + encoded
    leading_zeros = len(data) - len(data.lstrip(b"\0"))
    return "1" * leading_zeros + encoded


def base58btc_decode(text: str) -> bytes:
    number = 0
    for char in text:
        index = _BASE58_ALPHABET.find(char)
        if index < 0:
            raise SignatureError("encoding")
        number = number * 58 + index
    leading_zeros = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * leading_zeros + body


def multibase_decode(text: Any) -> bytes:
    """Bytes of a base58-btc multibase string (``z…``); anything else is a ``SignatureError``."""
    if not isinstance(text, str) or not text.startswith("z") or len(text) > 200:
        raise SignatureError("encoding")
    return base58btc_decode(text[1:])


# --- the key ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SigningKey:
    private: Ed25519PrivateKey
    public_multibase: str

    @property
    def public_jwk(self) -> dict[str, str]:
        raw = self.private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return {"kty": "OKP", "crv": "Ed25519", "x": base64.urlsafe_b64encode(raw).rstrip(b"=").decode()}


def public_key_multibase(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "z" + base58btc_encode(_ED25519_MULTICODEC + raw)


def public_key_from_multibase(text: Any) -> Ed25519PublicKey:
    data = multibase_decode(text)
    if len(data) != 34 or not data.startswith(_ED25519_MULTICODEC):
        raise SignatureError("key")
    return Ed25519PublicKey.from_public_bytes(data[2:])


def _generate_key_file(path: Path) -> None:
    """Write a new key to ``path`` atomically; if another process won the race, keep theirs."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".certificate-key-")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(pem)
        os.chmod(temporary, 0o600)
        with contextlib.suppress(FileExistsError):  # another process wrote it first: keep theirs
            os.link(temporary, path)
    finally:
        os.unlink(temporary)


@lru_cache(maxsize=4)
def _load_key(path_text: str, generate: bool) -> SigningKey:
    path = Path(path_text)
    if not path.exists():
        if not generate:
            raise ImproperlyConfigured(
                f"The certificate signing key {path} does not exist. Create it (see docs/administrator-guide.md, "
                "'Certificates and signing key') or set CERTIFICATE_SIGNING_KEY_PATH."
            )
        _generate_key_file(path)
    try:
        private = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(f"The certificate signing key {path} is not an unencrypted PEM key.") from exc
    if not isinstance(private, Ed25519PrivateKey):
        raise ImproperlyConfigured(f"The certificate signing key {path} is not an Ed25519 key.")
    return SigningKey(private=private, public_multibase=public_key_multibase(private.public_key()))


def signing_key() -> SigningKey:
    """The platform's signing key, read once per process (and generated in development)."""
    return _load_key(str(settings.CERTIFICATE_SIGNING_KEY_PATH), bool(settings.CERTIFICATE_SIGNING_KEY_GENERATE))


# --- proofs ----------------------------------------------------------------------------------


_DATE_TIME_STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$", re.ASCII)


def _is_date_time_stamp(value: Any) -> bool:
    """An XML Schema ``dateTimeStamp`` (a date and time with its time zone), as the proof's ``created``."""
    if not isinstance(value, str) or not _DATE_TIME_STAMP.match(value):
        return False
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def _hash_data(document: dict[str, Any], proof_options: dict[str, Any]) -> bytes:
    return hashlib.sha256(canonical_json(proof_options)).digest() + hashlib.sha256(canonical_json(document)).digest()


def sign(document: dict[str, Any], *, verification_method: str, created: str) -> dict[str, Any]:
    """A copy of ``document`` with an embedded ``eddsa-jcs-2022`` proof."""
    key = signing_key()
    unsecured = {name: value for name, value in document.items() if name != "proof"}
    proof_options: dict[str, Any] = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": PROOF_PURPOSE,
    }
    if "@context" in unsecured:
        proof_options["@context"] = unsecured["@context"]
    signature = key.private.sign(_hash_data(unsecured, proof_options))
    proof = {name: value for name, value in proof_options.items() if name != "@context"}
    proof["proofValue"] = "z" + base58btc_encode(signature)
    return {**unsecured, "proof": proof}


def verify(document: Any, public_keys: dict[str, Ed25519PublicKey]) -> dict[str, Any]:
    """Check the embedded proof of ``document`` against the keys we publish (by verification method).

    Follows "Verify Proof (eddsa-jcs-2022)": the proof options are the proof without
    ``proofValue``; when they carry an ``@context``, the document's ``@context`` must start with
    it and the document is hashed with that context; the proof configuration (type, cryptosuite,
    ``created`` a dateTimeStamp) is checked and hashed with the document's ``@context``; the
    signature covers ``hash(proof configuration) + hash(document)``. Two limits, on purpose: a
    proof *set* (a list of proofs) is refused, and only our own published keys are looked up (no
    DID or remote key resolution), since this verifier checks the credentials of this platform.

    Returns the proof. Raises ``SignatureError`` with one of the codes ``shape``, ``proof``,
    ``suite``, ``key``, ``encoding``, ``float``, ``unicode`` or ``signature``.
    """
    if not isinstance(document, dict):
        raise SignatureError("shape")
    proof = document.get("proof")
    if not isinstance(proof, dict):
        raise SignatureError("proof")
    if proof.get("type") != PROOF_TYPE or proof.get("cryptosuite") != CRYPTOSUITE:
        raise SignatureError("suite")
    if proof.get("proofPurpose") != PROOF_PURPOSE or not _is_date_time_stamp(proof.get("created")):
        raise SignatureError("proof")
    method = proof.get("verificationMethod")
    public_key = public_keys.get(method) if isinstance(method, str) else None
    if public_key is None:
        raise SignatureError("key")
    try:
        signature = multibase_decode(proof.get("proofValue"))
    except (SignatureError, binascii.Error) as exc:
        raise SignatureError("encoding") from exc
    if len(signature) != 64:
        raise SignatureError("encoding")
    unsecured = {name: value for name, value in document.items() if name != "proof"}
    proof_options = {name: value for name, value in proof.items() if name != "proofValue"}
    if "@context" in proof_options:
        wanted = _as_list(proof_options["@context"])
        if _as_list(unsecured.get("@context"))[: len(wanted)] != wanted:
            raise SignatureError("proof")
        unsecured["@context"] = proof_options["@context"]
    if "@context" in unsecured:
        proof_options["@context"] = unsecured["@context"]
    try:
        public_key.verify(signature, _hash_data(unsecured, proof_options))
    except InvalidSignature as exc:
        raise SignatureError("signature") from exc
    return proof


def _as_list(context: Any) -> list[Any]:
    if context is None:
        return []
    return context if isinstance(context, list) else [context]
