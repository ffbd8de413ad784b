# `npm run up` once Docker and the base images are ready (scripts/up.sh): the engine chosen once, the base images
# recorded in the stack's config, then `up`. Sourced after common.sh, in $CLOUDLAB_ROOT; not run.
# shellcheck shell=bash

cli() { node --require ts-node/register/transpile-only cli/main.ts "$@"; }

# up_stack <node base image> <lb image> [arguments of the verb]
up_stack() {
    local node_base="$1" lb_image="$2" stack=local platform engine_env line i
    shift 2
    # The stack the arguments name (the CLI's -s/--stack), for the config below.
    local args=("$@")
    for ((i = 0; i < ${#args[@]}; i++)); do
        case "${args[i]}" in
        -s | --stack) stack="${args[i + 1]:-}" ;;
        --stack=*) stack="${args[i]#--stack=}" ;;
        esac
    done

    # The engine, chosen once: every call below inherits the choice (CLOUDLAB_ENGINE and the CLI found) instead of
    # looking for a CLI again, which may mean an npx download each time.
    engine_env="$(node --require ts-node/register/transpile-only cli/engineEnv.ts)" || return 1
    while IFS= read -r line; do
        if [ -n "$line" ]; then export "${line?}"; fi
    done <<<"$engine_env"

    # The base images are the local platform's settings; an aws stack goes straight to its `up` (and its refusal on
    # the built-in engine).
    platform="$(cli config --stack "$stack" get platform 2>/dev/null | tail -n 1 || echo local)"
    if [ "$platform" = local ]; then
        offline_for "$stack" nodeBaseImage "$node_base" "$(project_default nodeBaseImage)"
        offline_for "$stack" lbImage "$lb_image" "$(project_default lbImage)"
        if [ "$node_base" != "$(project_default nodeBaseImage)" ]; then
            # No registry: the monitoring's offline images too (scripts/images/offline.conf); Grafana, which
            # cannot be had offline, is left out.
            local key image
            while read -r -u 3 key image _; do
                case "$key" in nodeBaseImage | lbImage) continue ;; esac
                [ "$image" != - ] || image=""
                offline_for "$stack" "$key" "$image" "$(project_default "$key")"
            done 3< <(offline_image_lines)
        fi
    fi
    cli up "$@"
}

# Only where the stack still names the official image, which cannot be had here: a user's own choice stays.
offline_for() { # <stack> <key> <offline image> <official default>
    local current
    current="$(cli config --stack "$1" get "$2" 2>/dev/null | tail -n 1 || true)"
    if [ "$3" != "$4" ] && [ "$current" = "$4" ]; then
        if [ -n "$3" ]; then
            say "stack $1: $2 $4 cannot be pulled here; using $3"
        else
            say "stack $1: $2 $4 cannot be pulled here and has no offline image: it is left out"
        fi
        cli config --stack "$1" set "$2" "$3"
    fi
}
