"""The admin's form pieces every records admin uses: autocomplete boxes that survive a refused
form, and table rows whose fields are named by their column."""

from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError


class _KnownKeysOnly:
    """Show a refused form again without looking up values that cannot be keys ("abc" for an
    id): Django's autocomplete widget queries them as they are, a server error."""

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        to_field = getattr(remote, "field_name", None)
        target = remote.model._meta.get_field(to_field) if to_field else remote.model._meta.pk
        return super().optgroups(name, [key for key in value if _is_key(target, key)], attr)


def _is_key(field, value):
    try:
        # The validators hold the database's range: 30 digits overflow SQLite's lookups.
        field.run_validators(field.to_python(value))
    except ValidationError:
        return False
    return True


class KnownKeysAutocompleteSelect(_KnownKeysOnly, AutocompleteSelect):
    pass


class KnownKeysAutocompleteSelectMultiple(_KnownKeysOnly, AutocompleteSelectMultiple):
    pass


class ColumnLabelledFormSet:
    """Name each field of a table row by its column's title: Django's tabular inlines and
    editable lists show the title once, in the header, and give the row's fields no label
    (WCAG 1.3.1 and 4.1.2; tests/browser/test_accessibility.py)."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        for field in form.fields.values():
            if field.label and not field.widget.is_hidden:
                field.widget.attrs.setdefault("aria-label", field.label)


def column_labelled(formset):
    return type(formset.__name__, (ColumnLabelledFormSet, formset), {})
