# Shared by the project's shell scripts. Sourced, not run.
# shellcheck shell=bash

CLOUDLAB_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CLOUDLAB_STATE_DIR="${CLOUDLAB_STATE_DIR:-$CLOUDLAB_ROOT/.cloudlab}"
mkdir -p "$CLOUDLAB_STATE_DIR"

say() { printf '[cloudlab] %s\n' "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }

can_apt_install() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; }

# Installs Debian packages that are missing (root with apt only; otherwise says what to install).
ensure_packages() {
    local missing=() cmd pkg
    for pair in "$@"; do
        cmd="${pair%%:*}"; pkg="${pair##*:}"
        command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg")
    done
    [ "${#missing[@]}" -eq 0 ] && return 0
    if can_apt_install; then
        say "installing ${missing[*]} (apt-get)"
        if [ ! -f "$CLOUDLAB_STATE_DIR/apt-updated" ]; then
            apt-get update -qq && touch "$CLOUDLAB_STATE_DIR/apt-updated"
        fi
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
        die "missing ${missing[*]}: install them with your package manager"
    fi
}

# A reachable Docker engine: an installed one is started when it is not running (a fresh machine of the
# project's kind has only the docker client).
ensure_docker() {
    if docker info >/dev/null 2>&1; then return 0; fi
    if ! command -v dockerd >/dev/null 2>&1; then
        can_apt_install || { say "no Docker engine: install Docker"; return 1; }
        ensure_packages dockerd:docker.io
    fi
    if [ "$(id -u)" != 0 ]; then
        say "the Docker engine is not reachable: start it (e.g. 'sudo systemctl start docker') or join the docker group"
        return 1
    fi
    # No userland proxy: published 127.0.0.1 ports go through iptables instead of docker-proxy, which needs
    # 6 descriptors per connection and dies at ~3300 connections under a 20000 open-files limit.
    say "starting dockerd --userland-proxy=false (log: $CLOUDLAB_STATE_DIR/dockerd.log)"
    nohup dockerd --userland-proxy=false >"$CLOUDLAB_STATE_DIR/dockerd.log" 2>&1 &
    for _ in $(seq 1 60); do
        docker info >/dev/null 2>&1 && return 0
        sleep 0.5
    done
    say "dockerd did not come up in 30 s; see $CLOUDLAB_STATE_DIR/dockerd.log"
    return 1
}

# A key's default as Pulumi.yaml declares it (tests/unit/pulumiYaml.test.ts keeps it equal to schema.ts).
project_default() {
    awk -v key="$1" '
        $0 == "  " key ":" { inside = 1; next }
        inside && /^  [^ ]/ { exit }
        inside && /^    default:/ { sub(/^    default: */, ""); gsub(/"/, ""); print; exit }
    ' "$CLOUDLAB_ROOT/Pulumi.yaml"
}

# The cAdvisor release tools/cadvisor/go.mod pins: its one home (scripts/lib/cadvisor.ts reads it too).
cadvisor_version() { awk '$1 == "github.com/google/cadvisor" { print $2 }' "$CLOUDLAB_ROOT/tools/cadvisor/go.mod"; }

image_exists() { docker image inspect "$1" >/dev/null 2>&1; }

# The offline images, one home (scripts/images/offline.conf; scripts/lib/offlineImages.ts reads it too).
# offline_image_lines: "<config key> <image> <scripts/images dir>" per image, "-" for none.
offline_image_lines() { grep -vE '^[[:space:]]*(#|$)' "$CLOUDLAB_ROOT/scripts/images/offline.conf"; }
# offline_image <config key>: its offline image, empty when it has none; fails on a key the file lacks.
offline_image() {
    local key image dir
    while read -r key image dir; do
        [ "$key" = "$1" ] || continue
        [ "$image" = - ] || printf '%s\n' "$image"
        return 0
    done < <(offline_image_lines)
    say "no offline image for $1 in scripts/images/offline.conf"
    return 1
}

# Prints the base images to use as "nodeBaseImage lbImage": the official ones when they are here or can be
# pulled, else the offline ones made by prepare-offline-images.sh (no registry reachable).
choose_base_images() {
    local node lb
    node="${CLOUDLAB_NODE_BASE_IMAGE:-$(project_default nodeBaseImage)}"
    lb="${CLOUDLAB_LB_IMAGE:-$(project_default lbImage)}"
    if { image_exists "$node" || timeout 300 docker pull -q "$node" >/dev/null 2>&1; } &&
        { image_exists "$lb" || timeout 300 docker pull -q "$lb" >/dev/null 2>&1; }; then
        echo "$node $lb"
        return 0
    fi
    say "no image registry reachable: using offline base images (scripts/prepare-offline-images.sh)"
    bash "$CLOUDLAB_ROOT/scripts/prepare-offline-images.sh" >&2
    echo "$(offline_image nodeBaseImage) $(offline_image lbImage)"
}

# npm dependencies of the program, of the app and of the services (their tests import them), once per lock file.
ensure_node_modules() {
    local dir
    for dir in "$CLOUDLAB_ROOT" "$CLOUDLAB_ROOT/app" "$CLOUDLAB_ROOT/controller" "$CLOUDLAB_ROOT/logsink"; do
        # A linked node_modules is another checkout's (a worktree, a Stryker sandbox): npm ci here would
        # empty that one.
        if [ -L "$dir/node_modules" ]; then continue; fi
        if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
            say "npm ci in $dir"
            # --ignore-scripts: the only install script that matters, @pulumi/command's, would try to download its
            # plugin with a `pulumi` CLI; the engine installs the plugins a stack needs at its first `pulumi up`.
            (cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
        fi
    done
}
