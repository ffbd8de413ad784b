#!/usr/bin/env bash
# `npm test`: everything the tests need on a fresh clone, then all suites:
#   lint and format check, type-check, unit tests (mocks, rendered configs checked by the real haproxy/shellcheck/promtool/amtool), the
#   real Pulumi CLI and docker plugin built from Go modules, and the system tests that run on Docker: on the real CLI where its
#   plugins can be had, on the built-in engine (engine/) everywhere. With CI=true nothing may be skipped.
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"
cd "$CLOUDLAB_ROOT"

ensure_node_modules
if can_apt_install; then
    ensure_packages haproxy:haproxy shellcheck:shellcheck promtool:prometheus amtool:prometheus-alertmanager chromium:chromium
fi
docker_ok=true
ensure_docker || docker_ok=false
if $docker_ok; then
    read -r node_base lb_image < <(choose_base_images)
    export CLOUDLAB_TEST_NODE_BASE_IMAGE="$node_base" CLOUDLAB_TEST_LB_IMAGE="$lb_image"
fi

say "lint (eslint, shellcheck), format (prettier --check) and the layering rules (npm run lint:deps, inside npm run lint)"
npm run --silent lint
if command -v shellcheck >/dev/null 2>&1; then
    npm run --silent lint:sh
elif [ "${CI:-}" = true ]; then
    die "shellcheck is missing (apt-get install shellcheck)"
else
    say "SKIPPED: shellcheck of the scripts (install shellcheck)"
fi
# The offline cAdvisor image is built with the host's Go (tools/cadvisor; Debian's golang-go is too old for it).
if command -v gofmt >/dev/null 2>&1; then
    unformatted="$(gofmt -l tools/cadvisor)"
    [ -z "$unformatted" ] || die "gofmt: $unformatted"
elif [ "${CI:-}" = true ]; then
    die "Go is missing: the offline cAdvisor is built from its Go module (tools/cadvisor/go.mod says which Go)"
else
    say "SKIPPED: gofmt of tools/cadvisor (install Go)"
fi
say "type-check"
npx tsc --noEmit -p .
npx tsc --noEmit -p app
npx tsc --noEmit -p controller
npx tsc --noEmit -p logsink
say "unit tests"
npx mocha
if command -v go >/dev/null 2>&1; then
    say "the real Pulumi CLI and docker plugin from Go modules (scripts/build-pulumi.sh)"
    bash scripts/build-pulumi.sh
elif [ "${CI:-}" = true ]; then
    die "go is missing: the real Pulumi CLI is built from Go modules (Go 1.25 or newer)"
else
    say "SKIPPED: building the real Pulumi CLI (no go on PATH); its suites skip"
fi
say "system tests (Docker)"
npx mocha --config .mocharc.system.json
