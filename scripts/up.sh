#!/usr/bin/env bash
# `npm run up`: everything from a fresh clone to a running local stack.
#   1. a Docker engine (started, or installed with apt when this is a root Debian machine),
#   2. npm dependencies, 3. base images (official, or offline ones when no registry is reachable), recorded in
#   the stack's config, 4. `up` on the Pulumi CLI when there is one, else on cloudlab's built-in engine
#   (cli/engineChoice.ts decides, once, and cli/main.ts says which). 3 and 4: scripts/lib/upStack.sh.
# Arguments go to the verb: `npm run up -- -s <stack>` for another stack, `-- --skip-preview`, ...
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"
# shellcheck source=lib/upStack.sh
source "$(dirname "$0")/lib/upStack.sh"
cd "$CLOUDLAB_ROOT"

ensure_docker || die "cloudlab needs a running Docker engine"
ensure_node_modules
read -r node_base lb_image < <(choose_base_images)
up_stack "$node_base" "$lb_image" "$@"
