"""Uploaded files checked by their content, never by their name (PDF here; the other kinds where they are used)."""

from __future__ import annotations

import hashlib
import io
import logging

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from pypdf import PdfReader

logger = logging.getLogger(__name__)


def pdf_problem(upload: UploadedFile) -> str | None:
    """A message if the file is not a readable PDF, else None."""
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    if b"%PDF-" not in head:
        return _("“%(name)s” is not a PDF file. Only PDF attachments are accepted.") % {"name": upload.name}
    try:
        reader = PdfReader(upload, strict=False)
        if reader.is_encrypted:
            return _("“%(name)s” is password-protected: upload an unprotected PDF.") % {"name": upload.name}
        _page_count = len(reader.pages)
    except Exception as error:  # noqa: BLE001 (pypdf raises many kinds of errors on malformed input)
        logger.info("unreadable PDF upload: %s", error)
        return _("“%(name)s” is damaged or not a valid PDF file.") % {"name": upload.name}
    finally:
        upload.seek(0)
    return None


LOGO_SIDE = 400
LOGO_MAX_PIXELS = 40_000_000  # a larger picture is refused before it is decoded (decompression bombs)


def logo_png(data: bytes, name: str) -> bytes:
    """A logo as the platform keeps it: a PNG, at most LOGO_SIDE pixels a side, decoded and drawn again, so that
    nothing of the uploaded file but its pixels is ever served (PNG, JPEG, GIF or WebP in; no SVG, which can
    carry scripts). Raises ValueError with the reason in the user's language."""
    from PIL import Image, UnidentifiedImageError

    refused = _("“%(name)s” is not an image the platform reads (PNG, JPEG, GIF or WebP).") % {"name": name}
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in {"PNG", "JPEG", "GIF", "WEBP"}:
                raise ValueError(refused)
            if image.width * image.height > LOGO_MAX_PIXELS:
                raise ValueError(_("“%(name)s” is too large a picture.") % {"name": name})
            image.seek(0)
            picture = image.convert("RGBA")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError) as error:
        logger.info("unreadable image upload: %s", error)
        raise ValueError(refused) from error
    picture.thumbnail((LOGO_SIDE, LOGO_SIDE))
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def size_problem(upload: UploadedFile, limit: int) -> str | None:
    """A message if the file is over `limit` bytes, else None."""
    size = upload.size or 0
    if size <= limit:
        return None
    return _("“%(name)s” is %(size).1f MB; the limit is %(limit)d MB.") % {
        "name": upload.name,
        "size": size / 1024 / 1024,
        "limit": limit // 1024 // 1024,
    }


def sha256_of(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()
