#!/usr/bin/env python3
"""Write COUNT distinct PNG images of about SIZE bytes into DIR.

Usage: randompix_images.py DIR COUNT SIZE [SEED]

Pixels are random (incompressible), so the file size follows the pixel
count; images are real PNGs (signature, IHDR, IDAT, IEND with CRCs)."""
import os
import random
import struct
import sys
import zlib


def chunk(kind, data):
    c = struct.pack(">I", len(data)) + kind + data
    return c + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png(width, height, rng):
    rows = b"".join(b"\x00" + rng.randbytes(width * 3) for _ in range(height))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
            + chunk(b"IDAT", zlib.compress(rows, 1)) + chunk(b"IEND", b""))


def main():
    out, count, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 1)
    os.makedirs(out, exist_ok=True)
    width = 64 if size >= 64 * 3 * 4 else 8
    for i in range(count):
        # vary the height a little so that files differ in size too
        height = max(1, (size - 100) // (width * 3 + 1) + rng.randrange(0, 3))
        with open(os.path.join(out, "img%05d.png" % i), "wb") as f:
            f.write(png(width, height, rng))


if __name__ == "__main__":
    main()
