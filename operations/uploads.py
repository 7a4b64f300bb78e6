"""Uploads as every request receives them: files from signed-in staff only, cut off at a size
limit while the request streams in, and closed (a temporary file deleted) before the answer
is sent. The import framework and agreements' documents rely on it (limit_uploads)."""

import re

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile

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
    return settings.IMPORT_MAX_UPLOAD_BYTES


class OversizedUpload(UploadedFile):
    """Stands for a file that passed the upload limit while it arrived: none of it is kept."""

    def __init__(self, name, size, limit):
        super().__init__(file=None, name=name, content_type=None, size=size)
        self.limit = limit

    def chunks(self, chunk_size=None):
        return iter(())

    def close(self):
        # Nothing to close. (File.close() would fail on the missing file, and Django, closing
        # the request's files at its end, would then skip the files listed after this one.)
        pass


def may_upload(request):
    """Whether the request may send files: signed-in staff only, as only the admin takes files
    (spreadsheet imports, agreements' documents)."""
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_active and user.is_staff)


class StaffOnlyUploadHandler(FileUploadHandler):
    """First upload handler: a file is received only from signed-in staff (may_upload).

    From anyone else each file part is skipped as it arrives: read from the connection and
    dropped, never held in memory or written to a temporary file, and no view sees it. The
    text fields beside it are parsed as usual (a CSRF token, the NUL check).

    It reads ``request.user``: the body must be parsed after AuthenticationMiddleware, as
    operations.middleware.RefuseNulInFormsMiddleware does first. Parsed earlier, the request
    has no user yet and its files are skipped.
    """

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        if not may_upload(self.request):
            raise SkipFile

    def receive_data_chunk(self, raw_data, start):
        return raw_data

    def file_complete(self, file_size):
        return None


class UploadLimitHandler(FileUploadHandler):
    """Passes a file on only up to IMPORT_MAX_UPLOAD_BYTES (or the field's own limit, see
    limit_uploads), before the memory and temporary-file handlers.

    Past the limit no byte goes to the handlers after it, what they had kept of the file (a
    temporary file on disk) is closed and deleted at once, the rest of the file is read and
    dropped, and the form receives an OversizedUpload that says how large the file was, so
    the clerk gets a message instead of a dead worker.
    """

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.limit = upload_limit(self.field_name)
        self.received = 0
        # What the handlers after this one hold before they open this file (a file of theirs
        # from before is a finished upload of the request: not this one's to close).
        self.held_before = {handler: _file_of(handler) for handler in self._later_handlers()}

    def receive_data_chunk(self, raw_data, start):
        was_within = self.received <= self.limit
        self.received += len(raw_data)
        if self.received <= self.limit:
            return raw_data
        if was_within:
            self._drop_what_later_handlers_kept()
        return None

    def file_complete(self, file_size):
        if self.received > self.limit:
            return OversizedUpload(self.file_name, self.received, self.limit)
        return None

    def _later_handlers(self):
        # The request's chain (a parser given handlers of its own has no request to ask).
        handlers = list(getattr(self.request, "upload_handlers", ()))
        for position, handler in enumerate(handlers):
            if handler is self:
                return handlers[position + 1 :]
        return []

    def _drop_what_later_handlers_kept(self):
        # Django would never ask them for this file again: it stayed open (a temporary file
        # on disk) until the garbage collector happened to find it, for minutes at times.
        for handler in self._later_handlers():
            kept = _file_of(handler)
            if kept is not None and kept is not self.held_before.get(handler):
                kept.close()


def _file_of(handler):
    # Django's own handlers keep the file they write as `file` (its parser relies on it too).
    return getattr(handler, "file", None)


def close_upload_files(request):
    """Close every file the request uploaded (a temporary file is deleted as it closes): the
    files of request.FILES, and any file an upload handler still holds (an upload cut off by
    an error midway, which request.FILES never got).

    Django closes request.FILES only once the server has sent the answer: a client (or the
    next request) could find them still on disk after reading it.
    """
    if request.content_type != "multipart/form-data":
        return
    for handler in request.upload_handlers:
        kept = _file_of(handler)
        if kept is not None:
            kept.close()
    request.close()
