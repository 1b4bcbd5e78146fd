#!/usr/bin/env bash
# The API image's base when no image registry can be reached: Debian bookworm with
# Python 3.11, made from Debian's own packages and imported into podman.
#
#   deploy/base-image/build.sh [TAG]      # default localhost/house-prices-base:bookworm
#
# `make image` runs it (with podman and no BASE_IMAGE) when the image is missing, so
# once per machine; deploy/README.md, "The base image", tells why. Needs root (or
# sudo), debootstrap and podman. DEBIAN_MIRROR chooses the mirror; by default the one
# this machine's apt uses for bookworm, else deb.debian.org.
set -euo pipefail

tag=${1:-localhost/house-prices-base:bookworm}
suite=bookworm
here=$(cd "$(dirname "$0")" && pwd)
export CONTAINERS_CONF=${CONTAINERS_CONF:-$here/../containers.conf}

if ! command -v debootstrap >/dev/null; then
    echo "base image: debootstrap is needed (apt-get install debootstrap)," \
        "or set BASE_IMAGE to an image you can pull" >&2
    exit 1
fi
if [[ -z ${DEBIAN_MIRROR:-} ]]; then
    DEBIAN_MIRROR=$(apt-get indextargets --format '$(REPO_URI) $(RELEASE)' 2>/dev/null |
        awk -v suite="$suite" '$2 == suite { print $1; exit }')
fi
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

work=$(mktemp -d "${TMPDIR:-/tmp}/house-prices-base-XXXXXX")
trap 'rm -rf "$work"' EXIT
rootfs=$work/rootfs

echo "base image: debootstrap $suite from $mirror (once per machine)"
# A minimal Debian with Python and its venv module: what api/Dockerfile needs.
debootstrap --variant=minbase --include=python3,python3-venv \
    "$suite" "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 ||
    { cat "$work/debootstrap.log" >&2; exit 1; }

# Like python:3.11-slim: no package caches, documentation or translations.
for folder in var/cache/apt var/lib/apt/lists usr/share/doc usr/share/man \
    usr/share/info usr/share/locale; do
    rm -rf "${rootfs:?}/$folder"
    mkdir -p "$rootfs/$folder"
done

tar -C "$rootfs" -c . | podman import \
    --change "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    --change "ENV LANG=C.UTF-8" \
    --change 'CMD ["python3"]' \
    - "$tag" >/dev/null
echo "base image: $tag"
