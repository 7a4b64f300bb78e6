from django.apps import AppConfig


class RolesExampleConfig(AppConfig):
    """A domain app as the next one will be: its own model and migration, and what the model
    gives the staff roles said here, with nothing added to staff."""

    name = "tests.staff.roles_example"
    label = "roles_example"
    verbose_name = "Visiting delegations (an example app for the roles' tests)"
    staff_viewed = "__all__"
    staff_edited = ("delegation",)
