"""Ed25519 signatures of labels, checkable offline with the platform's published public key.

A signed label is the JSON document {"payload": …, "signature": …, "algorithm": "Ed25519", "key_id": …}; the
signature covers the payload serialised canonically (UTF-8 JSON, sorted keys, no spaces).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from functools import lru_cache
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def canonical_bytes(payload: dict) -> bytes:
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _key_file() -> Path:
    return Path(settings.LABEL_SIGNING_KEY_FILE)


def _create_key_file(path: Path) -> None:
    """Only in demo or debug mode: production keys are made once, kept secret and shared by every server."""
    if not (settings.DEMO_MODE or settings.DEBUG):
        raise ImproperlyConfigured(
            f"LABEL_SIGNING_KEY_FILE ({path}) does not exist: create it with `manage.py label_signing_key --create`."
        )
    write_new_key(path)


def write_new_key(path: Path) -> None:
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # O_EXCL: two processes starting together keep the same key, the first one written.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)


@lru_cache(maxsize=4)
def _private_key_from(path: str, modified: float) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ImproperlyConfigured(f"{path} is not an Ed25519 private key.")
    return key


def private_key() -> Ed25519PrivateKey:
    path = _key_file()
    if not path.exists():
        _create_key_file(path)
    return _private_key_from(str(path), path.stat().st_mtime)


def public_key() -> Ed25519PublicKey:
    return private_key().public_key()


def public_key_pem() -> bytes:
    return public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def key_id(key: Ed25519PublicKey | None = None) -> str:
    raw = (key or public_key()).public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def sign(payload: dict) -> str:
    return base64.b64encode(private_key().sign(canonical_bytes(payload))).decode("ascii")


def signature_is_valid(payload: dict, signature: str, key: Ed25519PublicKey | None = None) -> bool:
    try:
        raw = base64.b64decode(signature, validate=True)
        # Only the canonical encoding counts: unused base64 bits must not give a second valid spelling.
        if base64.b64encode(raw).decode("ascii") != signature:
            return False
        (key or public_key()).verify(raw, canonical_bytes(payload))
    except (InvalidSignature, ValueError):
        return False
    return True


def signed_document(*, payload: dict, signature: str, key: str) -> bytes:
    """label.json: canonical too, so that a reader can check it byte for byte."""
    return canonical_bytes({"algorithm": "Ed25519", "key_id": key, "payload": payload, "signature": signature})


def document_is_valid(document_bytes: bytes, key: Ed25519PublicKey | None = None) -> bool:
    """Check a label.json as downloaded: any changed byte, in the payload, the signature or the layout, fails."""
    try:
        document = json.loads(document_bytes.decode("utf-8"))
        payload, signature = document["payload"], document["signature"]
    except (UnicodeDecodeError, ValueError, KeyError, TypeError):
        return False
    if not isinstance(payload, dict) or not isinstance(signature, str) or canonical_bytes(document) != document_bytes:
        return False
    key = key or public_key()
    if document.get("algorithm") != "Ed25519" or document.get("key_id") != key_id(key):
        return False
    return signature_is_valid(payload, signature, key)
