#!/usr/bin/env bash
# Run manage.py the way the services run it: as the service user, with the production
# environment file and settings. Examples (as root or as micro):
#
#   /srv/micro/deploy/manage.sh migrate --no-input
#   /srv/micro/deploy/manage.sh check --deploy
#   /srv/micro/deploy/manage.sh createsuperuser
#
#   MICRO_USER      service user        (default micro)
#   MICRO_ENV_FILE  environment file    (default /etc/micro/micro.env)
set -euo pipefail

app_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
user="${MICRO_USER:-micro}"
env_file="${MICRO_ENV_FILE:-/etc/micro/micro.env}"

if [[ "$(id -un)" != "$user" ]]; then
  [[ "$EUID" -eq 0 ]] || { echo "$(basename "$0"): run me as root or as $user." >&2; exit 1; }
  exec runuser -u "$user" -- env MICRO_USER="$user" MICRO_ENV_FILE="$env_file" "$0" "$@"
fi
[[ -r "$env_file" ]] || { echo "$(basename "$0"): cannot read $env_file (see deploy/env.example)." >&2; exit 1; }

# The file is root-owned and only readable by the service group, so it is trusted like a script.
set -a
# shellcheck disable=SC1090
source "$env_file"
set +a
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-config.settings.production}"
cd "$app_dir"
exec "$app_dir/.venv/bin/python" manage.py "$@"
