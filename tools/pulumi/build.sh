#!/usr/bin/env bash
# Builds the pinned Pulumi engine (CLI + Python language host + the two Python shims) into a cache outside the
# git tree, the way Pulumi's release does, and does nothing when the cached build matches this directory's inputs.
#
#   bash tools/pulumi/build.sh            # output: $PULUMI_DP_ENGINE_BIN
#                                         #   (default ~/.cache/pulumi-dataprotection/pulumi-v$VERSION/bin)
#
# Inputs: VERSION, go.mod, go.sum, this script and our Go files (tools.go; cmd/, the language host). A hash of
# them is stored in the output directory; a rebuild happens only when it differs or a file is missing. GOMODCACHE
# and GOCACHE are the ordinary Go caches, so a rebuild after an edit reuses the downloaded modules and compiled
# packages.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
version="$(tr -d '[:space:]' < "$here/VERSION")"
out="${PULUMI_DP_ENGINE_BIN:-$HOME/.cache/pulumi-dataprotection/pulumi-v$version/bin}"
files=(pulumi pulumi-language-python pulumi-language-python-exec pulumi-resource-pulumi-python)

stamp="$(cd "$here" && cat VERSION go.mod go.sum build.sh $(find . -type f -name '*.go' | LC_ALL=C sort) \
  | sha256sum | cut -d' ' -f1)"

up_to_date() {
  [[ -f "$out/.build-stamp" && "$(cat "$out/.build-stamp")" == "$stamp" ]] || return 1
  local f
  for f in "${files[@]}"; do [[ -x "$out/$f" ]] || return 1; done
  [[ "$("$out/pulumi" version 2>/dev/null)" == "v$version" ]]
}

if up_to_date; then
  echo "engine: Pulumi v$version is up to date in $out"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  echo "engine: the Go toolchain (1.25.11 or newer) is required to build Pulumi v$version; install Go and retry." >&2
  exit 1
fi

echo "engine: building Pulumi v$version into $out ($(go version))"
start=$SECONDS
mkdir -p "$out"
work="$(mktemp -d "$out/.build.XXXXXX")"
trap 'rm -rf "$work"' EXIT

cd "$here"
export CGO_ENABLED=0
build_flags=(-mod=readonly -buildvcs=false -trimpath -tags osusergo,grpcnotrace
  -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$version")
go build "${build_flags[@]}" -o "$work/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
go build "${build_flags[@]}" -o "$work/pulumi-language-python" ./cmd/pulumi-language-python

sdk_dir="$(go list -mod=readonly -m -f '{{.Dir}}' github.com/pulumi/pulumi/sdk/v3)"
install -m 0755 "$sdk_dir/python/cmd/pulumi-language-python-exec" "$work/pulumi-language-python-exec"
install -m 0755 "$sdk_dir/python/dist/pulumi-resource-pulumi-python" "$work/pulumi-resource-pulumi-python"

built="$("$work/pulumi" version)"
if [[ "$built" != "v$version" ]]; then
  echo "engine: the built CLI reports '$built', expected v$version" >&2
  exit 1
fi

# Rename file by file so a concurrent reader never sees a half-written binary; the stamp goes last.
for f in "${files[@]}"; do mv -f "$work/$f" "$out/$f"; done
echo "$stamp" > "$out/.build-stamp"
echo "engine: built Pulumi v$version in $((SECONDS - start))s"
