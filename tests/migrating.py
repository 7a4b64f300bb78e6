"""Migrating the test database to given migrations and back, for the tests that move data
between layouts."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate(targets=None):
    """Migrate the test database to `targets` (default: the latest); the apps as they were."""
    executor = MigrationExecutor(connection)
    return executor.migrate(targets or executor.loader.graph.leaf_nodes()).apps
