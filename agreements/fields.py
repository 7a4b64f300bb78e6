"""Model fields the records share."""

from django.db import models
from django.utils.text import slugify


class UniqueSlugField(models.SlugField):
    """A slug the model makes from another field when none is given, unique in its table.

    Every way a row is created gets one: the ORM, the admin with or without JavaScript, and
    the import (whose writer asks each field for its value, as bulk_create does).
    """

    def __init__(self, *args, populate_from="name", **kwargs):
        self.populate_from = populate_from
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["populate_from"] = self.populate_from
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if not value:
            value = self.unique_value(model_instance)
            setattr(model_instance, self.attname, value)
        return value

    def unique_value(self, instance, taken=()):
        """The slug of the source field, numbered (-2, -3 …) past those in use or `taken`."""
        source = str(getattr(instance, self.populate_from) or "")
        base = slugify(source)[: self.max_length - 8].strip("-") or instance._meta.model_name
        in_use = set(taken)
        in_use.update(
            type(instance)
            ._default_manager.filter(**{f"{self.attname}__startswith": base})
            .exclude(pk=instance.pk)
            .values_list(self.attname, flat=True)
        )
        candidate, number = base, 2
        while candidate in in_use:
            candidate = f"{base}-{number}"
            number += 1
        return candidate
