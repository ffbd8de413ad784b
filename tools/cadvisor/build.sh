#!/usr/bin/env bash
# Builds cAdvisor from its Go module at the version go.mod pins, into $CLOUDLAB_STATE_DIR/cadvisor/cadvisor
# (gitignored), with the -ldflags of cAdvisor's own build/build.sh (lib/version.*), so --version and the
# cadvisor_version_info metric report the pinned release. Reproducible (-trimpath, the build date is the
# release's date from the module proxy), and a no-op when nothing it reads changed: a second run does nothing.
set -euo pipefail
# shellcheck source=../../scripts/lib/common.sh
source "$(dirname "$0")/../../scripts/lib/common.sh"

src="$CLOUDLAB_ROOT/tools/cadvisor"
out="$CLOUDLAB_STATE_DIR/cadvisor"
binary="$out/cadvisor"
command -v go >/dev/null 2>&1 || die "Go is needed to build cAdvisor (tools/cadvisor/go.mod says which version)"

cd "$src"
version="$(cadvisor_version)"
stamp="$(cat go.mod go.sum ./*.go build.sh | sha256sum | cut -c1-16) $(go env GOVERSION GOOS GOARCH | tr '\n' ' ')"
if [ -x "$binary" ] && [ "$(cat "$binary.stamp" 2>/dev/null)" = "$stamp" ]; then
    exit 0
fi

start=$SECONDS
say "building cAdvisor $version from its Go module (tools/cadvisor)"
# -mod=readonly: go.sum is the pin; a build never resolves anything anew.
released="$(GOFLAGS=-mod=readonly go list -m -f '{{.Time.UTC.Format "20060102-15:04:05"}}' github.com/google/cadvisor)"
pkg=github.com/google/cadvisor/lib/version
ldflags="-X $pkg.Version=$version -X $pkg.Revision=unknown -X $pkg.Branch=unknown -X $pkg.BuildUser=cloudlab"
ldflags+=" -X $pkg.BuildDate=$released -X $pkg.GoVersion=$(go env GOVERSION | sed 's/^go//')"
mkdir -p "$out"
# CGO off: the binary runs on the debootstrap base whatever the host's libc (cAdvisor's netgo tag, too).
CGO_ENABLED=0 GOFLAGS=-mod=readonly go build -trimpath -tags netgo -ldflags "$ldflags" -o "$binary.tmp" .
mv "$binary.tmp" "$binary"
reported="$("$binary" --version)"
case "$reported" in
    *" $version "*) ;;
    *) die "the built cAdvisor reports '$reported', expected version $version" ;;
esac
printf '%s\n' "$stamp" >"$binary.stamp"
say "cAdvisor $version built in $((SECONDS - start)) s: $binary"
