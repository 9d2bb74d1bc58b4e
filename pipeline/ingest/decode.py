"""Bytes to text: detect binary content and the encoding of a captured page.

Web captures arrive as UTF-8, UTF-8 with a BOM, UTF-16 (with or without BOM) or a
legacy single-byte encoding. UTF-8 is tried strictly first; only when it fails do we
fall back to cp1252/Latin-1, and the caller reports that fallback, because a wrong
guess there silently changes characters.
"""

from __future__ import annotations

import codecs

# Control characters that never occur in text files (everything below 0x20 except \t \n \r \f).
_CONTROL = set(range(0x00, 0x09)) | {0x0B, 0x0E, 0x0F} | set(range(0x10, 0x20)) - {0x1B}
_CONTROL_BYTES = bytes(sorted(_CONTROL))  # for bytes.translate: counting in C, not per byte


class BinaryContentError(ValueError):
    """The bytes are not text (NUL bytes or many control characters)."""


def _utf16_without_bom(head: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when every other byte of an ASCII-ish text is NUL."""
    if len(head) < 4 or len(head) % 2:
        head = head[: len(head) - (len(head) % 2)]
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def sniff_encoding(head: bytes) -> str:
    """Encoding to try first for a file starting with ``head``; raise if the bytes are binary.

    Returns one of utf-8-sig, utf-16, utf-16-le, utf-16-be or utf-8 (the fallback to
    cp1252/Latin-1 happens in :func:`decode_bytes`).
    """
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    no_bom = _utf16_without_bom(head[:4096])
    if no_bom:
        return no_bom
    if b"\x00" in head:
        raise BinaryContentError("contains NUL bytes: binary, not text")
    sample = head[:8192]
    if sample:
        n_control = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
        if n_control / len(sample) > 0.05:
            raise BinaryContentError(
                f"{n_control} control bytes in the first {len(sample)}: binary, not text"
            )
    return "utf-8"


def decode_bytes(data: bytes, first_choice: str) -> tuple[str, str]:
    """Decode ``data``; returns (text, encoding actually used).

    UTF-16 variants and UTF-8 are strict. When UTF-8 fails, cp1252 is tried (it covers
    the curly quotes Windows pages use), then Latin-1, which decodes any byte string.
    """
    if first_choice.startswith("utf-16"):
        return data.decode(first_choice), first_choice
    try:
        return data.decode(first_choice), first_choice
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"
