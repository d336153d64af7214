#!/usr/bin/env python3
"""Lists the largest async frames of a Swift binary: the context size each async function allocates on its task
when called (from its "async function pointer" symbol, `...Tu`: a 32-bit relative offset, then the 32-bit size).

Usage: scripts/async_frames.py BINARY [COUNT] [FILTER]

A run suspended in a call chain holds every frame of the chain, and a task keeps the slabs its frames took until it
ends; with a thousand runs waiting at once (`bench fleet`), a few KB per frame is megabytes of peak RSS. Read with
`heaptrack_print --print-peaks 1` (which names the frames that took task-allocator memory). Needs `nm`, `readelf`
and `swift demangle`.
"""
import struct
import subprocess
import sys


def sections(binary):
    """(name, address, file offset, size) of each ELF section."""
    found = []
    out = subprocess.run(["readelf", "-S", "-W", binary], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        parts = line.replace("[ ", "[").split()
        if len(parts) > 6 and parts[0].startswith("[") and parts[0] != "[Nr]":
            try:
                found.append((parts[1], int(parts[3], 16), int(parts[4], 16), int(parts[5], 16)))
            except ValueError:
                continue
    return found


def frames(binary):
    """(context size, mangled symbol) of every async function pointer in `binary`."""
    symbols = subprocess.run(["nm", binary], capture_output=True, text=True, check=True).stdout
    layout = [s for s in sections(binary) if s[0] not in (".bss", ".tbss")]
    result = []
    with open(binary, "rb") as data:
        for line in symbols.splitlines():
            parts = line.split()
            if len(parts) != 3 or not parts[2].endswith("Tu"):
                continue
            address = int(parts[0], 16)
            for _, start, offset, size in layout:
                if start <= address < start + size:
                    data.seek(offset + address - start)
                    result.append((struct.unpack("<iI", data.read(8))[1], parts[2]))
                    break
    return result


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    wanted = sys.argv[3] if len(sys.argv) > 3 else ""
    listed = sorted(frames(sys.argv[1]), reverse=True)
    names = []
    for index in range(0, len(listed), 200):
        chunk = [symbol for _, symbol in listed[index:index + 200]]
        names += subprocess.run(
            ["swift", "demangle", "--simplified"] + chunk, capture_output=True, text=True, check=True
        ).stdout.splitlines()
    shown = 0
    for (size, _), name in zip(listed, names):
        name = name.split("--->")[-1].strip().replace("async function pointer to ", "")
        if wanted in name:
            print(size, name)
            shown += 1
            if shown == count:
                break
    return 0


if __name__ == "__main__":
    sys.exit(main())
