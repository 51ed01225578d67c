"""Ed25519 signatures of labels, checkable offline with the platform's published public key.

A signed label is the JSON document {"payload": …, "signature": …, "algorithm": "Ed25519", "key_id": …}; the
signature covers the payload serialised canonically (UTF-8 JSON, sorted keys, no spaces).

Keys rotate: `manage.py label_signing_key --rotate` keeps the public half of the former key in
`<LABEL_SIGNING_KEY_FILE>.retired/<key id>.pem`, so labels it signed stay valid; new labels get the new key.
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


def _new_private_pem() -> bytes:
    return Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def write_new_key(path: Path) -> None:
    pem = _new_private_pem()
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


def _pem(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def public_key_pem() -> bytes:
    return _pem(public_key())


def retired_keys_dir() -> Path:
    return Path(f"{_key_file()}.retired")


def retired_public_keys() -> dict[str, Ed25519PublicKey]:
    keys = {}
    directory = retired_keys_dir()
    for path in sorted(directory.glob("*.pem")) if directory.is_dir() else []:
        key = serialization.load_pem_public_key(path.read_bytes())
        if isinstance(key, Ed25519PublicKey):
            keys[key_id(key)] = key  # the id is computed, never taken from the file name
    return keys


def trusted_public_keys() -> dict[str, Ed25519PublicKey]:
    """The current key and every retired one: all labels ever signed here can still be checked."""
    current = public_key()
    return {**retired_public_keys(), key_id(current): current}


def public_key_pem_for(identifier: str) -> bytes | None:
    key = trusted_public_keys().get(identifier)
    return _pem(key) if key else None


def rotate_key() -> tuple[str, str]:
    """Retire the current key (its public half is kept for checking) and sign from now on with a new one."""
    path = _key_file()
    former = public_key()
    directory = retired_keys_dir()
    directory.mkdir(parents=True, exist_ok=True)
    (directory / f"{key_id(former)}.pem").write_bytes(_pem(former))
    temporary = path.with_name(path.name + ".new")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(_new_private_pem())
    os.replace(temporary, path)  # atomic: a reader sees the old key or the new one, never half a file
    return key_id(former), key_id()


def key_id(key: Ed25519PublicKey | None = None) -> str:
    raw = (key or public_key()).public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def sign(payload: dict) -> str:
    return base64.b64encode(private_key().sign(canonical_bytes(payload))).decode("ascii")


def signature_is_valid(
    payload: dict, signature: str, key: Ed25519PublicKey | None = None, *, signed_with: str | None = None
) -> bool:
    """Check against `key`, or the trusted key whose id is `signed_with`, or else the current key."""
    if key is None:
        key = trusted_public_keys().get(signed_with) if signed_with else public_key()
        if key is None:
            return False
    try:
        raw = base64.b64decode(signature, validate=True)
        # Only the canonical encoding counts: unused base64 bits must not give a second valid spelling.
        if base64.b64encode(raw).decode("ascii") != signature:
            return False
        key.verify(raw, canonical_bytes(payload))
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
    if key is None:
        key = trusted_public_keys().get(str(document.get("key_id")))
        if key is None:
            return False
    if document.get("algorithm") != "Ed25519" or document.get("key_id") != key_id(key):
        return False
    return signature_is_valid(payload, signature, key)
