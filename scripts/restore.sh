#!/usr/bin/env bash
# make restore FILE=backups/<timestamp>.tar.gz: puts back what make backup saved. The
# database's contents are replaced (pg_restore --clean, in one transaction: if anything
# fails the database is left as it was); then MEDIA_ROOT (default var/media) is replaced
# by the archive's media files, swapped in whole once they are unpacked. An older
# database-only .dump file is still accepted (the media files are then left as they are).
set -euo pipefail
umask 077
file=${1:-}
if [ -z "$file" ]; then
  echo "usage: make restore FILE=backups/<timestamp>.tar.gz" >&2
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
root=$(cd "$(dirname "$0")/.." && pwd)
media=${MEDIA_ROOT:-$root/var/media}

restore_database() {
  pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction \
    --exit-on-error --dbname="$DATABASE_URL" "$1"
}

if ! tar -tzf "$file" >/dev/null 2>&1; then
  # Not an archive: a database-only dump from before backups held the media files.
  echo "restoring $file into ${DATABASE_URL##*/} (database only; its contents are replaced)"
  restore_database "$file"
  echo "restored (database only: the media files under $media are unchanged)"
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar -xzf "$file" -C "$work"
if [ ! -f "$work/BACKUP" ] || [ ! -f "$work/database.dump" ] || [ ! -d "$work/media" ]; then
  echo "$file is not a CSP portal backup (no BACKUP, database.dump and media/ inside)" >&2
  exit 2
fi
pg_restore --list "$work/database.dump" >/dev/null
echo "restoring $file into ${DATABASE_URL##*/} and $media (their current contents are replaced)"
restore_database "$work/database.dump"

# The media files: unpacked beside MEDIA_ROOT, then swapped in, the old ones removed last.
parent=$(dirname "$media")
mkdir -p "$parent"
incoming=$(mktemp -d "$parent/.media-restoring.XXXXXX")
cp -a "$work/media/." "$incoming/"
chmod 700 "$incoming"
if [ -e "$media" ]; then
  previous="$parent/.media-replaced.$$"
  mv "$media" "$previous"
  mv "$incoming" "$media"
  rm -rf "$previous"
else
  mv "$incoming" "$media"
fi
echo "restored"
