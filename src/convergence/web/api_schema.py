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
# No text the platform stores may hold a NUL character (PostgreSQL refuses it): the schema says so.
NO_NUL = r"^[^\x00]*$"


def _without_nul(schema: dict) -> None:
    if schema.get("type") == "string" and not ({"enum", "pattern", "format"} & set(schema)):
        schema["pattern"] = NO_NUL
    for child in schema.get("properties", {}).values():
        _without_nul(child)
    if isinstance(schema.get("items"), dict):
        _without_nul(schema["items"])


def add_refusals(result, generator, request, public):
    """drf-spectacular postprocessing hook: the Error component and the refusals of every operation; text
    inputs (query parameters, request bodies) declared without NUL characters."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    for name, schema in schemas.items():
        if name.endswith("Request"):  # the input side of a split component
            _without_nul(schema)
    schemas["Error"] = ERROR
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query" and isinstance(parameter.get("schema"), dict):
                    _without_nul(parameter["schema"])
            refusals = {**REFUSALS, **(WRITE_REFUSALS if method in WRITES else {})}
            for status, description in refusals.items():
                response = operation["responses"].setdefault(status, {"description": description})
                response.setdefault("content", reference)  # a refusal an operation describes keeps the one shape
    return result
