#!/usr/bin/env bash
# Fuzzes every parser of outside input (tool output, ipmitool, Redfish, MAAS, catalog YAML, BIOS XML) with hwa-fuzz.
#
#   scripts/fuzz.sh --minutes 10            # all targets, 10 minutes in total (split over the targets)
#   scripts/fuzz.sh --iterations 100000     # all targets, that many inputs each
#   scripts/fuzz.sh --release --minutes 60  # an optimised build (cold: 15+ minutes to compile) in .build-fuzz
#
# Other arguments go to hwa-fuzz (--target NAME, --seed N, --crash-dir DIR). The build is a debug build in .build
# unless --release is given; the JSON summary says which. Crashing inputs are kept in fuzz-crashes/ (replay one with
# `hwa-fuzz --target <target> --replay <file>`). Exits non-zero when any target crashed.
set -euo pipefail
cd "$(dirname "$0")/.."

minutes=""
target=all
configuration=debug
scratch=.build
arguments=()
while [ $# -gt 0 ]; do
    case "$1" in
        --minutes) minutes="$2"; shift 2 ;;
        --release) configuration=release; scratch=.build-fuzz; shift ;;
        --target) target="$2"; arguments+=("$1" "$2"); shift 2 ;;
        *) arguments+=("$1"); shift ;;
    esac
done

swift build -c "$configuration" --product hwa-fuzz --scratch-path "$scratch" >&2
fuzz="$scratch/$configuration/hwa-fuzz"

if [ -n "$minutes" ]; then
    targets=1
    if [ "$target" = all ]; then targets=$("$fuzz" --list | wc -l); fi
    seconds=$(awk -v m="$minutes" -v t="$targets" 'BEGIN { printf "%.3f", m * 60 / t }')
    echo "hwa-fuzz ($configuration build): $targets targets, $seconds s each" >&2
    arguments+=(--seconds "$seconds")
fi

exec "$fuzz" "${arguments[@]}"
