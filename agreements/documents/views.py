"""Sending an agreement's document to staff who may see agreements, checked on every download."""

import logging
import urllib.parse

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404

from .models import AgreementDocument

logger = logging.getLogger(__name__)

MAY_SEE_AGREEMENTS = ("agreements.view_agreement", "agreements.change_agreement")


def attachment_header(name):
    """Content-Disposition for a download under the document's own name (RFC 6266): an ASCII
    stand-in for old clients, and the exact name, Japanese included, as filename* (RFC 5987)."""
    stem = name[:-4] if name.lower().endswith(".pdf") else name
    stem = "".join(
        char if char.isascii() and (char.isalnum() or char in "-_.()") else "_" for char in stem
    )
    fallback = f"{stem.strip('_.') or 'document'}.pdf"
    quoted = urllib.parse.quote(name, safe="")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quoted}"


def document_download(request, agreement_id, document_id):
    """The PDF as an attachment; never cached by shared caches, never sniffed as another type.

    Who may not see agreements is refused before anything else, so the answer tells them
    nothing, not even whether the document exists."""
    if not any(request.user.has_perm(permission) for permission in MAY_SEE_AGREEMENTS):
        raise PermissionDenied
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    document = get_object_or_404(AgreementDocument, pk=document_id, agreement_id=agreement_id)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as error:
        logger.error("The file of agreement document %s is missing: %s", document.pk, error)
        raise Http404 from error
    response = FileResponse(handle, content_type="application/pdf")
    response["Content-Disposition"] = attachment_header(document.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
