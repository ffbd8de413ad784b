#!/usr/bin/env bash
# `npm run up`: everything from a fresh clone to a running local stack.
#   1. a Docker engine (started, or installed with apt when this is a root Debian machine),
#   2. npm dependencies, 3. base images (official, or offline ones when no registry is reachable),
#   4. the Pulumi CLI (the one on PATH, else the npm package `pulumi`, which fetches the CLI on first use),
#   5. a local file backend (no Pulumi Cloud login) and the `local` stack, 6. `pulumi up`.
# Extra arguments go to `pulumi up` (e.g. npm run up -- --diff).
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"
cd "$CLOUDLAB_ROOT"

ensure_docker || die "cloudlab needs a running Docker engine"
ensure_node_modules
read -r node_base lb_image < <(choose_base_images)

if command -v pulumi >/dev/null 2>&1; then
    pulumi() { command pulumi "$@"; }
else
    say "no pulumi on PATH: using the npm package 'pulumi' (downloads the CLI on first use)"
    pulumi() { npx --yes pulumi@3 "$@"; }
fi

# A file backend inside the clone: no account needed. The local stack holds no secrets; the passphrase only
# satisfies the file backend's encryption (set your own in the environment to override it).
export PULUMI_BACKEND_URL="${PULUMI_BACKEND_URL:-file://$CLOUDLAB_ROOT/.pulumi-state}"
export PULUMI_CONFIG_PASSPHRASE="${PULUMI_CONFIG_PASSPHRASE:-cloudlab-local}"
mkdir -p "$CLOUDLAB_ROOT/.pulumi-state"

pulumi stack select local 2>/dev/null || pulumi stack init local
if [ "$node_base" != "node:22-bookworm-slim" ] || [ "$lb_image" != "haproxy:2.8" ]; then
    pulumi config set --stack local nodeBaseImage "$node_base"
    pulumi config set --stack local lbImage "$lb_image"
fi
pulumi up --stack local --yes "$@"
pulumi stack output --stack local
