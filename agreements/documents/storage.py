"""Where agreements' documents are kept: a private folder (DOCUMENTS_ROOT) that no URL serves.

A file is written when its row is saved, inside the database transaction. Should that
transaction roll back, the row is gone but the file would stay: within a request
(DocumentFilesMiddleware) or a ``files_kept_only_if_saved()`` block, a file written there
that no row names at the end (its transaction rolled back) is removed again.

Files of rows replaced or deleted later are kept, as an office keeps signed papers: their
history rows name them, and restoring a deleted agreement brings its documents back whole.
"""

import contextlib
import contextvars
import logging
import os
import uuid

from django.apps import apps
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import DatabaseError

logger = logging.getLogger(__name__)

# Names written in the current request (or block).
_written = contextvars.ContextVar("written_document_files", default=None)


class DocumentStorage(FileSystemStorage):
    """FileSystemStorage at DOCUMENTS_ROOT (read on each use, so tests may change it), with
    no URL: the files are reached only through the admin's download view."""

    def __init__(self):
        super().__init__(file_permissions_mode=0o640, directory_permissions_mode=0o750)

    @property
    def base_location(self):
        return os.fspath(settings.DOCUMENTS_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Agreement documents have no URL: the admin's download view sends them.")

    def _save(self, name, content):
        name = super()._save(name, content)
        written = _written.get()
        if written is not None:
            written.add(name)
        return name


_storage = DocumentStorage()


def document_storage():
    """The storage of every agreement document (a callable, so migrations name it)."""
    return _storage


def document_path(instance, filename):
    """A generated name: the agreement's folder and a random one, never the uploader's name."""
    return f"agreements/{instance.agreement_id}/{uuid.uuid4().hex}.pdf"


@contextlib.contextmanager
def files_kept_only_if_saved():
    """Remove, on leaving the block, the document files written in it that no row names."""
    written = set()
    token = _written.set(written)
    try:
        yield
    finally:
        _written.reset(token)
        if written:
            document_model = apps.get_model("agreements", "AgreementDocument")
            try:
                saved = set(
                    document_model.objects.filter(file__in=written).values_list("file", flat=True)
                )
            except DatabaseError:
                # Unsure what was saved: keeping a file is better than losing a signed one.
                logger.exception("Could not check which document files were saved.")
                return
            for name in written - saved:
                logger.info("Removing %s: the row that named it was not saved.", name)
                with contextlib.suppress(FileNotFoundError):
                    _storage.delete(name)


class DocumentFilesMiddleware:
    """Each request removes the document files it wrote whose row was rolled back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with files_kept_only_if_saved():
            return self.get_response(request)
