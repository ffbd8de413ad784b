#!/usr/bin/env bash
# `npm run mutate [folder ...]`: one StrykerJS run per folder (stryker.config.mjs), all of
# scripts/mutation/folders.json when none is named, then the score per folder and each folder's undetected
# mutants (scripts/mutationScores.ts). Reports: the folder's `reports` directory in folders.json.
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"
cd "$CLOUDLAB_ROOT"

known="$(node -e 'console.log(Object.keys(require("./scripts/mutation/folders.json")).join("\n"))')"
if [ "$#" -eq 0 ]; then
    mapfile -t folders <<<"$known"
else
    folders=("$@")
fi
# Every name is checked before the first run: a typo in the last one must not cost the hours of the others.
for folder in "${folders[@]}"; do
    grep -qxF -- "$folder" <<<"$known" || die "$folder is not a folder npm run mutate mutates; expected one of: ${known//$'\n'/, }"
done
for folder in "${folders[@]}"; do
    say "mutating $folder"
    start=$SECONDS
    MUTATE_FOLDER="$folder" npx stryker run
    say "$folder: $((SECONDS - start)) s"
done
node --require ts-node/register/transpile-only scripts/mutationScores.ts "${folders[@]}"
