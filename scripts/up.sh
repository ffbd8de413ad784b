#!/usr/bin/env bash
# `npm run up`: everything from a fresh clone to a running local stack.
#   1. a Docker engine (started, or installed with apt when this is a root Debian machine),
#   2. npm dependencies, 3. base images (official, or offline ones when no registry is reachable), recorded in
#   the stack's config, 4. `up` on the Pulumi CLI when there is one, else on cloudlab's built-in engine
#   (cli/main.ts decides and says which).
# Arguments go to the verb: `npm run up -- -s <stack>` for another stack, `-- --skip-preview`, ...
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"
cd "$CLOUDLAB_ROOT"

ensure_docker || die "cloudlab needs a running Docker engine"
ensure_node_modules
read -r node_base lb_image < <(choose_base_images)

# The stack the arguments name (the CLI's -s/--stack), for the config below.
stack=local
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
    case "${args[i]}" in
    -s | --stack) stack="${args[i + 1]:-}" ;;
    --stack=*) stack="${args[i]#--stack=}" ;;
    esac
done

cli() { node --require ts-node/register/transpile-only cli/main.ts "$@"; }
# The base images are the local platform's settings; an aws stack goes straight to its `up` (and its refusal on
# the built-in engine).
platform="$(cli config --stack "$stack" get platform 2>/dev/null | tail -n 1 || echo local)"
# Only where the stack still names the official image, which cannot be had here: a user's own choice stays.
offline_for() { # <key> <offline image> <official default>
    local current
    current="$(cli config --stack "$stack" get "$1" 2>/dev/null | tail -n 1 || true)"
    if [ "$2" != "$3" ] && [ "$current" = "$3" ]; then
        say "stack $stack: $1 $3 cannot be pulled here; using $2"
        cli config --stack "$stack" set "$1" "$2"
    fi
}
if [ "$platform" = local ]; then
    offline_for nodeBaseImage "$node_base" "$(project_default nodeBaseImage)"
    offline_for lbImage "$lb_image" "$(project_default lbImage)"
    if [ "$node_base" != "$(project_default nodeBaseImage)" ]; then
        # No registry: the monitoring's offline images too (scripts/lib/offlineImages.ts); Grafana and cAdvisor,
        # which Debian does not package, are left out.
        offline_for prometheusImage cloudlab/prometheus:bookworm "$(project_default prometheusImage)"
        offline_for alertmanagerImage cloudlab/alertmanager:bookworm "$(project_default alertmanagerImage)"
        offline_for grafanaImage "" "$(project_default grafanaImage)"
        offline_for cadvisorImage "" "$(project_default cadvisorImage)"
    fi
fi
cli up "$@"
