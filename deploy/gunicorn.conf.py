"""gunicorn settings for the MICRO platform behind nginx (see deploy/README.md).

Started by systemd/micro-web.service:
    gunicorn --config deploy/gunicorn.conf.py config.wsgi:application

Every value can be tuned from the environment file without editing this file:
GUNICORN_BIND, GUNICORN_WORKERS, GUNICORN_MAX_WORKERS, GUNICORN_THREADS, GUNICORN_TIMEOUT,
GUNICORN_MAX_REQUESTS, GUNICORN_LOG_LEVEL.
"""

from __future__ import annotations

import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def _cores() -> int:
    # The CPUs this process may use (respects taskset/cgroup pinning), not all CPUs of the host.
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


wsgi_app = "config.wsgi:application"
# Only nginx on the same machine talks to gunicorn. Behind a load balancer, bind the private address.
bind = [os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")]

# The usual 2 x cores + 1, bounded: each worker holds a database connection and ~100 MB of memory.
workers = _int("GUNICORN_WORKERS", 0) or max(2, min(2 * _cores() + 1, _int("GUNICORN_MAX_WORKERS", 12)))
# 1 = sync workers (nginx buffers slow clients for them). More than 1 switches gunicorn to gthread.
threads = _int("GUNICORN_THREADS", 1)

# A request that runs longer than this is killed (PDF generation is the slowest page, well below it).
timeout = _int("GUNICORN_TIMEOUT", 30)
# On stop or reload, workers get this long to finish the requests they are serving.
graceful_timeout = 30
keepalive = 5

# Recycle each worker after about this many requests (the jitter keeps them from restarting together),
# so a slow leak in a library never grows without bound.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = max(1, max_requests // 10) if max_requests else 0

# Logs go to stdout/stderr, which systemd sends to the journal: journalctl -u micro-web.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Client address as nginx forwarded it, request line, status, size, duration in ms, user agent.
access_log_format = '%({x-forwarded-for}i)s "%(r)s" %(s)s %(B)s %(M)sms "%(f)s" "%(a)s"'

# X-Forwarded-Proto is trusted only from these addresses (nginx on this machine by default).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Heartbeat files in memory, so a slow disk can never make a healthy worker look dead.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 - tmpfs, gunicorn's own advice
proc_name = "micro-web"

# The control socket (gunicornc) lives in the service's runtime directory (/run/micro-web, created
# by systemd); without one it is switched off rather than written into the home directory.
_runtime_dir = os.environ.get("RUNTIME_DIRECTORY", "").split(":")[0]
if _runtime_dir:
    control_socket = os.path.join(_runtime_dir, "gunicorn.ctl")
else:
    control_socket_disable = True
