#!/usr/bin/env bash
# make backup: the whole portal in one archive: a pg_dump of the DATABASE_URL database
# (PostgreSQL's custom format) and the media files (uploaded papers, attachments,
# strategic assessments, the frozen agenda packs) under MEDIA_ROOT (default var/media).
# Written to $BACKUP_DIR (default backups/) as <UTC timestamp>.tar.gz, readable by its
# owner only (mode 0600: it holds exempt papers and every user's password hash). Prints
# the archive's path.
set -euo pipefail
umask 077
: "${DATABASE_URL:?set DATABASE_URL=postgres://user@host:5432/name (the database to back up)}"
case "$DATABASE_URL" in
  postgres://*|postgresql://*) ;;
  *) echo "make backup works on PostgreSQL only; DATABASE_URL is not a postgres:// URL" >&2; exit 2 ;;
esac
root=$(cd "$(dirname "$0")/.." && pwd)
media=${MEDIA_ROOT:-$root/var/media}
dir=${BACKUP_DIR:-backups}
mkdir -p "$dir"
file="$dir/$(date -u +%Y%m%dT%H%M%SZ).tar.gz"
# Build in a private directory and rename only once everything succeeded and reads
# back, so a failed backup never leaves a half-written file that looks like a good one.
work=$(mktemp -d)
partial="$file.partial"
trap 'rm -rf "$work" "$partial"' EXIT
pg_dump --format=custom --compress=6 --no-owner --no-privileges --file="$work/database.dump" "$DATABASE_URL"
pg_restore --list "$work/database.dump" >/dev/null
mkdir -p "$work/media"
if [ -d "$media" ]; then
  cp -a "$media/." "$work/media/"
fi
printf 'CSP portal backup\ncreated %s\ndatabase database.dump\nmedia media/\n' \
  "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >"$work/BACKUP"
tar -czf "$partial" -C "$work" BACKUP database.dump media
chmod 600 "$partial"
tar -tzf "$partial" >/dev/null
mv "$partial" "$file"
echo "$file"
