# bkklib web node and worker image (docs/admin/deploy.md, Containers).
#   docker build -t bkklib .
#   docker compose up -d          # compose.yaml: nginx, two web nodes, a worker, PostgreSQL, Redis
# Debian slim, a non-root user, the app in a virtualenv, static files collected at build time.

# --- build: compile the wheels that need headers (PyICU against Debian's ICU) ------------------------
FROM python:3.11-slim-bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential pkg-config libicu-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bkklib ./bkklib
RUN python -m venv /opt/bkklib \
 && /opt/bkklib/bin/pip install --no-cache-dir --upgrade pip \
 && /opt/bkklib/bin/pip install --no-cache-dir .

# --- runtime -----------------------------------------------------------------------------------------
FROM python:3.11-slim-bookworm
# libicu72: PyICU's runtime (Thai segmentation and collation); gettext: compilemessages after upgrades.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libicu72 gettext \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 bkklib \
 && useradd --system --uid 10001 --gid bkklib --home-dir /srv/bkklib --create-home --shell /usr/sbin/nologin bkklib
COPY --from=build /opt/bkklib /opt/bkklib
WORKDIR /srv/bkklib/app
COPY manage.py ./
COPY deploy/gunicorn.conf.py ./deploy/gunicorn.conf.py
# GUNICORN_FORWARDED_ALLOW_IPS=*: only nginx reaches the web containers (compose publishes nginx's port alone).
ENV PATH=/opt/bkklib/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DJANGO_SETTINGS_MODULE=bkklib.settings \
    BKKLIB_VAR_DIR=/srv/bkklib/var \
    MEDIA_ROOT=/srv/bkklib/media \
    PROMETHEUS_MULTIPROC_DIR=/tmp/bkklib-metrics \
    GUNICORN_BIND=0.0.0.0:8000 \
    GUNICORN_FORWARDED_ALLOW_IPS=* \
    LOG_FORMAT=json
# Static files into the image (whitenoise serves them); a throw-away key: nothing is signed at build.
RUN SECRET_KEY=build-only-not-used DEBUG=0 bkklib collectstatic --no-input -v 0 \
 && mkdir -p /srv/bkklib/media \
 && chown -R bkklib:bkklib /srv/bkklib/var /srv/bkklib/media
USER bkklib
EXPOSE 8000
VOLUME ["/srv/bkklib/media"]
HEALTHCHECK --interval=15s --timeout=4s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=3)"]
CMD ["gunicorn", "-c", "deploy/gunicorn.conf.py"]
