"""Production serving: `gunicorn` reads this file from the project folder (see README, Deployment)."""
import faulthandler
import multiprocessing
import os

from meetup.web import forwarding, server_errors

# A crash in C code (a segmentation fault) leaves every thread's Python stack in the error log.
faulthandler.enable()
# The 414s and 400s gunicorn answers itself carry the site's security headers too.
server_errors.install()

bind = os.environ.get("BIND", "127.0.0.1:8000")
# One request at a time per process, more processes: requests are short and CPU-bound, so threads add
# no throughput, and with CPython 3.11 two request threads in a process crash it (README, Deployment).
workers = int(os.environ.get("WEB_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("WEB_THREADS", 1))
worker_class = "sync" if threads == 1 else "gthread"
timeout = 30
graceful_timeout = 20
keepalive = 5
# A worker's caches (fragments, cards, the open index) are bounded, so it is recycled rarely: at 5,000
# requests, a load of cache hits recycled each worker within seconds, and it started cold again.
max_requests = int(os.environ.get("WEB_MAX_REQUESTS", 100_000))
max_requests_jitter = max_requests // 10
# Bounds on what a request may carry (Flask bounds the query string and body further).
limit_request_line = 8190
limit_request_fields = 50
limit_request_field_size = 8190
# Which X-Forwarded-* headers count is decided once, by the site from TRUSTED_PROXIES (meetup/web/forwarding.py):
# gunicorn trusts none (its default turns X-Forwarded-Proto/-Ssl/-Protocol from 127.0.0.1 into https).
forwarded_allow_ips = forwarding.GUNICORN_FORWARDED_ALLOW_IPS
secure_scheme_headers = forwarding.GUNICORN_SECURE_SCHEME_HEADERS
accesslog = None  # the app logs one line per request with its timing
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info")
# Create the schema once in the master process, before the workers fork (each worker then opens
# its own database connections: meetup.catalog.db drops the inherited ones after fork).
preload_app = True
wsgi_app = "app:app"


def pre_fork(server, worker):
    """Freeze what the preloaded app made, so workers share it and never scan it (meetup/gc_tuning.py)."""
    from meetup.gc_tuning import settle

    settle()


def post_fork(server, worker):
    """Read what the first keystrokes need before this worker takes a request (meetup/web/listing.py)."""
    from app import app
    from meetup.gc_tuning import settle
    from meetup.web.listing import warm_newest_pages

    try:
        warm_newest_pages(app)
    except Exception as error:  # the worker still serves; its first requests read what they need
        # Bounded: a database that stopped answering costs one timeout at most, none when a sibling saw it.
        reason = (str(error).strip().splitlines() or [type(error).__name__])[0]
        server.log.warning("worker %s starts without its newest-first pages: %s", worker.pid, reason)
    # What the warm-up read is kept for the worker's life: out of the collector's sight too.
    settle()


def post_request(worker, req, environ, resp):
    """Run a due full collection once the response is sent, never inside a request (meetup/gc_tuning.py)."""
    from meetup.gc_tuning import collect_between_requests

    if threads == 1:  # with request threads, another request may be in progress: leave it to the collector
        collect_between_requests()
