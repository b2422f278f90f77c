#!/usr/bin/env bash
# make restore FILE=backups/<timestamp>.dump: replaces the contents of the DATABASE_URL
# database with the backup (pg_restore --clean), in one transaction: if anything fails,
# the database is left as it was.
set -euo pipefail
file=${1:-}
if [ -z "$file" ]; then
  echo "usage: make restore FILE=backups/<timestamp>.dump" >&2
  exit 2
fi
if [ ! -f "$file" ]; then
  echo "no backup file at $file" >&2
  exit 2
fi
: "${DATABASE_URL:?set DATABASE_URL=postgres://user@host:5432/name (the database to restore into)}"
case "$DATABASE_URL" in
  postgres://*|postgresql://*) ;;
  *) echo "make restore works on PostgreSQL only; DATABASE_URL is not a postgres:// URL" >&2; exit 2 ;;
esac
echo "restoring $file into ${DATABASE_URL##*/} (its current contents are replaced)"
pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction \
  --exit-on-error --dbname="$DATABASE_URL" "$file"
echo "restored"
