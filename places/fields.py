"""The field that gives a country its Japanese name."""

from django.db import models

from .names import japanese_territory_name


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
