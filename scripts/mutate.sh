#!/usr/bin/env bash
# `npm run mutate [folder ...]`: one StrykerJS run per folder (stryker.config.mjs), all five when none is named,
# then the score per folder. Each run's report: reports/mutation/<folder>/mutation.html and .json.
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"
cd "$CLOUDLAB_ROOT"

if [ "$#" -eq 0 ]; then
    mapfile -t folders < <(node -e 'console.log(Object.keys(require("./scripts/mutation/folders.json")).join("\n"))')
else
    folders=("$@")
fi
for folder in "${folders[@]}"; do
    say "mutating $folder"
    start=$SECONDS
    MUTATE_FOLDER="$folder" npx stryker run
    say "$folder: $((SECONDS - start)) s"
done
node --require ts-node/register/transpile-only scripts/mutationScores.ts "${folders[@]}"
