#!/usr/bin/env bash
# Builds the real Pulumi CLI, and the plugins that can be had here, from Go modules (the Go module proxy is the only
# source of them these machines reach) into .cloudlab/pulumi/bin (BUILT_PULUMI_BIN):
#   pulumi                         github.com/pulumi/pulumi/pkg/v3 at @pulumi/pulumi's version (tools/pulumi/cli)
#   pulumi-resource-docker         the upstream Terraform provider through the Pulumi bridge, reporting
#                                  @pulumi/docker's pulumi.version (tools/pulumi/docker)
#   pulumi-resource-pulumi-nodejs  the dynamic-provider launcher, as github.com/pulumi/pulumi/sdk/v3 ships it
# What the proxy refuses, and so what is not built: README.md "The real Pulumi engine".
# Idempotent: a binary built from the same module files, version and Go is kept (--rebuild to redo).
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"
cd "$CLOUDLAB_ROOT"

rebuild=false
[ "${1:-}" = "--rebuild" ] && rebuild=true
command -v go >/dev/null 2>&1 || die "building the Pulumi CLI needs Go (1.25 or newer): apt-get install golang, or go.dev/dl"
ensure_node_modules

# The one home of the folder is engine/realPulumi.ts, which runs what is built there.
bin="$(node --require ts-node/register/transpile-only -e 'console.log(require("./engine/realPulumi").BUILT_PULUMI_BIN)')"
mkdir -p "$bin"

package_field() { # <npm package> <node expression on its package.json, p>
    node -e "const p = require('$1/package.json'); console.log($2)"
}

# build <binary> <module dir> <package> <ldflags> <minutes a cold build takes on 2 cores>
build() {
    local name="$1" dir="$CLOUDLAB_ROOT/tools/pulumi/$2" pkg="$3" ldflags="$4" minutes="$5" stamp want total
    stamp="$bin/.$name.stamp"
    want="$(cat "$dir/go.mod" "$dir/go.sum" | sha256sum | cut -c1-16) $ldflags $(go env GOVERSION)"
    if ! $rebuild && [ -x "$bin/$name" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then return 0; fi
    total="$(cd "$dir" && go list -deps "$pkg" | wc -l)"
    say "building $name from Go modules ($total packages; a first build takes about $minutes min on 2 cores, later ones reuse Go's cache)"
    local start=$SECONDS
    # -v names each package as it is compiled: a line every 100 packages shows the build moving.
    if ! (cd "$dir" && go build -v -trimpath -ldflags "-s -w $ldflags" -o "$bin/$name.new" "$pkg") 2>&1 |
        awk -v total="$total" -v name="$name" '
            /^(#|go: |[^ ]+\.go:)/ { print; next }
            ++n % 100 == 0 { printf "[cloudlab]   %s: %d/%d packages compiled\n", name, n, total > "/dev/stderr" }' >&2; then
        die "building $name failed (output above)"
    fi
    mv "$bin/$name.new" "$bin/$name"
    printf '%s\n' "$want" >"$stamp"
    say "$name ready in $((SECONDS - start)) s"
}

cli_version="$(package_field @pulumi/pulumi p.version)"
build pulumi cli github.com/pulumi/pulumi/pkg/v3/cmd/pulumi \
    "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$cli_version" 10
build pulumi-resource-docker docker . \
    "-X main.version=$(package_field @pulumi/docker p.pulumi.version)" 6

# Dynamic providers (the real-engine tests use them) start this launcher, which the CLI's release archive carries.
sdk_dir="$(cd tools/pulumi/cli && go list -m -f '{{.Dir}}' github.com/pulumi/pulumi/sdk/v3)"
install -m 0755 "$sdk_dir/nodejs/dist/pulumi-resource-pulumi-nodejs" "$bin/"
say "real Pulumi: $("$bin/pulumi" version) in $bin"
