"""Hostile checkpoints, written opcode by opcode (protocol 2, as torch.save writes)."""
from __future__ import annotations

import io
import pickle
import struct
import zipfile

PROTO2 = b"\x80\x02"


def global_(module: str, name: str) -> bytes:
    """GLOBAL: push module.name."""
    return b"c" + module.encode() + b"\n" + name.encode() + b"\n"


def text(s: str) -> bytes:
    """BINUNICODE: push a str."""
    data = s.encode()
    return b"X" + struct.pack("<I", len(data)) + data


def call(module: str, name: str, *args: str) -> bytes:
    """module.name(*args) with str arguments: GLOBAL, MARK, args, TUPLE, REDUCE."""
    return global_(module, name) + b"(" + b"".join(text(a) for a in args) + b"tR"


def set_attr_via_build(target: bytes, attr: str, value: bytes = b"N") -> bytes:
    """BUILD with state (None, {attr: value}): pickle's BUILD then calls setattr(obj, attr,
    value) on whatever ``target`` pushed."""
    return target + b"N}" + text(attr) + value + b"s\x86b"


def dict_state_via_build(target: bytes, attr: str, value: bytes = b"N") -> bytes:
    """BUILD with a dict state: obj.__dict__.update({attr: value})."""
    return target + b"}" + text(attr) + value + b"sb"


def pickle_of(body: bytes) -> bytes:
    return PROTO2 + body + b"."


def archive(data_pkl: bytes, records: dict[str, bytes] | None = None,
            compress: dict[str, int] | None = None, name: str = "archive") -> bytes:
    """A zip archive laid out as torch writes one (stored records unless ``compress`` says)."""
    out = io.BytesIO()
    compress = compress or {}
    with zipfile.ZipFile(out, "w") as z:
        for rec, payload in [("data.pkl", data_pkl), ("byteorder", b"little"),
                             *(records or {}).items(), ("version", b"3\n")]:
            info = zipfile.ZipInfo(f"{name}/{rec}", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = compress.get(rec, zipfile.ZIP_STORED)
            z.writestr(info, payload)
    return out.getvalue()


def storage_pid(key: str, numel: int, storage: str = "FloatStorage") -> bytes:
    """The persistent id ('storage', torch.<storage>, key, 'cpu', numel), pushed by BINPERSID."""
    return (b"(" + text("storage") + global_("torch", storage) + text(key) + text("cpu")
            + b"J" + struct.pack("<i", numel) + b"tQ")


def tensor(key: str, numel: int, size: tuple[int, ...], storage: str = "FloatStorage") -> bytes:
    """torch._utils._rebuild_tensor_v2(storage, 0, size, contiguous stride, False, {})."""
    stride, acc = [], 1
    for n in reversed(size):
        stride.append(acc)
        acc *= n
    ints = lambda xs: b"(" + b"".join(b"J" + struct.pack("<i", x) for x in xs) + b"t"  # noqa
    return (global_("torch._utils", "_rebuild_tensor_v2") + b"(" + storage_pid(key, numel, storage)
            + b"K\x00" + ints(size) + ints(stride[::-1]) + b"\x89}tR")


def set_central_sizes(blob: bytes, record: str, size: int) -> bytes:
    """Rewrite a record's declared sizes (compressed and uncompressed) in the local header and
    the central directory, leaving its bytes as they are: the directory now lies."""
    data = bytearray(blob)
    name = record.encode()
    pos = 0
    while True:
        pos = data.find(name, pos + 1)
        if pos < 0:
            break
        if data[pos - 30:pos - 26] == b"PK\x03\x04":
            struct.pack_into("<II", data, pos - 30 + 18, size, size)
        elif data[pos - 46:pos - 42] == b"PK\x01\x02":
            struct.pack_into("<II", data, pos - 46 + 20, size, size)
    return bytes(data)


def point_records_at(blob: bytes, source: str, targets: list[str]) -> bytes:
    """Make the central directory entries of ``targets`` describe ``source``'s bytes (its
    offset, sizes and CRC): one stored record then stands for all of them."""
    data = bytearray(blob)

    def central(name: str) -> int:
        pos = data.find(b"PK\x01\x02")
        while pos >= 0:
            n = struct.unpack_from("<H", data, pos + 28)[0]
            if data[pos + 46:pos + 46 + n] == name.encode():
                return pos
            pos = data.find(b"PK\x01\x02", pos + 1)
        raise KeyError(name)
    src = central(source)
    for name in targets:
        dst = central(name)
        data[dst + 16:dst + 28] = data[src + 16:src + 28]      # CRC, both sizes
        data[dst + 42:dst + 46] = data[src + 42:src + 46]      # local header offset
    return bytes(data)


def unsupported_opcode_pickles() -> dict[str, bytes]:
    """Pickles using opcodes outside torch's weights-only set (each would be harmless or not:
    what matters is that the restricted unpickler interprets none of them)."""
    return {
        "POP": pickle_of(b"N0N"),
        "DUP": pickle_of(b"N2\x86"),
        "INST": PROTO2 + b"(ibuiltins\nset\n.",
        "OBJ": PROTO2 + b"(" + global_("builtins", "set") + b"o.",
        "STACK_GLOBAL": PROTO2 + text("builtins") + text("set") + b"\x93.",
        "FRAME": b"\x80\x04\x95\x01\x00\x00\x00\x00\x00\x00\x00N.",
        "BINBYTES": pickle_of(b"B\x03\x00\x00\x00abc"),
        "LONG4": pickle_of(b"\x8b\x01\x00\x00\x00\x01"),
        "EXT1": pickle_of(b"\x82\x01"),
        "INT": PROTO2 + b"I1\n.",
        "MEMOIZE": PROTO2 + b"N\x94.",
        "PERSID": PROTO2 + b"P0\n.",
        "ADDITEMS": PROTO2 + b"\x8f(K\x01\x90.",
        "FROZENSET": PROTO2 + b"(K\x01\x91.",
        "NEWOBJ_EX": PROTO2 + global_("builtins", "set") + b")}\x92.",
    }


def loads(lib, blob: bytes, **kw):
    return lib.load(io.BytesIO(blob), **kw)


__all__ = [n for n in dir() if not n.startswith("_")] + ["pickle"]
