# shellcheck shell=bash
# Sourced by backup-postgres.sh and restore-postgres.sh (not run on its own).
#
# Turns DATABASE_URL into the PG* variables that pg_dump, pg_restore and psql read, so the
# password never appears on a command line (where any local user could see it with `ps`).

micro_die() {
  echo "$(basename "$0"): $*" >&2
  exit 1
}

# DATABASE_URL comes from the environment (systemd EnvironmentFile=), else from the env file.
# Only the DATABASE_URL line of that file is read; nothing in it is executed.
micro_read_database_url() {
  local env_file="$1"
  if [[ -z "${DATABASE_URL:-}" && -r "$env_file" ]]; then
    DATABASE_URL="$(sed -n -E 's/^[[:space:]]*(export[[:space:]]+)?DATABASE_URL[[:space:]]*=[[:space:]]*//p' "$env_file" | tail -n 1)"
    DATABASE_URL="${DATABASE_URL%\"}"; DATABASE_URL="${DATABASE_URL#\"}"
    DATABASE_URL="${DATABASE_URL%\'}"; DATABASE_URL="${DATABASE_URL#\'}"
  fi
  [[ -n "${DATABASE_URL:-}" ]] || micro_die "DATABASE_URL is not set (and not found in $env_file)."
  export DATABASE_URL
}

# Export PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE (and PGSSLMODE & co. from the query string).
micro_export_pg_env() {
  local assignments
  unset PGHOST PGHOSTADDR PGPORT PGUSER PGPASSWORD PGDATABASE PGSSLMODE PGSERVICE
  assignments="$("${PYTHON:-python3}" - <<'PY'
import os
import shlex
import sys
from urllib.parse import parse_qsl, unquote, urlsplit

parts = urlsplit(os.environ["DATABASE_URL"])
if parts.scheme not in {"postgres", "postgresql", "pgsql", "postgis"}:
    sys.exit(f"DATABASE_URL must be a PostgreSQL URL (postgres://user:password@host:5432/name), not {parts.scheme or 'a bare name'}.")
location = parts.netloc.rpartition("@")[2]
if location.startswith("["):
    host, _, rest = location[1:].partition("]")
    port = rest.lstrip(":")
else:
    host, _, port = location.partition(":")
values = {
    "PGHOST": unquote(host),
    "PGPORT": port,
    "PGUSER": unquote(parts.username or ""),
    "PGPASSWORD": unquote(parts.password or ""),
    "PGDATABASE": unquote(parts.path.lstrip("/")),
}
query_names = {
    "host": "PGHOST", "port": "PGPORT", "sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT", "sslkey": "PGSSLKEY", "connect_timeout": "PGCONNECT_TIMEOUT",
    "application_name": "PGAPPNAME", "options": "PGOPTIONS", "passfile": "PGPASSFILE",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
}
for key, value in parse_qsl(parts.query):
    if key in query_names:
        values[query_names[key]] = value
if not values["PGDATABASE"]:
    sys.exit("DATABASE_URL names no database (it should end with /<database name>).")
for name, value in values.items():
    if value:
        print(f"export {name}={shlex.quote(value)}")
PY
)" || micro_die "cannot use DATABASE_URL (see the message above)."
  eval "$assignments"
}
