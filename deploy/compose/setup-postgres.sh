#!/bin/sh
# setup-postgres.sh creates Temporal's databases on PostgreSQL and brings
# their schemas to the version of this temporalio/admin-tools image. It is
# safe to run again: existing databases are kept and only updated.
# temporal-sql-tool reads SQL_PLUGIN, SQL_HOST, SQL_PORT, SQL_USER and
# SQL_PASSWORD from the environment.
set -eu
schema=/etc/temporal/schema/postgresql/v12
for i in $(seq 1 60); do
  nc -z "$SQL_HOST" "$SQL_PORT" && break
  echo "waiting for PostgreSQL at $SQL_HOST:$SQL_PORT ($i/60)"
  sleep 2
done
for db in temporal:temporal temporal_visibility:visibility; do
  name=${db%%:*}
  dir=${db#*:}
  temporal-sql-tool --db "$name" create-database || echo "database $name exists"
  temporal-sql-tool --db "$name" setup-schema -v 0.0 || echo "schema of $name is set up"
  temporal-sql-tool --db "$name" update-schema -d "$schema/$dir/versioned"
done
echo "Temporal's PostgreSQL schemas are up to date"
