"""Model fields the records share."""

from django.db import models
from django.utils.text import slugify

from .names import japanese_territory_name, reading


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


class JapaneseTerritoryNameField(models.CharField):
    """A country's Japanese name, filled from CLDR by its ISO code when left blank.

    Every way a country is saved gets one (the ORM, the admin, an import); staff may write
    another, which is kept. loaddata writes the fixture's own value.
    """

    def __init__(self, *args, code_from="iso_code", **kwargs):
        self.code_from = code_from
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        # Code that predates the column (an older migration's models) can still insert rows.
        kwargs.setdefault("db_default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["code_from"] = self.code_from
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if not value:
            value = japanese_territory_name(getattr(model_instance, self.code_from))
            setattr(model_instance, self.attname, value)
        return value


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
