"""A stored file sent as a download: under the name its uploader gave it, never shown in the browser."""

from __future__ import annotations

from django.http import FileResponse


def file_download(stored, *, content_type: str = "application/pdf") -> FileResponse:
    """`stored` is a StoredUpload. The browser saves it and must not guess another type (a PDF that is really
    HTML would otherwise run in the site's origin)."""
    response = FileResponse(
        stored.file.open("rb"), content_type=content_type, as_attachment=True, filename=stored.original_name
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
