# syntax=docker/dockerfile:1
# Sleutelmonitor API image.
#   docker build -t sleutelmonitor .                      (or: buildah bud -t sleutelmonitor .)
# BASE is any Debian-like image with Python 3.11 or newer and its venv module. The default is the public
# slim image; `make test-image` builds on a Debian bookworm base made here with debootstrap (no registry
# needed) and smoke-tests the result against PostgreSQL (scripts/image_smoketest.py).
# Run with PostgreSQL: see compose.yaml. The image migrates the database before it serves.
ARG BASE=python:3.11-slim

FROM ${BASE} AS builder
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY app ./app
COPY migrations ./migrations
# The runtime dependencies only (no [dev]: no test tooling in the image). The migrations are a package in
# the wheel, so nothing is copied into site-packages by hand. Behind a proxy with its own certificate
# authority, pass its bundle as the build secret `pip-ca` (`--secret id=pip-ca,src=/path/ca.crt`).
RUN --mount=type=secret,id=pip-ca \
    if [ -f /run/secrets/pip-ca ]; then export PIP_CERT=/run/secrets/pip-ca; fi \
 && python3 -m venv /opt/venv \
 && /opt/venv/bin/pip install --quiet --upgrade pip \
 && /opt/venv/bin/pip wheel --quiet --no-deps --wheel-dir /dist . \
 && /opt/venv/bin/pip install --quiet /dist/*.whl \
 && find /opt/venv -name '__pycache__' -prune -exec rm -rf {} + \
 && /opt/venv/bin/pip uninstall --quiet --yes pip

FROM ${BASE}
# Pango and a font for the verantwoording's PDF (WeasyPrint); installed when the base lacks them.
RUN if ! dpkg -s libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core >/dev/null 2>&1; then \
      apt-get update \
      && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
      && rm -rf /var/lib/apt/lists/*; \
    fi
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    SLEUTELMONITOR_ENVIRONMENT=production
COPY --from=builder /opt/venv /opt/venv
# Migrate, then run the given sleutelmonitor command (default: serve). Migrating is idempotent.
RUN printf '#!/bin/sh\nset -e\nsleutelmonitor migrate\nexec sleutelmonitor "$@"\n' > /usr/local/bin/docker-entrypoint \
 && chmod 0755 /usr/local/bin/docker-entrypoint \
 && useradd --no-log-init --uid 10001 --home-dir /srv/sleutelmonitor --create-home sleutelmonitor
USER 10001
WORKDIR /srv/sleutelmonitor
EXPOSE 8000
# The image has no curl; /v1/status/ready answers 503 when the database is unreachable, behind on migrations or the disk full.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["python3", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/v1/status/ready', timeout=4)"]
ENTRYPOINT ["docker-entrypoint"]
# One process per container: scale with replicas (the rate limit is counted per process).
CMD ["serve", "--host", "0.0.0.0", "--port", "8000"]
