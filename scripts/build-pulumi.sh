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
# The Go the modules ask for (their go.mod's `go` line): an older one would try to download a toolchain.
go_wanted="$(awk '$1 == "go" { print $2 }' tools/pulumi/cli/go.mod)"
command -v go >/dev/null 2>&1 || die "building the Pulumi CLI needs Go $go_wanted or newer"
ensure_node_modules

# The one home of the folder is engine/realPulumi.ts, which runs what is built there.
bin="$(node --require ts-node/register/transpile-only -e 'console.log(require("./engine/realPulumi").BUILT_PULUMI_BIN)')"
mkdir -p "$bin"
trap 'rm -f "$bin"/*.new' EXIT

package_field() { # <npm package> <node expression on its package.json, p>
    node -e "const p = require('$1/package.json'); console.log($2)"
}

# build <binary> <module dir> <package> <ldflags>
build() {
    local name="$1" dir="$CLOUDLAB_ROOT/tools/pulumi/$2" pkg="$3" ldflags="$4" stamp want total log
    stamp="$bin/.$name.stamp"
    log="$bin/.$name.log"
    # Every file of the module folder (go.mod, go.sum, the main package and the docker plugin's shim).
    want="$(find "$dir" -type f | sort | xargs cat | sha256sum | cut -c1-16) $ldflags $(go env GOVERSION)"
    if ! $rebuild && [ -x "$bin/$name" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then return 0; fi
    total="$(cd "$dir" && go list -deps "$pkg" | wc -l)" || die "go list of $name's module failed (output above)"
    say "building $name from Go modules ($total packages; the first build takes minutes, README.md \"The real Pulumi engine\" has the figures; later ones reuse Go's cache)"
    local start=$SECONDS
    # -v names each package as it is compiled: a line every 100 of them shows the build moving; the whole output
    # is kept in $log and shown when the build fails.
    if ! (cd "$dir" && go build -v -trimpath -ldflags "-s -w $ldflags" -o "$bin/$name.new" "$pkg") >"$log" 2>&1; then
        cat "$log" >&2
        die "building $name failed (output above; also in $log)"
    fi &
    local builder=$!
    while kill -0 "$builder" 2>/dev/null; do
        sleep 10
        say "  $name: $(grep -cvE '^(go: |#)' "$log" 2>/dev/null)/$total packages compiled"
    done
    wait "$builder" || exit 1
    mv "$bin/$name.new" "$bin/$name"
    printf '%s\n' "$want" >"$stamp"
    say "$name ready in $((SECONDS - start)) s"
}

# The version the CLI reports is that of the module it is built from (tools/pulumi/cli/go.mod, which a unit test
# keeps equal to @pulumi/pulumi's); the docker plugin reports the one @pulumi/docker asks for.
cli_version="$(cd tools/pulumi/cli && go list -m -f '{{.Version}}' github.com/pulumi/pulumi/pkg/v3)"
build pulumi cli github.com/pulumi/pulumi/pkg/v3/cmd/pulumi \
    "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$cli_version"
build pulumi-resource-docker docker . \
    "-X main.version=$(package_field @pulumi/docker p.pulumi.version)"

# Dynamic providers (the real-engine tests use them) start this launcher, which the CLI's release archive carries.
sdk_dir="$(cd tools/pulumi/cli && go list -m -f '{{.Dir}}' github.com/pulumi/pulumi/sdk/v3)"
install -m 0755 "$sdk_dir/nodejs/dist/pulumi-resource-pulumi-nodejs" "$bin/"
say "real Pulumi: $("$bin/pulumi" version) in $bin"
