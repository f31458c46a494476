"""torch.Generator for the CPU: the Mersenne Twister stream torch draws from, seeded as torch
seeds it, with torch's byte layout for its state and torch's cache of one spare normal value.
The distributions that consume it are in ``random.py``."""
from __future__ import annotations

import builtins
import math
import secrets
import struct

import numpy as np

from ._cpu_math import _libm
from ._tensor import Tensor, _check_device, _new_tensor, device as _device

__all__ = ["Generator"]

_U32 = np.uint64(0xFFFFFFFF)
_MASK24 = np.uint64((1 << 24) - 1)
_MASK53 = np.uint64((1 << 53) - 1)
_STATE_SIZE = 5056  # bytes in torch's CPUGeneratorImplState
_MT_N = 624
# below this many words ``random_raw`` (about 1 us a call) beats ``Generator.integers`` (about
# 7 us a call, then faster per word and with no 64-bit temporaries)
_BULK_WORDS = 4096


def _next64_high_first() -> bool:
    """Whether NumPy's MT19937 forms a 64-bit word as torch does, first 32-bit word high (C
    leaves the order of the two reads in ``next32() << 32 | next32()`` to the compiler)."""
    mt = np.random.MT19937(0)
    state = mt.state
    a, b = mt.random_raw(2)
    mt.state = state
    w = np.random.Generator(mt).integers(0, 1 << 64, size=1, dtype=np.uint64)[0]
    return builtins.int(w) == (builtins.int(a) << 32 | builtins.int(b))


_NEXT64_HIGH_FIRST = _next64_high_first()


# ==================================================================================================
# Generator
# ==================================================================================================

def _genrand_key(seed32: int) -> np.ndarray:
    """MT19937's ``init_genrand``: the 624-word state for a 32-bit seed (Knuth's recurrence)."""
    key = [seed32]
    for i in range(1, _MT_N):
        prev = key[-1]
        key.append((1812433253 * (prev ^ (prev >> 30)) + i) & 0xFFFFFFFF)
    return np.array(key, dtype=np.uint32)


def _seed_to_uint64(seed) -> int:
    """torch accepts seeds in [-2**63, 2**64); negative ones wrap to unsigned 64-bit."""
    if isinstance(seed, Tensor):
        seed = seed.item()
    if not isinstance(seed, (builtins.int, np.integer)) or isinstance(seed, builtins.bool):
        raise RuntimeError(f"manual_seed expected a long, but got {type(seed).__name__}")
    seed = builtins.int(seed)
    if not -(1 << 63) <= seed < (1 << 64):
        raise ValueError("Overflow when unpacking long long")
    return seed & 0xFFFFFFFFFFFFFFFF


class Generator:
    """torch.Generator for the CPU: a seeded MT19937 stream plus torch's normal-value caches.

    ``get_state()`` returns a 5056-byte ``uint8`` tensor laid out like torch's
    ``CPUGeneratorImplState``, so states can be moved between the two libraries.
    """

    __slots__ = ("_mt", "_bulk", "_seed", "_next_double_normal", "_next_float_normal",
                 "__weakref__")
    # set (to torch's message) while a draw must raise: inside vmap(randomness="error")
    _refusal: "str | None" = None

    def __init__(self, device="cpu") -> None:
        if _device(device).type == "cuda":
            raise RuntimeError(
                "Cannot get CUDA generator without ATen_cuda library. PyTorch splits its backend "
                "into two shared libraries: a CPU library and a CUDA library; this error has "
                "occurred because you are trying to use some CUDA functionality, but the CUDA "
                "library has not been loaded by the dynamic linker for some reason.  The CUDA "
                "library MUST be loaded, EVEN IF you don't directly use any symbols from the CUDA "
                "library! One common culprit is a lack of -Wl,--no-as-needed in your link "
                "arguments; many dynamic linkers will delete dynamic library dependencies if you "
                "don't depend on any of their symbols.  You can check if this has occurred by "
                "using ldd on your binary to see if there is a dependency on *_cuda.so library.")
        _check_device(device)
        # any seed: manual_seed replaces the state (a fixed one skips NumPy's OS entropy, 0.2 ms)
        self._mt = np.random.MT19937(0)
        self._bulk = np.random.Generator(self._mt)  # the same stream, read in C loops
        self.manual_seed(67280421310721)  # torch's default seed for a new Generator

    def __repr__(self) -> str:
        return f"<minitorch_ref.Generator object at {hex(id(self))}>"

    @property
    def device(self) -> _device:
        return _device("cpu")

    # -- seeding and state ------------------------------------------------------------------------
    def manual_seed(self, seed) -> "Generator":
        """Seed the stream: MT19937 ``init_genrand`` of the low 32 bits; clears the normal cache.
        NumPy's legacy seeding (``RandomState``'s) is that recurrence in C (1 us against 0.1 ms
        for ``_genrand_key`` in Python, the fallback)."""
        seed = _seed_to_uint64(seed)
        self._seed = seed
        if hasattr(self._mt, "_legacy_seeding"):
            self._mt._legacy_seeding(seed & 0xFFFFFFFF)  # the key, and the next word twists
        else:
            self._set_mt(_genrand_key(seed & 0xFFFFFFFF), _MT_N)
        self._next_double_normal = None
        self._next_float_normal = None
        return self

    def seed(self) -> int:
        """Seed from the operating system's entropy and return the seed."""
        s = secrets.randbits(64)
        self.manual_seed(s)
        return s

    def initial_seed(self) -> int:
        return self._seed

    def _set_mt(self, key: np.ndarray, pos: int) -> None:
        self._mt.state = {"bit_generator": "MT19937", "state": {"key": key, "pos": pos}}

    def get_state(self) -> Tensor:
        """torch's byte layout: seed (int64), left, seeded (int32), next (uint64), the 624 state
        words (as uint64), normal_x, normal_y, normal_rho (float64), normal_is_valid (int32),
        padding, the cached float normal (float32) and its flag."""
        st = self._mt.state["state"]
        pos = builtins.int(st["pos"])
        buf = bytearray(_STATE_SIZE)
        # torch counts `left` down from 624 to 1 while `next` counts up; NumPy keeps `pos`.
        # A freshly seeded torch state has next = 0 (NumPy: pos = 624, the seeding key).
        nxt = pos
        if pos == _MT_N and np.array_equal(st["key"], _genrand_key(self._seed & 0xFFFFFFFF)):
            nxt = 0
        struct.pack_into("<QiiQ", buf, 0, self._seed, _MT_N + 1 - pos, 1, nxt)
        buf[24:24 + 8 * _MT_N] = st["key"].astype("<u8").tobytes()
        off = 24 + 8 * _MT_N
        dn, fn = self._next_double_normal, self._next_float_normal
        struct.pack_into("<dddi", buf, off, 0.0, 0.0 if dn is None else dn, 0.0, dn is not None)
        struct.pack_into("<f?", buf, _STATE_SIZE - 8,
                         0.0 if fn is None else fn, fn is not None)
        return _new_tensor(np.frombuffer(bytes(buf), dtype=np.uint8).copy())

    def set_state(self, new_state: Tensor) -> "Generator":
        if not isinstance(new_state, Tensor) or new_state._data.dtype != np.uint8:
            raise TypeError("RNG state must be a torch.ByteTensor")
        raw = np.ascontiguousarray(new_state._data).tobytes()
        if len(raw) != _STATE_SIZE:
            raise RuntimeError(
                f"Expected a CPUGeneratorImplState of size {_STATE_SIZE} but found the input RNG "
                f"state size to be {len(raw)}")
        seed, left, _seeded, _nxt = struct.unpack_from("<QiiQ", raw, 0)
        key = np.frombuffer(raw, dtype="<u8", count=_MT_N, offset=24).astype(np.uint32)
        off = 24 + 8 * _MT_N
        _x, normal_y, _rho, valid = struct.unpack_from("<dddi", raw, off)
        fval, fvalid = struct.unpack_from("<f?", raw, _STATE_SIZE - 8)
        self._seed = seed
        self._set_mt(key, _MT_N + 1 - left)
        self._next_double_normal = normal_y if valid else None
        self._next_float_normal = fval if fvalid else None
        return self

    def clone_state(self) -> "Generator":
        g = Generator()
        g.set_state(self.get_state())
        return g

    # -- raw draws (all vectorized) ----------------------------------------------------------------
    def _random(self, n: int) -> np.ndarray:
        """``n`` 32-bit words (torch's ``random()``), as uint64."""
        if Generator._refusal is not None:
            raise RuntimeError(Generator._refusal)
        return self._mt.random_raw(n)

    def _words32(self, n: int) -> np.ndarray:
        """``n`` 32-bit words (torch's ``random()``), as uint32."""
        if Generator._refusal is not None:
            raise RuntimeError(Generator._refusal)
        if n < _BULK_WORDS:
            return self._mt.random_raw(n).astype(np.uint32)
        # the full 32-bit range: NumPy returns the Twister's words unchanged
        return self._bulk.integers(0, 1 << 32, size=n, dtype=np.uint32)

    def _random64(self, n: int) -> np.ndarray:
        """``n`` 64-bit words (torch's ``random64()``): two 32-bit words, the first is high."""
        if Generator._refusal is not None:
            raise RuntimeError(Generator._refusal)
        if 2 * n >= _BULK_WORDS and _NEXT64_HIGH_FIRST:
            return self._bulk.integers(0, 1 << 64, size=n, dtype=np.uint64)
        w = self._mt.random_raw(2 * n)
        return (w[0::2] << np.uint64(32)) | w[1::2]

    def _uniform(self, n: int, np_dtype) -> np.ndarray:
        """[0, 1) in float32 (24 bits of one word) or float64 (53 bits of two words). The masked
        words fit a signed integer, whose conversion to float is the vectorized one."""
        if np.dtype(np_dtype) == np.float64:
            w = self._random64(n)
            w &= _MASK53
            x = w.view(np.int64).astype(np.float64)
            x *= 2.0 ** -53
            return x
        w = self._words32(n)
        w &= np.uint32(_MASK24)
        x = w.view(np.int32).astype(np.float32)
        x *= np.float32(2.0 ** -24)
        return x

    def _scalar_normals(self, n: int) -> np.ndarray:
        """``n`` standard normals from torch's per-element path (``normal_distribution<double>``):
        each fresh pair of float64 uniforms gives ``r cos`` now and ``r sin`` for the next draw,
        which may come from a later call."""
        out = np.empty(n, dtype=np.float64)
        if n == 0:
            return out
        start = 0
        if self._next_double_normal is not None:
            out[0] = self._next_double_normal
            self._next_double_normal = None
            start = 1
        pairs = (n - start + 1) // 2
        u = self._uniform(2 * pairs, np.float64)
        u1, u2 = u[0::2], u[1::2]
        r = np.sqrt(-2.0 * _libm(np.log1p, -u2))
        theta = 2.0 * math.pi * u1
        cos, sin = r * _libm(np.cos, theta), r * _libm(np.sin, theta)
        rest = np.empty(2 * pairs)
        rest[0::2], rest[1::2] = cos, sin
        out[start:] = rest[:n - start]
        if (n - start) % 2:
            self._next_double_normal = builtins.float(sin[-1])
        return out

    def scalar_draws(self, block: int = 1024) -> "_ScalarDraws":
        """A context giving ``uniform()`` and ``normal()`` one float64 draw at a time, as
        torch's per-element kernels take them (``uniform_real_distribution<double>``,
        ``normal_distribution<double>`` with this generator's spare normal), for samplers whose
        elements take a variable number of draws (gamma, poisson, binomial)."""
        return _ScalarDraws(self, block)


class _ScalarDraws:
    """Scalar draws from a Generator without one NumPy call per draw: raw words are read in
    blocks ahead of use, and on exit the Twister is rewound to just after the last word used
    (a saved state advanced by the count), so the stream is exactly as if drawn one by one.
    A uniform is two words ``(a << 32 | b) & (2**53 - 1)`` times ``2**-53``; a normal is the
    cached spare, or Box-Muller on two uniforms (``r cos`` now, ``r sin`` cached) with the C
    library's ``log1p``, ``cos``, ``sin`` (Python's ``math``)."""

    def __init__(self, gen: Generator, block: int) -> None:
        self._gen = gen
        self._block = block
        self._words: list = []
        self._at = 0
        self._used = 0

    def __enter__(self) -> "_ScalarDraws":
        self._saved = self._gen._mt.state
        self._spare = self._gen._next_double_normal
        return self

    def __exit__(self, *exc) -> None:
        self._gen._mt.state = self._saved
        if self._used:
            self._gen._mt.random_raw(self._used)
        self._gen._next_double_normal = self._spare

    def _word(self) -> int:
        if self._at == len(self._words):
            self._words = self._gen._random(self._block).tolist()  # (checks a vmap refusal)
            self._at = 0
        w = self._words[self._at]
        self._at += 1
        self._used += 1
        return w

    def uniform(self) -> float:
        a = self._word()
        b = self._word()
        return (((a << 32) | b) & 0x1FFFFFFFFFFFFF) * 2.0 ** -53

    def normal(self) -> float:
        if self._spare is not None:
            z, self._spare = self._spare, None
            return z
        u1 = self.uniform()
        u2 = self.uniform()
        r = math.sqrt(-2.0 * math.log1p(-u2))
        theta = 2.0 * math.pi * u1
        self._spare = r * math.sin(theta)
        return r * math.cos(theta)
