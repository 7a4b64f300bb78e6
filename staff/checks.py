"""A check that what each app gives the staff roles names its own models: a misspelt name
would otherwise give no group anything, silently."""

from django.apps import apps
from django.core.checks import Error, Tags, register

from .roles import EVERY_MODEL


@register(Tags.models)
def check_roles_declared(app_configs=None, **kwargs):
    errors = []
    for app_config in app_configs or apps.get_app_configs():
        for attribute in ("staff_viewed", "staff_edited"):
            declared = getattr(app_config, attribute, ())
            if attribute == "staff_viewed" and declared == EVERY_MODEL:
                continue
            if isinstance(declared, str) or not all(isinstance(name, str) for name in declared):
                errors.append(
                    Error(
                        f"{type(app_config).__qualname__}.{attribute} is {declared!r}.",
                        hint='Give a tuple of model names, e.g. ("delegation",)'
                        + (', or "__all__".' if attribute == "staff_viewed" else "."),
                        obj=app_config,
                        id="staff.E001",
                    )
                )
                continue
            for name in declared:
                try:
                    app_config.get_model(name)
                except LookupError:
                    errors.append(
                        Error(
                            f"{type(app_config).__qualname__}.{attribute} names {name!r}, "
                            f"which is no model of the app {app_config.label!r}.",
                            obj=app_config,
                            id="staff.E002",
                        )
                    )
    return errors
