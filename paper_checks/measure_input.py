"""The input of ``alignment-tax measure``: reading an ``.npz`` and validating its arrays.

An ``.npz`` with ``acts`` (layers, n, d) float32/float64; ``safety`` (n,) int with 1 = positive
(safe) class, 0 = negative, -1 = not labelled; ``capability_NAME`` (n,) int for each capability (1 =
capable); optionally ``safety_NAME`` (n,) for further safety directions (effective angle, Thm 6.4),
``layer_names`` (layers,) str and ``token_position`` (an int, or one per layer).  Any direction may be
given precomputed instead of labelled (a gradient, a steering vector): ``direction_safety``,
``direction_NAME`` (capability NAME), ``direction_safety_NAME``, each (layers, d); with only
precomputed directions ``acts`` may be left out.  Every problem is an ``InputError`` naming the file
and the key.
"""
from __future__ import annotations

import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from verify import probes as P
from verify.validate import InputError

__all__ = ["MeasureInput", "load_npz", "validate_arrays", "CAPABILITY_PREFIX", "SAFETY_PREFIX", "DIRECTION_PREFIX"]

# The keys' prefixes: labels of a capability, of a further safety direction, and a precomputed direction.
CAPABILITY_PREFIX, SAFETY_PREFIX, DIRECTION_PREFIX = "capability_", "safety_", "direction_"
_OPTIONAL = ("layer_names", "token_position")


@dataclass(frozen=True)
class MeasureInput:
    """Validated input: activations (None with precomputed directions only), label arrays and precomputed unit
    directions by key (``safety``, ``capability_NAME``, ``safety_NAME``), in report order, and where the
    activations were read."""

    acts: np.ndarray | None
    labels: dict[str, np.ndarray]
    precomputed: dict[str, np.ndarray]
    capability_names: tuple[str, ...]
    extra_safety_names: tuple[str, ...]
    layer_names: tuple[str, ...] | None
    token_position: tuple[int, ...] | None
    source: str = "<arrays>"

    @property
    def keys(self) -> list[str]:
        """Every direction's key: safety, then the capabilities, then the further safety directions."""
        return (["safety"] + [CAPABILITY_PREFIX + c for c in self.capability_names]
                + [SAFETY_PREFIX + s for s in self.extra_safety_names])

    @property
    def capabilities(self) -> dict[str, np.ndarray | None]:
        """Capability name -> labels (None when precomputed)."""
        return {c: self.labels.get(CAPABILITY_PREFIX + c) for c in self.capability_names}

    @property
    def extra_safety(self) -> dict[str, np.ndarray | None]:
        """Further safety direction name -> labels (None when precomputed)."""
        return {s: self.labels.get(SAFETY_PREFIX + s) for s in self.extra_safety_names}

    @property
    def shape(self) -> tuple[int, int, int]:
        """(layers, n, d); n = 0 without activations."""
        if self.acts is not None:
            return tuple(self.acts.shape)                               # type: ignore[return-value]
        L, d = next(iter(self.precomputed.values())).shape
        return L, 0, d


def load_npz(path: str | Path) -> MeasureInput:
    """Read and validate an ``.npz`` (no pickles).  Errors name the file and the key."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"FILE {str(path)!r} does not exist or is not a file.")
    if not zipfile.is_zipfile(path):
        raise InputError(f"FILE {str(path)!r} is not a readable .npz archive (not a zip file). Write it with "
                         f"numpy.savez.")
    try:
        arrays = _read_npz(path)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise InputError(f"FILE {str(path)!r} is not a readable .npz archive ({exc}). Write it with "
                         f"numpy.savez.") from None
    except ValueError as exc:
        raise InputError(f"FILE {str(path)!r}: {exc} (object arrays are not accepted; store strings as a "
                         f"numpy str array).") from None
    return validate_arrays(arrays, source=str(path))


def _read_npz(path: Path) -> dict[str, np.ndarray]:
    """The arrays of an ``.npz``; an uncompressed ``acts`` is memory-mapped (read-only) rather than copied.

    ``np.load`` reads a 1 GB member through zipfile (a copy and a CRC pass, about 1.4 s measured); a
    stored member is a plain ``.npy`` inside the archive, so it can be mapped at its offset, and the
    pages are then read once, by the computation that needs them."""
    arrays: dict[str, np.ndarray] = {}
    with np.load(path, allow_pickle=False) as z:
        names = list(z.files)
        mapped = _map_member(path, "acts.npy") if "acts" in names else None
        for k in names:
            arrays[k] = mapped if (k == "acts" and mapped is not None) else z[k]
    return arrays


def _map_member(path: Path, member: str) -> np.ndarray | None:
    """A read-only memmap of an uncompressed ``.npy`` member of a zip, or None if it cannot be mapped."""
    import struct

    try:
        with zipfile.ZipFile(path) as zf:
            info = zf.getinfo(member)
            if info.compress_type != zipfile.ZIP_STORED:
                return None
        with open(path, "rb") as fh:
            fh.seek(info.header_offset)
            local = fh.read(30)
            if local[:4] != b"PK\x03\x04":
                return None
            name_len, extra_len = struct.unpack("<HH", local[26:30])
            start = info.header_offset + 30 + name_len + extra_len
            fh.seek(start)
            version = np.lib.format.read_magic(fh)
            if version == (1, 0):
                shape, fortran, dtype = np.lib.format.read_array_header_1_0(fh)
            elif version == (2, 0):
                shape, fortran, dtype = np.lib.format.read_array_header_2_0(fh)
            else:
                return None
            offset = fh.tell()
        if dtype.hasobject or offset + dtype.itemsize * int(np.prod(shape)) > start + info.file_size:
            return None
        return np.memmap(path, dtype=dtype, mode="r", offset=offset, shape=shape, order="F" if fortran else "C")
    except (KeyError, ValueError, OSError, struct.error):
        return None


def _split_keys(arrays: Mapping[str, Any], source: str) -> tuple[dict[str, Any], dict[str, Any], list[str], list[str]]:
    """Labels and precomputed directions by report key, and the capability and further safety names in file order."""
    labels: dict[str, Any] = {}
    given: dict[str, Any] = {}
    caps: list[str] = []
    extra: list[str] = []
    for k, v in arrays.items():
        if k in ("acts", *_OPTIONAL):
            continue
        if k.startswith(DIRECTION_PREFIX):
            key, store = k[len(DIRECTION_PREFIX):], given
            if key and key != "safety" and not key.startswith(SAFETY_PREFIX):
                key = CAPABILITY_PREFIX + key
        elif k == "safety" or k.startswith((CAPABILITY_PREFIX, SAFETY_PREFIX)):
            key, store = k, labels
        else:
            raise InputError(f"{source}: unknown key {k!r}; accepted: acts, safety, capability_NAME, safety_NAME, "
                             f"direction_safety, direction_NAME, direction_safety_NAME, layer_names, token_position. "
                             f"Rename or remove it.")
        if key in ("", CAPABILITY_PREFIX, SAFETY_PREFIX):
            raise InputError(f"{source}: the key {k!r} is a bare prefix; add the name after it.")
        other = labels if store is given else given
        if key in other:
            raise InputError(f"{source}: {key!r} is given both as labels and as a precomputed direction "
                             f"({DIRECTION_PREFIX}{key.removeprefix(CAPABILITY_PREFIX)!s}); keep one of them.")
        store[key] = v
        if key.startswith(CAPABILITY_PREFIX) and key[len(CAPABILITY_PREFIX):] not in caps:
            caps.append(key[len(CAPABILITY_PREFIX):])
        elif key.startswith(SAFETY_PREFIX) and key[len(SAFETY_PREFIX):] not in extra:
            extra.append(key[len(SAFETY_PREFIX):])
    return labels, given, caps, extra


def _precomputed(key: str, value: Any, layers: int | None, d: int | None) -> np.ndarray:
    """A precomputed direction (layers, d), finite and nonzero in every layer, normalised to unit length (float64)."""
    name = DIRECTION_PREFIX + key.removeprefix(CAPABILITY_PREFIX)
    arr = np.asarray(value)
    if arr.dtype.kind not in "fiu":
        raise InputError(f"{name} has dtype {arr.dtype}; a precomputed direction must be a float array (layers, d).")
    want = f"({'layers' if layers is None else layers}, {'d' if d is None else d})"
    if arr.ndim != 2 or (layers is not None and arr.shape[0] != layers) or (d is not None and arr.shape[1] != d) \
            or 0 in arr.shape:
        raise InputError(f"{name} has shape {arr.shape}; a precomputed direction must be {want}, one vector per layer "
                         f"of acts.")
    arr = arr.astype(np.float64)
    if not np.isfinite(arr).all():
        raise InputError(f"{name} must be finite (no NaN or inf).")
    norms = np.linalg.norm(arr, axis=1)
    if not (norms > 0).all():
        raise InputError(f"{name} is zero at layer {int(np.argmin(norms))}; a direction needs a nonzero vector.")
    return arr / norms[:, None]


def validate_arrays(arrays: Mapping[str, Any], source: str = "<arrays>") -> MeasureInput:
    """Check the keys, shapes, dtypes and labels of the ``measure`` input; the first problem is an error naming
    its key."""
    labels, given, caps, extra = _split_keys(arrays, source)
    if "safety" not in labels and "safety" not in given:
        raise InputError(f"{source}: the key 'safety' is missing; the .npz needs 'acts' (layers, n, d), 'safety' "
                         f"(n,) and one 'capability_NAME' (n,) per capability (or direction_safety and "
                         f"direction_NAME (layers, d) precomputed).")
    if labels and "acts" not in arrays:
        raise InputError(f"{source}: the key 'acts' is missing; label arrays ({', '.join(labels)}) need the "
                         f"activations 'acts' (layers, n, d) they label.")
    if not caps:
        raise InputError(f"{source}: no 'capability_NAME' key; give one label array per capability, e.g. "
                         f"capability_math (n,) (or a precomputed direction_math (layers, d)).")
    acts = None
    L = d = None
    if "acts" in arrays:
        acts = P.check_activations(arrays["acts"], check_finite=not labels)   # labels: scanned by the probe's pass
        L, n, d = acts.shape
    else:
        n = 0
    checked = {k: P.check_labels(k, v, n) for k, v in labels.items()}
    pre: dict[str, np.ndarray] = {}
    for k, v in given.items():
        pre[k] = _precomputed(k, v, L, d)
        L, d = pre[k].shape
    m = len(caps)
    if m >= d:
        raise InputError(f"{source}: {m} capabilities in d={d} dimensions: at most d - 1 capability directions can be "
                         f"independent of each other and leave room for safety. Use fewer capabilities.")
    names = None
    if "layer_names" in arrays:
        ln = np.asarray(arrays["layer_names"])
        if ln.dtype.kind not in "US" or ln.shape != (L,):
            raise InputError(f"layer_names has shape {ln.shape} and dtype {ln.dtype}; it must be a str array of "
                             f"shape ({L},), one name per layer of acts.")
        names = tuple(str(x) for x in ln)
    tok = None
    if "token_position" in arrays:
        t = np.asarray(arrays["token_position"])
        if t.dtype.kind not in "iu" or t.shape not in ((), (1,), (L,)):
            raise InputError(f"token_position has shape {t.shape} and dtype {t.dtype}; it must be one integer or an "
                             f"integer array of shape ({L},).")
        tok = tuple(int(x) for x in np.broadcast_to(t.reshape(-1), (L,)))
    return MeasureInput(acts, checked, pre, tuple(caps), tuple(extra), names, tok, source)
