"""What the published schema says of refusals: every operation may answer them, all in one shape (api_errors.py),
so that a client generated from the schema knows them."""

from __future__ import annotations

from convergence.web.api_pagination import PAGE_HEADERS

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
# The media types of the files an upload reads (OpenAPI's `encoding` of a multipart body): the platform checks the
# bytes themselves, not the type a client claims, but a client learns from these what to send.
PDF = "application/pdf"
ZIP = "application/zip"
RESULTS = "text/csv, application/zip"  # predictions for a built-in metric, or a zip (results or code)
IMAGES = "image/png, image/jpeg, image/gif, image/webp"


def file_types(**types: str) -> dict[str, dict[str, str]]:
    """The `encoding` of a multipart body: each file field with the media types it reads."""
    return {field: {"contentType": content_type} for field, content_type in types.items()}


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
    inputs (query parameters, request bodies) declared without NUL characters; the paging headers of the lists
    that page (api_pagination.py)."""
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
            if any(parameter.get("name") == "page_size" for parameter in operation.get("parameters", [])):
                operation["responses"]["200"]["headers"] = PAGE_HEADERS
            refusals = {**REFUSALS, **(WRITE_REFUSALS if method in WRITES else {})}
            for status, description in refusals.items():
                response = operation["responses"].setdefault(status, {"description": description})
                response.setdefault("content", reference)  # a refusal an operation describes keeps the one shape
    return result
