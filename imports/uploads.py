"""Uploads: the size limit enforced while the request streams in, and the file that waits
between preview and confirm together with what its preview saw."""

import contextlib
import json
import re

from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler

from .reading import Limits

STORED_NAME = re.compile(r"^[0-9a-f]{32}$")

# File fields with a limit of their own: (pattern of the form field's name, the limit's getter).
_FIELD_LIMITS = []


def limit_uploads(field_name_pattern, limit):
    """Give the file fields whose form names match the pattern their own size limit: `limit`
    is called on each upload (a setting's value), instead of IMPORT_MAX_UPLOAD_BYTES."""
    _FIELD_LIMITS.append((re.compile(field_name_pattern), limit))


def upload_limit(field_name):
    for pattern, limit in _FIELD_LIMITS:
        if pattern.fullmatch(field_name or ""):
            return limit()
    return Limits.from_settings().upload_bytes


class OversizedUpload(UploadedFile):
    """Stands for a file that passed the upload limit while it arrived: none of it is kept."""

    def __init__(self, name, size, limit):
        super().__init__(file=None, name=name, content_type=None, size=size)
        self.limit = limit

    def chunks(self, chunk_size=None):
        return iter(())


class UploadLimitHandler(FileUploadHandler):
    """First upload handler: passes a file on only up to IMPORT_MAX_UPLOAD_BYTES (or the
    field's own limit, see limit_uploads).

    Past the limit no byte goes to the handlers after it (memory or temporary file), the
    rest of the request is read and dropped, and the form receives an OversizedUpload that
    says how large the file was, so the clerk gets a message instead of a dead worker.
    """

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.limit = upload_limit(self.field_name)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            return None
        return raw_data

    def file_complete(self, file_size):
        if self.received > self.limit:
            return OversizedUpload(self.file_name, self.received, self.limit)
        return None


class StoredUpload:
    """An upload waiting for confirm in the admin's temporary storage, and its preview."""

    def __init__(self, storage_class, name, **storage_kwargs):
        self.name = name
        self.file = storage_class(name=name, read_mode="rb", **storage_kwargs)
        self.preview = storage_class(name=f"{name}.preview", read_mode="rb", **storage_kwargs)

    @staticmethod
    def valid_name(name):
        return bool(STORED_NAME.match(name or ""))

    def save_preview(self, preview):
        self.preview.save(json.dumps(preview, ensure_ascii=False).encode())

    def load_preview(self):
        try:
            return json.loads(self.preview.read())
        except (FileNotFoundError, ValueError, TypeError):
            return None

    def remove(self):
        for part in (self.file, self.preview):
            with contextlib.suppress(FileNotFoundError):
                part.remove()
