"""What the published schema says of refusals: every operation may answer them, all in one shape (api_errors.py),
so that a client generated from the schema knows them."""

from __future__ import annotations

ERROR = {
    "type": "object",
    "description": "A refusal, in the caller's language.",
    "required": ["detail", "code"],
    "properties": {
        "detail": {"type": "string", "description": "what went wrong, for a person"},
        "code": {"type": "string", "description": "what went wrong, for a program (invalid, not_found, …)"},
        "errors": {
            "type": "object",
            "description": "the invalid fields, each with its messages",
            "additionalProperties": {"type": "array", "items": {}},
        },
    },
    "additionalProperties": True,  # some refusals add what a client needs (an infeasible assignment's reasons…)
}
REFUSALS = {
    "400": "The request is not valid (see `errors`).",
    "401": "Authentication is needed.",
    "403": "The caller may not do this.",
    "404": "Not found, or not visible to the caller.",
    "429": "Too many requests, or a limit reached: retry later.",
}
WRITE_REFUSALS = {
    "409": "Not possible in the current state (a newer version, the deadline passed, decisions published…).",
    "413": "The upload is too large.",
    "415": "The body's media type is not one this operation reads.",
}
WRITES = {"post", "put", "patch", "delete"}


def add_refusals(result, generator, request, public):
    """drf-spectacular postprocessing hook: the Error component and the refusals of every operation."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            refusals = {**REFUSALS, **(WRITE_REFUSALS if method in WRITES else {})}
            for status, description in refusals.items():
                operation["responses"].setdefault(status, {"description": description, "content": reference})
    return result
