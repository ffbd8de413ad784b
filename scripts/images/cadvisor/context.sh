#!/usr/bin/env bash
# Puts the cAdvisor binary into the image's build context ($1): the binary is part of the recipe's hash, so a
# new pinned release (or wrapper) rebuilds the image and an unchanged one leaves it as it is.
set -euo pipefail
root="$(cd "$(dirname "$0")/../../.." && pwd)"
bash "$root/tools/cadvisor/build.sh"
cp "${CLOUDLAB_STATE_DIR:-$root/.cloudlab}/cadvisor/cadvisor" "$1/cadvisor"
