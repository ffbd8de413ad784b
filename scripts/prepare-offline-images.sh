#!/usr/bin/env bash
# Makes the base images the lab needs without any image registry (CI and this kind of machine reach none):
#   cloudlab/debian:bookworm  debootstrap (minbase) + docker import
#   cloudlab/node:bookworm    + Debian's nodejs and npm (BASE_IMAGE of service.Dockerfile)
#   cloudlab/haproxy:bookworm + Debian's haproxy
#   cloudlab/prometheus:bookworm, cloudlab/alertmanager:bookworm + Debian's prometheus, prometheus-alertmanager
#   cloudlab/cadvisor:bookworm + cAdvisor built with Go from its module (tools/cadvisor/build.sh)
# Point the stack at them: pulumi config set nodeBaseImage cloudlab/node:bookworm; pulumi config set lbImage cloudlab/haproxy:bookworm;
# pulumi config set prometheusImage cloudlab/prometheus:bookworm; pulumi config set alertmanagerImage cloudlab/alertmanager:bookworm;
# pulumi config set cadvisorImage cloudlab/cadvisor:bookworm. Grafana is not to be had offline: pulumi config set grafanaImage ""
# Users who can pull from Docker Hub never need this. Idempotent: existing images are kept (--rebuild to redo).
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"

rebuild=false
[ "${1:-}" = "--rebuild" ] && rebuild=true

ensure_docker || die "a Docker engine is needed to make images"

if $rebuild || ! image_exists cloudlab/debian:bookworm; then
    ensure_packages debootstrap:debootstrap
    [ "$(id -u)" = 0 ] || die "debootstrap needs root"
    # The mirror this machine's apt already uses (the only one that may be reachable).
    mirror="$(grep -rhE '^(URIs:|deb )' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null |
        grep -oE 'https?://[^ ]+/debian/?( |$)' | grep -v security | head -n1 | tr -d ' ' || true)"
    mirror="${mirror:-http://deb.debian.org/debian}"
    rootfs="$(mktemp -d /tmp/cloudlab-rootfs.XXXXXX)"
    trap 'rm -rf "$rootfs"' EXIT
    say "debootstrap bookworm from $mirror"
    start=$SECONDS
    debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$CLOUDLAB_STATE_DIR/debootstrap.log" 2>&1 ||
        die "debootstrap failed; see $CLOUDLAB_STATE_DIR/debootstrap.log"
    tar -C "$rootfs" -c . | docker import -c 'CMD ["/bin/bash"]' - cloudlab/debian:bookworm >/dev/null
    say "cloudlab/debian:bookworm ready in $((SECONDS - start)) s"
fi

# Each image records the hash of its recipe (Dockerfile, host CAs, what the dir's context.sh adds); a changed
# recipe rebuilds it. The images and their Dockerfiles: scripts/images/offline.conf.
while read -r -u 3 _ image name; do
    [ "$image" != - ] || continue
    context="$(mktemp -d /tmp/cloudlab-image.XXXXXX)"
    cp "$CLOUDLAB_ROOT/scripts/images/$name/Dockerfile" "$context/"
    mkdir -p "$context/extra-ca"
    cp /usr/local/share/ca-certificates/*.crt "$context/extra-ca/" 2>/dev/null || true
    if [ -f "$CLOUDLAB_ROOT/scripts/images/$name/context.sh" ]; then
        bash "$CLOUDLAB_ROOT/scripts/images/$name/context.sh" "$context" || die "preparing the context of $image failed"
    fi
    recipe="$(cd "$context" && find . -type f | sort | xargs cat | sha256sum | cut -c1-16)"
    current="$(docker image inspect -f '{{ index .Config.Labels "cloudlab.recipe" }}' "$image" 2>/dev/null || true)"
    if $rebuild || [ "$current" != "$recipe" ]; then
        start=$SECONDS
        # The legacy builder (no buildx here) warns about itself on stderr: keep it in a log unless the build fails.
        DOCKER_BUILDKIT=0 docker build -q --label "cloudlab.recipe=$recipe" -t "$image" "$context" \
            >/dev/null 2>"$CLOUDLAB_STATE_DIR/build-$name.log" || { cat "$CLOUDLAB_STATE_DIR/build-$name.log" >&2; die "building $image failed"; }
        say "$image ready in $((SECONDS - start)) s"
    fi
    rm -rf "$context"
done 3< <(offline_image_lines)
say "offline base images: $(docker images --format '{{.Repository}}:{{.Tag}} ({{.Size}})' 'cloudlab/*' | tr '\n' ' ')"
