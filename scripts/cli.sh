#!/usr/bin/env bash
# `npm run preview | destroy | refresh | outputs | config`: the npm dependencies first (a fresh clone has none),
# then the verb (cli/main.ts: the Pulumi CLI when there is one, else the built-in engine). `npm run up` is
# scripts/up.sh, which also prepares Docker and the base images.
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"
cd "$CLOUDLAB_ROOT"
ensure_node_modules >&2
exec node --require ts-node/register/transpile-only cli/main.ts "$@"
