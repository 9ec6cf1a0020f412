#!/usr/bin/env bash
# Dump the PostgreSQL database of the MICRO platform and keep the newest dumps.
#
# Usage: deploy/backup-postgres.sh [--dir DIR] [--keep N] [--env-file FILE]
#
#   DATABASE_URL     the connection (environment; else the line in the env file)
#   BACKUP_DIR       where dumps go                     (default /var/backups/micro)
#   BACKUP_KEEP      how many dumps to keep, 0 = all    (default 14)
#   MICRO_ENV_FILE   env file to read DATABASE_URL from (default /etc/micro/micro.env)
#
# Writes DIR/micro-YYYYmmdd-HHMMSS.dump (UTC; pg_dump custom format, restore it with
# deploy/restore-postgres.sh), checks that pg_restore can read it whole, prints its path.
# Exits non-zero when anything fails, so systemd and cron report it.
set -euo pipefail
umask 077

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=SCRIPTDIR/pg-env.sh
source "$here/pg-env.sh"

backup_dir="${BACKUP_DIR:-/var/backups/micro}"
keep="${BACKUP_KEEP:-14}"
env_file="${MICRO_ENV_FILE:-/etc/micro/micro.env}"

usage() { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; }

while (($#)); do
  case "$1" in
    --dir) backup_dir="${2:?--dir needs a directory}"; shift 2 ;;
    --keep) keep="${2:?--keep needs a number}"; shift 2 ;;
    --env-file) env_file="${2:?--env-file needs a file}"; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) micro_die "unknown argument '$1' (see --help)." ;;
  esac
done
[[ "$keep" =~ ^[0-9]+$ ]] || micro_die "--keep must be a whole number (0 keeps every dump)."
command -v pg_dump >/dev/null || micro_die "pg_dump is missing: apt-get install postgresql-client (same major version as the server or newer)."

micro_read_database_url "$env_file"
micro_export_pg_env
mkdir -p "$backup_dir"

stamp="$(date -u +%Y%m%d-%H%M%S)"
target="$backup_dir/micro-$stamp.dump"
sequence=1
while [[ -e "$target" ]]; do # two dumps in the same second
  sequence=$((sequence + 1))
  target="$backup_dir/micro-$stamp-$sequence.dump"
done
partial="$backup_dir/.$(basename "$target").partial"
trap 'rm -f -- "$partial"' EXIT

# One consistent snapshot (pg_dump runs in a single repeatable-read transaction); the app keeps running.
pg_dump --format=custom --compress=6 --lock-wait-timeout=120s --file="$partial"
# Read the archive back completely: a dump nobody can restore is not a backup.
pg_restore --file=/dev/null "$partial" || micro_die "the new dump cannot be read back; it was not kept."
mv -- "$partial" "$target"

removed=0
if ((keep > 0)); then
  # Oldest first by the time in the name (the -N suffix orders dumps made in the same second).
  while IFS= read -r old; do
    [[ -n "$old" ]] || continue
    rm -f -- "$backup_dir/$old"
    removed=$((removed + 1))
  done < <(
    find "$backup_dir" -maxdepth 1 -type f -name 'micro-*.dump' -printf '%f\n' |
      sed -n -E 's/^micro-([0-9]{8}-[0-9]{6})\.dump$/\1\t1\t&/p; s/^micro-([0-9]{8}-[0-9]{6})-([0-9]+)\.dump$/\1\t\2\t&/p' |
      sort -t $'\t' -k1,1 -k2,2n | cut -f3 | head -n -"$keep"
  )
fi

echo "$target"
echo "$(basename "$0"): database $PGDATABASE dumped to $target ($(du -h -- "$target" | cut -f1)); removed $removed old dump(s)." >&2
