#!/usr/bin/env python3
"""Check a Convergence label offline: `verify-label.py label.json public-key.pem` (needs only `cryptography`).

label.json is attached inside every certificate PDF (and downloadable from the label's page); the public key is
published at /labels/public-key.pem. The file must be byte for byte the canonical JSON the platform signed.
"""

import base64
import json
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization


def canonical(value) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def main(document_path: str, key_path: str) -> int:
    raw = open(document_path, "rb").read()  # noqa: SIM115
    key = serialization.load_pem_public_key(open(key_path, "rb").read())  # noqa: SIM115
    document = json.loads(raw)
    digest = hashes.Hash(hashes.SHA256())
    digest.update(key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))
    problems = []
    if canonical(document) != raw:
        problems.append("the file is not in the signed canonical form (it was edited)")
    if document.get("key_id") != digest.finalize().hex()[:16]:
        problems.append("signed with another key")
    try:
        signature = base64.b64decode(document["signature"], validate=True)
        if base64.b64encode(signature).decode() != document["signature"]:
            raise ValueError
        key.verify(signature, canonical(document["payload"]))
    except (InvalidSignature, ValueError, KeyError):
        problems.append("the signature does not match the content")
    if problems:
        print("INVALID: " + "; ".join(problems))
        return 1
    payload = document["payload"]
    print(
        f"VALID signature: {payload['identifier']} — {payload['title']} ({payload['carrier']}), {payload['awarded_on']}"
    )
    print("Revocation is checked online: GET /api/v1/labels/<identifier>/verify/")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2]))
