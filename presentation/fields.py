"""The field that keeps a Japanese name's reading, for sorting."""

from django.db import models

from .names import reading


class ReadingField(models.CharField):
    """The reading in hiragana of another field, kept for sorting; never typed.

    Made again whenever the row is saved, so it follows every edit of the Japanese name.
    """

    def __init__(self, *args, populate_from="name_ja", **kwargs):
        self.populate_from = populate_from
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("default", "")
        kwargs.setdefault("db_default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["populate_from"] = self.populate_from
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        value = reading(getattr(model_instance, self.populate_from))[: self.max_length]
        setattr(model_instance, self.attname, value)
        return value
