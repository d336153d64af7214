# Synthetic SMBIOS 3.2 table in dmidecode's --dump-bin layout (entry point @0, table @0x20), for the real
# dmidecode to read with --from-dump. Describes one server: system, baseboard, chassis, N CPU sockets and
# DIMMs (plus empty slots, which dmidecode prints as "No Module Installed").
import argparse, struct, uuid as U

def st(t, h, body, strs):
    tail = b''.join(s.encode() + b'\0' for s in strs) + b'\0' if strs else b'\0\0'
    return struct.pack('<BBH', t, 4 + len(body), h) + body + tail

a = argparse.ArgumentParser()
a.add_argument('out')
a.add_argument('--vendor', default='Contoso')
a.add_argument('--product', default='PowerRack R650')
a.add_argument('--serial', default='SN-0001')
a.add_argument('--uuid', default='4c4c4544-0042-3510-8052-b4c04f4e3432')
a.add_argument('--board-vendor', default=None)
a.add_argument('--board', default='0X1234')
a.add_argument('--bios-vendor', default='Contoso BIOS Inc.')
a.add_argument('--bios-version', default='2.14.1')
a.add_argument('--cpu-vendor', default='Advanced Micro Devices, Inc.')
a.add_argument('--cpu', default='AMD EPYC 9354P 32-Core Processor')
a.add_argument('--sockets', type=int, default=1)
a.add_argument('--cores', type=int, default=16, help='cores per socket')
a.add_argument('--mhz', type=int, default=3700)
a.add_argument('--mem-gib', type=int, default=64)
a.add_argument('--dimms', type=int, default=4)
a.add_argument('--empty-slots', type=int, default=0)
a = a.parse_args()
intel = 'intel' in a.cpu_vendor.lower()
family = 0xB3 if intel else 0x6B

t = [st(0, 0, struct.pack('<BBHBBQHBBBB', 1, 2, 0xF000, 3, 0xFF, 8, 0x0301, 2, 14, 0xFF, 0xFF),
        [a.bios_vendor, a.bios_version, '03/15/2025']),
     st(1, 0x100, struct.pack('<BBBB16sBBB', 1, 2, 3, 4, U.UUID(a.uuid).bytes_le, 6, 5, 6),
        [a.vendor, a.product, 'A01', a.serial, 'SKU-' + a.product.replace(' ', '-'), 'Server']),
     st(2, 0x200, struct.pack('<BBBBBBBHBB', 1, 2, 3, 4, 5, 9, 6, 0x300, 0x0A, 0),
        [a.board_vendor or a.vendor, a.board, '1.01', 'MB-' + a.serial, 'To Be Filled By O.E.M.', 'Base Board']),
     st(3, 0x300, struct.pack('<BBBBBBBBBIBBBBB', 1, 0x17, 2, 3, 4, 3, 3, 3, 3, 0, 2, 2, 0, 0, 5),
        [a.vendor, 'A00', a.serial, 'ASSET-42', 'CH-SKU'])]
for s in range(a.sockets):
    t.append(st(4, 0x400 + s, struct.pack('<BBBB8sBBHHHBBHHHBBBBBBHHHHH', 1, 3, family, 2,
                struct.pack('<II', 0xA10F11, 0x178BFBFF), 3, 0x8A, 100, a.mhz, 2450, 0x41, 0x3E, 0xFFFF, 0xFFFF,
                0xFFFF, 4, 5, 6, a.cores, a.cores, 2 * a.cores, 0xFC, family, a.cores, a.cores, 2 * a.cores),
                ['CPU%d' % (s + 1), a.cpu_vendor, a.cpu, 'Unknown', 'Unknown', 'Unknown']))
slots = a.dimms + a.empty_slots
t.append(st(16, 0x1000, struct.pack('<BBBIHH', 3, 3, 6, 0x80000000, 0xFFFE, slots), []))
per = a.mem_gib * 1024 // a.dimms if a.dimms else 0
for i in range(slots):
    size = per if i < a.dimms else 0
    t.append(st(17, 0x1100 + i, struct.pack('<HHHHHBBBBBHHBBBBBIHHHH', 0x1000, 0xFFFE, 72, 64, min(size, 0x7FFF), 9, 0,
                1, 2, 0x1A, 0x80, 3200 if size else 0, 3, 4, 5, 6, 2, size if size >= 0x7FFF else 0,
                3200 if size else 0, 1200, 1200, 1200),
                ['DIMM_%s%d' % (chr(65 + i // 2), i % 2 + 1), 'P%d_Channel%d' % (i % 2, i),
                 'Samsung' if size else 'NO DIMM', ('S%08X' % (0xABC000 + i)) if size else 'NO DIMM',
                 'A%d' % i, 'M393A2K43DB3-CWE' if size else 'NO DIMM']))
t.append(st(127, 0x7F00, b'', []))
tbl = b''.join(t)
ep = bytearray(struct.pack('<5sBBBBBBBIQ', b'_SM3_', 0, 0x18, 3, 2, 0, 1, 0, len(tbl), 0x20))
ep[5] = -sum(ep) & 0xFF
open(a.out, 'wb').write(bytes(ep) + bytes(0x20 - len(ep)) + tbl)
