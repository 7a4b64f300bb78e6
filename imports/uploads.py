"""The uploaded file that waits between preview and confirm,, together with what its preview
saw."""

import contextlib
import json
import re

STORED_NAME = re.compile(r"^[0-9a-f]{32}$")


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
