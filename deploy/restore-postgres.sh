#!/usr/bin/env bash
# Restore a dump made by backup-postgres.sh into a named PostgreSQL database.
#
# Usage: deploy/restore-postgres.sh --target DBNAME [--create] [--no-safety-dump] --yes DUMPFILE
#
#   --target DBNAME     the database to restore into (required; it may differ from DATABASE_URL's)
#   --yes               required: confirms that the data in DBNAME may be replaced
#   --create            create DBNAME first when it does not exist (owned by the connecting role)
#   --no-safety-dump    do not dump DBNAME aside before restoring into it
#
#   DATABASE_URL gives the server, role and password (environment; else MICRO_ENV_FILE,
#   default /etc/micro/micro.env). BACKUP_DIR (default /var/backups/micro) receives the safety dump.
#
# The dump is read whole before anything changes. The restore runs pg_restore --clean --if-exists
# in one transaction: it completes, or DBNAME stays as it was. Objects are owned by the connecting
# role (--no-owner --no-privileges). Stop micro-web and micro-worker before restoring the live database.
set -euo pipefail
umask 077

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=SCRIPTDIR/pg-env.sh
source "$here/pg-env.sh"

target=""
dump=""
confirmed=0
create=0
safety_dump=1
backup_dir="${BACKUP_DIR:-/var/backups/micro}"
env_file="${MICRO_ENV_FILE:-/etc/micro/micro.env}"

usage() { sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; }

while (($#)); do
  case "$1" in
    --target) target="${2:?--target needs a database name}"; shift 2 ;;
    --yes) confirmed=1; shift ;;
    --create) create=1; shift ;;
    --no-safety-dump) safety_dump=0; shift ;;
    --env-file) env_file="${2:?--env-file needs a file}"; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    -*) micro_die "unknown option '$1' (see --help)." ;;
    *) [[ -z "$dump" ]] || micro_die "give one dump file, not several."; dump="$1"; shift ;;
  esac
done

[[ -n "$dump" ]] || micro_die "which dump? Usage: $0 --target DBNAME --yes DUMPFILE"
[[ -n "$target" ]] || micro_die "name the database to restore into with --target DBNAME."
[[ "$target" =~ ^[A-Za-z_][A-Za-z0-9_]{0,62}$ ]] || micro_die "'$target' is not a plain database name (letters, digits, _)."
[[ -f "$dump" ]] || micro_die "$dump is not a file."
command -v pg_restore >/dev/null || micro_die "pg_restore is missing: apt-get install postgresql-client."

# Read the whole archive before touching anything: refuses other files and truncated dumps.
pg_restore --file=/dev/null "$dump" 2>/dev/null ||
  micro_die "$dump is not a complete pg_dump custom-format archive (wrong file, or damaged); nothing was changed."

micro_read_database_url "$env_file"
micro_export_pg_env
maintenance_db="$PGDATABASE"

if ((!confirmed)); then
  echo "This would replace the data in database '$target' on ${PGHOST:-the local server} with $dump." >&2
  micro_die "nothing was changed. Run again with --yes to confirm."
fi

sql() { psql -X -q -t -A -v ON_ERROR_STOP=1 "$@"; }

exists="$(sql -d "$maintenance_db" -v db="$target" <<<"SELECT 1 FROM pg_database WHERE datname = :'db'")"
if [[ "$exists" != "1" ]]; then
  ((create)) || micro_die "database '$target' does not exist; add --create to create it."
  createdb --maintenance-db="$maintenance_db" -- "$target"
  echo "$(basename "$0"): created database $target." >&2
elif ((safety_dump)); then
  tables="$(sql -d "$target" <<<"SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")"
  if ((tables > 0)); then
    mkdir -p "$backup_dir"
    aside="$backup_dir/before-restore-$target-$(date -u +%Y%m%d-%H%M%S).dump"
    pg_dump --format=custom --dbname="$target" --file="$aside"
    echo "$(basename "$0"): the previous content of $target is kept in $aside" >&2
  fi
fi

pg_restore --dbname="$target" --clean --if-exists --no-owner --no-privileges --single-transaction --exit-on-error "$dump"
# pg_restore does not collect planner statistics; without them the first queries can be slow.
sql -d "$target" -c "ANALYZE" >/dev/null
echo "$(basename "$0"): restored $dump into database $target." >&2
