#!/usr/bin/env bash
# Build the service image without a container registry (`make test-image`), as issue 30 asks:
#   1. a Debian base of the release this machine runs, made with debootstrap (minbase, Python 3 with venv, and
#      Pango and a font for the PDF reports), imported as localhost/sleutelmonitor-basis:<release>; made
#      once per machine and kept in buildah's local storage;
#   2. the project's own Dockerfile on that base: buildah bud --isolation chroot --build-arg BASE=... .
# Podman cannot run containers here (crun fails on the hybrid cgroups); buildah with chroot isolation can.
# The machine's certificate bundle goes into the build as the secret `pip-ca`, for a proxy with its own CA.
# Usage: scripts/bouw_image.sh [IMAGE]   (default localhost/sleutelmonitor:test)
set -euo pipefail
cd "$(dirname "$0")/.."
image="${1:-localhost/sleutelmonitor:test}"
export STORAGE_DRIVER="${STORAGE_DRIVER:-vfs}"
. /etc/os-release
release="${VERSION_CODENAME:?no VERSION_CODENAME in /etc/os-release}"
basis="localhost/sleutelmonitor-basis:${release}"

if ! command -v buildah >/dev/null 2>&1 || ! command -v debootstrap >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && apt-get install -y -qq --no-install-recommends buildah debootstrap >/dev/null
  else
    echo "bouw_image: buildah and debootstrap are needed (apt-get install buildah debootstrap, as root)" >&2
    exit 2
  fi
fi

begin=$(date +%s)
if [ -z "$(buildah images --quiet "$basis" 2>/dev/null)" ]; then
  echo "bouw_image: making the base $basis with debootstrap"
  werk="$(mktemp -d)"
  trap 'rm -rf "$werk"' EXIT
  debootstrap --variant=minbase \
    --include=python3,python3-venv,python-is-python3,ca-certificates,libpango-1.0-0,libpangoft2-1.0-0,fonts-dejavu-core \
    "$release" "$werk/rootfs" http://deb.debian.org/debian >"$werk/debootstrap.log" 2>&1 \
    || { tail -20 "$werk/debootstrap.log"; exit 1; }
  rm -rf "$werk"/rootfs/usr/share/{doc,man,info} "$werk"/rootfs/var/lib/apt/lists/* "$werk"/rootfs/var/cache/apt/*.bin \
    "$werk"/rootfs/var/cache/apt/archives/*.deb
  tar -C "$werk/rootfs" -cf "$werk/basis.tar" .
  ctr="$(buildah from scratch)"
  buildah add --quiet "$ctr" "$werk/basis.tar" / >/dev/null
  buildah config --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --cmd /bin/sh "$ctr"
  buildah commit --quiet "$ctr" "$basis" >/dev/null
  buildah rm "$ctr" >/dev/null
  echo "bouw_image: base made in $(( $(date +%s) - begin )) s"
fi

ca=()
bundel="${PIP_CERT:-${SSL_CERT_FILE:-/etc/ssl/certs/ca-certificates.crt}}"
if [ -n "$bundel" ] && [ -f "$bundel" ]; then ca=(--secret "id=pip-ca,src=$bundel"); fi
start=$(date +%s)
buildah bud --quiet --format docker --isolation chroot --network host --layers=false "${ca[@]}" \
  --build-arg "BASE=$basis" -t "$image" . >/dev/null
echo "bouw_image: $image built in $(( $(date +%s) - start )) s, $(buildah images --format '{{.Size}}' "$image")"
# Only the newest build is kept: earlier ones would fill buildah's storage run after run.
buildah images --filter dangling=true --quiet | xargs -r buildah rmi >/dev/null 2>&1 || true
