# syntax=docker/dockerfile:1
# Sleutelmonitor API image. Build: docker build -t sleutelmonitor .
# Run with PostgreSQL: see compose.yaml. The image migrates the database before it serves.

FROM python:3.11-slim AS builder
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY app ./app
RUN python -m pip wheel --no-deps --wheel-dir /dist . \
 && python -m venv /opt/venv \
 && /opt/venv/bin/pip install /dist/*.whl

FROM python:3.11-slim
# Pango and a font for the verantwoording's PDF (WeasyPrint); everything else is pure Python wheels.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    SLEUTELMONITOR_ENVIRONMENT=production
COPY --from=builder /opt/venv /opt/venv
# `sleutelmonitor migrate` looks for alembic.ini and migrations/ next to the `app` package, as in
# the source tree; in an installed wheel that is site-packages.
COPY alembic.ini /opt/venv/lib/python3.11/site-packages/alembic.ini
COPY migrations /opt/venv/lib/python3.11/site-packages/migrations
# Migrate, then run the given sleutelmonitor command (default: serve). Migrating is idempotent.
RUN printf '#!/bin/sh\nset -e\nsleutelmonitor migrate\nexec sleutelmonitor "$@"\n' > /usr/local/bin/docker-entrypoint \
 && chmod 0755 /usr/local/bin/docker-entrypoint \
 && useradd --system --uid 10001 --home-dir /srv/sleutelmonitor --create-home sleutelmonitor
USER sleutelmonitor
WORKDIR /srv/sleutelmonitor
EXPOSE 8000
# The slim image has no curl; /v1/status answers 503 when the database is unreachable.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/v1/status', timeout=4)"]
ENTRYPOINT ["docker-entrypoint"]
# One process per container: scale with replicas (the rate limit is counted per process).
CMD ["serve", "--host", "0.0.0.0", "--port", "8000"]
