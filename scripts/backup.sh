#!/usr/bin/env bash
# make backup: a pg_dump of the DATABASE_URL database, in PostgreSQL's custom format,
# to $BACKUP_DIR (default backups/) as <UTC timestamp>.dump. Prints the file's path.
set -euo pipefail
: "${DATABASE_URL:?set DATABASE_URL=postgres://user@host:5432/name (the database to back up)}"
case "$DATABASE_URL" in
  postgres://*|postgresql://*) ;;
  *) echo "make backup works on PostgreSQL only; DATABASE_URL is not a postgres:// URL" >&2; exit 2 ;;
esac
dir=${BACKUP_DIR:-backups}
mkdir -p "$dir"
file="$dir/$(date -u +%Y%m%dT%H%M%SZ).dump"
# Write beside the target and rename only once pg_dump succeeded and the archive reads
# back, so a failed backup never leaves a half-written file that looks like a good one.
partial="$file.partial"
trap 'rm -f "$partial"' EXIT
pg_dump --format=custom --compress=6 --no-owner --no-privileges --file="$partial" "$DATABASE_URL"
pg_restore --list "$partial" >/dev/null
mv "$partial" "$file"
echo "$file"
