"""Test (and benchmark) databases are dropped and re-created with no session on them: this
process's idle pooled connections are closed first."""
from __future__ import annotations

from django.db.backends.postgresql import creation

from emergency.db.pool import close_all


class DatabaseCreation(creation.DatabaseCreation):
    def _create_test_db(self, verbosity, autoclobber, keepdb=False):
        close_all()
        return super()._create_test_db(verbosity, autoclobber, keepdb)

    def _destroy_test_db(self, test_database_name, verbosity):
        close_all()
        return super()._destroy_test_db(test_database_name, verbosity)
