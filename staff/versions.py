"""First versions: every record has one, however it was written.

simple-history records a version when a record is saved through the ORM, but not when
``loaddata`` writes it (raw saves), so a record from the seed or a fixture had no first
version and its first edit could not be undone.
"""

import os

from django.apps import apps as global_apps
from django.conf import settings
from django.db import router
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

BATCH_SIZE = 500


def fixture_reason(fixture_labels):
    """The reason a fixture's first versions give: the setting's words for known fixtures."""
    reasons = getattr(settings, "FIXTURE_VERSION_REASONS", {})
    names = [
        reasons.get(label, _("Loaded from fixture “%s”") % os.path.basename(label))
        for label in fixture_labels
    ]
    return "; ".join(dict.fromkeys(names))


def historical_pairs(apps=global_apps):
    """Each model with its historical model (simple-history names it Historical<Model>)."""
    for model in apps.get_models():
        if model.__name__.startswith("Historical"):
            continue
        try:
            history = apps.get_model(model._meta.app_label, f"Historical{model.__name__}")
        except LookupError:
            continue
        yield model, history


def initial_versions_create(*, reason, apps=global_apps, using=None, date=None):
    """Give every record without any version a first one ("+"), with ``reason``.

    Works on the project's models and on a migration's historical app registry alike, so a
    data migration mends databases loaded before this existed. Returns how many were made.
    """
    date = date or timezone.now()
    made = 0
    for model, history in historical_pairs(apps):
        database = using or router.db_for_write(model)
        pk_name = model._meta.pk.attname
        without = model._base_manager.using(database).filter(
            ~Exists(history._base_manager.using(database).filter(**{pk_name: OuterRef("pk")}))
        )
        fields = [field.attname for field in model._meta.concrete_fields]
        reason_length = history._meta.get_field("history_change_reason").max_length
        rows = [
            history(
                **{name: getattr(obj, name) for name in fields},
                history_date=date,
                history_type="+",
                history_change_reason=reason[:reason_length],
                history_user_id=None,
            )
            for obj in without.order_by("pk").iterator(chunk_size=BATCH_SIZE)
        ]
        history._base_manager.using(database).bulk_create(rows, batch_size=BATCH_SIZE)
        made += len(rows)
    return made
