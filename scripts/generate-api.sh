#!/usr/bin/env bash
# The API server's generated code, from the OpenAPI document (the source):
#   scripts/generate-api.sh          regenerate Sources/APIServer/Generated
#   scripts/generate-api.sh --check  regenerate into a temporary folder and fail (exit 1, with the diff) if the
#                                    committed code differs: the document and the code were changed apart
# Builds Apple's swift-openapi-generator (from the package mirror) once, in .build-openapi-generator/ (~45 s).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
mode="${1:-write}"
case "$mode" in write | --check) ;; *) echo "usage: $0 [--check]" >&2; exit 2 ;; esac
scratch="$root/.build-openapi-generator"
# A debug build: a third of the release build's time, and it generates the same files in under a second.
swift build --package-path "$root/scripts/openapi" --scratch-path "$scratch" --product swift-openapi-generator >&2
generator="$scratch/debug/swift-openapi-generator"
target="$root/Sources/APIServer/Generated"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
"$generator" generate --config "$root/scripts/openapi/openapi-generator-config.yaml" --output-directory "$out" \
    "$root/Sources/APIServer/Resources/openapi.yaml" > "$out/generator.log" 2>&1 || {
    cat "$out/generator.log" >&2
    exit 1
}
rm "$out/generator.log"
if [ "$mode" = --check ]; then
    if ! diff -ru "$target" "$out" >&2; then
        echo "Sources/APIServer/Generated is not what openapi.yaml generates: run scripts/generate-api.sh" >&2
        exit 1
    fi
    echo "Sources/APIServer/Generated matches openapi.yaml"
else
    rm -rf "$target"
    mkdir -p "$target"
    cp "$out"/*.swift "$target"/
    echo "wrote $(ls "$target" | wc -l) files to Sources/APIServer/Generated"
fi
