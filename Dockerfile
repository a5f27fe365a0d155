# Commonroom: a production image (gunicorn, WhiteNoise static files). Build: docker build -t commonroom .
# The same image runs the web app, the Celery worker and Celery beat (see docker-compose.yml).

# --- Stage 1: front-end assets ----------------------------------------------------------------------
# Builds static/vendor exactly as `make assets` does. Node.js and npm come from Debian's own packages:
# sass needs Node >= 20.19, which Debian 13 (trixie) ships and Debian 12 (bookworm, Node 18) does not.
# Only CSS, JS and images leave this stage, so its Debian release does not matter to the final image.
FROM debian:trixie-slim AS assets

RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ca-certificates nodejs npm \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-fund --no-audit

COPY static/src ./static/src
ENV VENDOR=static/vendor
RUN mkdir -p $VENDOR/govuk $VENDOR/htmx $VENDOR/axe \
 && npx sass --no-source-map --style=compressed --quiet-deps --silence-deprecation=import \
        --load-path=node_modules/govuk-frontend/dist static/src/commonroom.scss $VENDOR/commonroom.css \
 && cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js $VENDOR/govuk/ \
 && rm -rf $VENDOR/govuk/assets && cp -r node_modules/govuk-frontend/dist/govuk/assets $VENDOR/govuk/assets \
 && rm -rf $VENDOR/govuk/assets/fonts \
 && cp node_modules/htmx.org/dist/htmx.min.js $VENDOR/htmx/ \
 && cp node_modules/axe-core/axe.min.js $VENDOR/axe/ \
 && touch $VENDOR/.built

# --- Stage 2: the application -----------------------------------------------------------------------
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore

# WeasyPrint's system libraries (Pango, HarfBuzz with its subsetter), fonts for PDFs, MIME data.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libffi8 \
        shared-mime-info fonts-liberation \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app

COPY requirements.lock ./
RUN pip install -r requirements.lock

COPY . .
COPY --from=assets /build/static/vendor ./static/vendor

# Hashed, compressed static files for WhiteNoise. SECRET_KEY is a throwaway for this command only:
# it is not kept in the image, and the real one comes from the environment at run time.
RUN SECRET_KEY=collectstatic-build-only-not-secret STATIC_MANIFEST=true \
    python manage.py collectstatic --noinput

# Run as an unprivileged user. The code stays root-owned (read-only to the app); only var/ (media
# uploads, Celery beat's schedule) and the user's home (gunicorn's control socket) are writable.
RUN groupadd --gid 10001 commonroom \
 && useradd --uid 10001 --gid commonroom --create-home --home-dir /home/commonroom \
        --shell /usr/sbin/nologin commonroom \
 && mkdir -p /app/var/media \
 && chown -R commonroom:commonroom /app/var
USER commonroom
ENV HOME=/home/commonroom

EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
