#!/bin/sh
# Runs once, when the postgres container initialises its data directory (docker-entrypoint-initdb.d),
# as the cluster's superuser. The platform never connects as that superuser:
#   emergency_owner  owns the database and its tables; `migrate` connects as it (MIGRATE_DATABASE_URL)
#   emergency_app    web, worker and beat (DATABASE_URL); no superuser, owns nothing, gets
#                    SELECT/INSERT/UPDATE/DELETE from each migrate (emergency/audit/roles.py)
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
     -v owner_password="$EMERGENCY_OWNER_PASSWORD" -v app_password="$EMERGENCY_APP_PASSWORD" <<'SQL'
CREATE ROLE emergency_owner LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'owner_password';
CREATE ROLE emergency_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT PASSWORD :'app_password';
CREATE DATABASE emergency OWNER emergency_owner;
\connect emergency
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
SQL
