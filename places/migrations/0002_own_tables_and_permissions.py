# The tables get this app's name, as every table of an app does, so that the database reads
# like the code; their content types move here, so the permissions groups and users hold
# ("Can view country"), the admin's log entries and the history stay theirs; the import records
# that name them ("agreements.country") name them here. On PostgreSQL the indexes Django finds
# by name rather than by introspection (the "_like" ones for text lookups) take the new tables'
# names too, so that a later migration altering those fields drops them.

from django.db import migrations

MODELS = (
    "region",
    "country",
    "countryalias",
    "historicalregion",
    "historicalcountry",
    "historicalcountryalias",
)


def move_content_types(apps, db, from_app, to_app):
    content_type_model = apps.get_model("contenttypes", "ContentType")
    permission_model = apps.get_model("auth", "Permission")
    for model in MODELS:
        old = content_type_model.objects.using(db).filter(app_label=from_app, model=model).first()
        if old is None:
            continue
        new = content_type_model.objects.using(db).filter(app_label=to_app, model=model).first()
        if new is None:
            old.app_label = to_app
            old.save(update_fields=["app_label"])
            continue
        # Both exist (permissions were already made for the new app): carry every holder and
        # every log entry over.
        for permission in permission_model.objects.using(db).filter(content_type=old):
            target, _created = permission_model.objects.using(db).get_or_create(
                content_type=new, codename=permission.codename, defaults={"name": permission.name}
            )
            for group in permission.group_set.all():
                group.permissions.add(target)
            for user in permission.user_set.all():
                user.user_permissions.add(target)
        apps.get_model("admin", "LogEntry").objects.using(db).filter(content_type=old).update(
            content_type=new
        )
        old.delete()
    import_records = apps.get_model("imports", "ImportRecord").objects.using(db)
    for model in MODELS:
        import_records.filter(model_label=f"{from_app}.{model}").update(
            model_label=f"{to_app}.{model}"
        )


def rename_like_indexes(schema_editor, from_app, to_app):
    """PostgreSQL's "_like" indexes, named after their table, renamed after the new one. The
    tables are called places_* when this runs either way (after the rename going forwards,
    before it going back)."""
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in MODELS:
            old_table, new_table = f"{from_app}_{model}", f"{to_app}_{model}"
            constraints = connection.introspection.get_constraints(cursor, f"places_{model}")
            for name, constraint in constraints.items():
                if not (name.startswith(f"{old_table}_") and name.endswith("_like")):
                    continue
                new_name = schema_editor._create_index_name(
                    new_table, constraint["columns"], suffix="_like"
                )
                schema_editor.execute(
                    f"ALTER INDEX {schema_editor.quote_name(name)} "
                    f"RENAME TO {schema_editor.quote_name(new_name)}"
                )


def forwards(apps, schema_editor):
    move_content_types(apps, schema_editor.connection.alias, "agreements", "places")
    rename_like_indexes(schema_editor, "agreements", "places")


def backwards(apps, schema_editor):
    move_content_types(apps, schema_editor.connection.alias, "places", "agreements")
    rename_like_indexes(schema_editor, "places", "agreements")


class Migration(migrations.Migration):
    dependencies = [
        ("places", "0001_initial"),
        ("agreements", "0009_places_moved"),
        ("exchanges", "0003_countries_in_places"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("imports", "0003_scope"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        *(migrations.AlterModelTable(name=model, table=None) for model in MODELS),
        migrations.RunPython(forwards, backwards),
    ]
