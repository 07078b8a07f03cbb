"""Django's PostgreSQL backend (psycopg2) with connections taken from and handed back to this
process's bounded pool (emergency.db.pool), when the database's settings give `POOL`
({"size": N, "wait": seconds}); without it, Django's own behaviour."""
from __future__ import annotations

from django.db.backends.postgresql import base
from django.db.backends.postgresql.psycopg_any import IsolationLevel

from emergency.db.pool import ConnectionPool, pool_for

from .creation import DatabaseCreation


class DatabaseWrapper(base.DatabaseWrapper):
    # Not kept with the connection: a handed-back connection must not leave its session's state.
    # The live relay sets this before it LISTENs and takes its session lock.
    discard_on_close = False
    creation_class = DatabaseCreation

    def _own_pool(self, conn_params) -> ConnectionPool | None:
        options = self.settings_dict.get("POOL")
        if not options:
            return None
        return pool_for(conn_params, size=int(options["size"]), wait=float(options.get("wait", 30)))

    def get_new_connection(self, conn_params):
        pool = self._own_pool(conn_params)
        self._emergency_pool = pool
        if pool is None:
            return super().get_new_connection(conn_params)
        connection = pool.get(connect=lambda: super(DatabaseWrapper, self).get_new_connection(conn_params))
        self.isolation_level = IsolationLevel(self.settings_dict["OPTIONS"].get(
            "isolation_level", IsolationLevel.READ_COMMITTED))
        return connection

    def _close(self):
        pool = getattr(self, "_emergency_pool", None)
        if self.connection is None or pool is None:
            return super()._close()
        connection, self.connection = self.connection, None
        pool.put(connection, reuse=not self.discard_on_close)
