"""Real OLE compound files for tests: an object pasted into Word from another program."""

from __future__ import annotations

import struct


def ole_compound(streams: dict[str, bytes]) -> bytes:
    """A minimal OLE2 compound file (512-byte sectors, every stream in the big-block
    stream so no mini stream is needed: each stream is padded to 4,096 bytes)."""
    sector = 512
    names = list(streams)
    datas = [streams[n].ljust(4096, b"\x00") for n in names]
    # Sectors: [directory][stream 0...][stream 1...][FAT]
    dir_entries = 1 + len(names)
    dir_sectors = (dir_entries * 128 + sector - 1) // sector
    data_sectors = [len(d) // sector for d in datas]
    total = dir_sectors + sum(data_sectors)
    fat_sectors = 1
    fat = [0xFFFFFFFF] * (sector // 4)
    index = 0
    for i in range(dir_sectors):
        fat[index] = index + 1 if i < dir_sectors - 1 else 0xFFFFFFFE
        index += 1
    starts = []
    for count in data_sectors:
        starts.append(index)
        for i in range(count):
            fat[index] = index + 1 if i < count - 1 else 0xFFFFFFFE
            index += 1
    fat[index] = 0xFFFFFFFD  # the FAT sector itself
    fat_sector = index
    assert total + fat_sectors <= len(fat)

    def entry(name: str, kind: int, start: int, size: int, child: int, right: int) -> bytes:
        raw = name.encode("utf-16-le") + b"\x00\x00"
        return (
            raw.ljust(64, b"\x00")
            + struct.pack("<HBB", len(raw), kind, 1)
            + struct.pack("<III", 0xFFFFFFFF, right, child)
            + b"\x00" * 16
            + b"\x00" * 4
            + b"\x00" * 16
            + struct.pack("<IIi", start, size, 0)
        )

    directory = entry("Root Entry", 5, 0xFFFFFFFE, 0, 1 if names else 0xFFFFFFFF, 0xFFFFFFFF)
    for i, (name, data) in enumerate(zip(names, datas, strict=True)):
        right = i + 2 if i + 1 < len(names) else 0xFFFFFFFF
        directory += entry(name, 2, starts[i], len(data), 0xFFFFFFFF, right)
    directory = directory.ljust(dir_sectors * sector, b"\x00")
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\x00" * 6
        + struct.pack("<IIII", 0, fat_sectors, 0, 0)
        + struct.pack("<III", 0x1000, 0xFFFFFFFE, 0)
        + struct.pack("<II", 0xFFFFFFFE, 0)
        + struct.pack("<I", fat_sector)
        + b"\xff\xff\xff\xff" * 108
    )
    body = directory + b"".join(datas) + b"".join(struct.pack("<I", v) for v in fat)
    return header + body


def ole10_native(label: str, source: str, payload: bytes) -> bytes:
    """An "Ole10Native" stream, as Windows' Packager writes it ([MS-OLEDS])."""
    temp = f"C:\\Users\\officer\\AppData\\Local\\Temp\\{label}".encode("cp1252") + b"\x00"
    native = (
        b"\x02\x00" + label.encode("cp1252") + b"\x00" + source.encode("cp1252") + b"\x00"
        + b"\x00\x00\x03\x00" + struct.pack("<I", len(temp)) + temp
        + struct.pack("<I", len(payload)) + payload
    )  # fmt: skip
    return struct.pack("<I", len(native)) + native


def packaged_file(label: str, source: str, payload: bytes) -> bytes:
    """An OLE object holding one packaged file."""
    return ole_compound({"\x01Ole10Native": ole10_native(label, source, payload)})
