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

# The npm package `pulumi` downloads (once, into its cache) the CLI version that PULUMI_VERSION names; 3.250.0 is
# its oldest release. The CLI asked for is the SDK's own version, so CLI and SDK agree whatever npm's latest is.
PULUMI_NPM_PACKAGE=pulumi@3.250.0
if command -v pulumi >/dev/null 2>&1; then
    pulumi() { command pulumi "$@"; }
else
    sdk_version="$(node -p 'require("@pulumi/pulumi/package.json").version')"
    say "no pulumi on PATH: using the npm package $PULUMI_NPM_PACKAGE, which downloads the Pulumi CLI v$sdk_version on first use"
    pulumi() { PULUMI_VERSION="$sdk_version" npx --yes "$PULUMI_NPM_PACKAGE" "$@"; }
fi

# A file backend inside the clone: no account needed. The local stack holds no secrets; the passphrase only
# satisfies the file backend's encryption (set your own in the environment to override it).
export PULUMI_BACKEND_URL="${PULUMI_BACKEND_URL:-file://$CLOUDLAB_ROOT/.pulumi-state}"
export PULUMI_CONFIG_PASSPHRASE="${PULUMI_CONFIG_PASSPHRASE:-cloudlab-local}"
mkdir -p "$CLOUDLAB_ROOT/.pulumi-state"

# Pulumi.local.yaml is the user's own (untracked): `stack init` writes the passphrase's encryption salt into it,
# and `pulumi config set` the user's settings.
pulumi stack select local 2>/dev/null || pulumi stack init local
if [ "$node_base" != "node:22-bookworm-slim" ] || [ "$lb_image" != "haproxy:2.8" ]; then
    pulumi config set --stack local nodeBaseImage "$node_base"
    pulumi config set --stack local lbImage "$lb_image"
fi
pulumi up --stack local --yes "$@"
pulumi stack output --stack local
