#!/usr/bin/env python3
"""pngcheck - a screenshot is a real picture: usage: pngcheck.py FILE [MIN_WIDTH MIN_HEIGHT]

Decodes the PNG itself (zlib and the five scanline filters; 8-bit
greyscale, RGB, grey+alpha or RGBA, not interlaced, as Chromium writes
them), then asks: is it at least the size asked, is it more than one
colour, and does more than 1% of it differ from the background (its
most common colour)? Prints the figures; exit 0 when it passes, 1 when not.
"""
import struct
import sys
import zlib
from collections import Counter

CHANNELS = {0: 1, 2: 3, 4: 2, 6: 4}


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def unfilter(data, width, height, bpp):
    """The raw pixel rows, filters undone."""
    stride = width * bpp
    rows, prev, pos = [], bytearray(stride), 0
    for _ in range(height):
        ftype, line = data[pos], bytearray(data[pos + 1:pos + 1 + stride])
        pos += 1 + stride
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if ftype == 1:
                line[i] = (line[i] + a) & 255
            elif ftype == 2:
                line[i] = (line[i] + b) & 255
            elif ftype == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif ftype == 4:
                line[i] = (line[i] + paeth(a, b, c)) & 255
            elif ftype != 0:
                raise ValueError("unknown filter %d" % ftype)
        rows.append(bytes(line))
        prev = line
    return rows


def read_png(path):
    """Width, height, bytes per pixel and the rows of the PNG at PATH."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, head = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            head = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, ctype, _, _, interlace = head
    if depth != 8 or ctype not in CHANNELS or interlace:
        raise ValueError("unsupported PNG: depth %d, colour type %d, interlace %d" %
                         (depth, ctype, interlace))
    bpp = CHANNELS[ctype]
    return width, height, bpp, unfilter(zlib.decompress(idat), width, height, bpp)


def main(argv):
    path = argv[0]
    min_w, min_h = (int(argv[1]), int(argv[2])) if len(argv) >= 3 else (1, 1)
    width, height, bpp, rows = read_png(path)
    colours = Counter()
    for row in rows:
        for x in range(0, len(row), bpp):
            colours[row[x:x + bpp]] += 1
    total = width * height
    background = colours.most_common(1)[0][1]
    ink = 100.0 * (total - background) / total
    print("%s: %dx%d, %d colours, %.1f%% not background" % (path, width, height, len(colours), ink))
    ok = width >= min_w and height >= min_h and len(colours) > 1 and ink > 1.0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
