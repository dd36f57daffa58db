"""A real headless browser for the audit page: Debian's chromium, a screenshot, the DOM.

The screenshot's pixels are read by the small PNG decoder below (zlib and the five PNG row
filters), so that checking colours needs no imaging library.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from html.parser import HTMLParser

# Debian names it chromium; other systems' names, in case the tests run there.
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# A hung browser must not hang the test run (a limit on the process, not a timed assertion).
BROWSER_PROCESS_LIMIT = 120


def find_chromium():
    for name in BROWSER_NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


def _run_headless(chromium, profile_dir, *args):
    # No network, no first-run work, no GPU: the page is a local file with no external assets.
    command = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--user-data-dir=%s" % profile_dir] + list(args)
    done = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, timeout=BROWSER_PROCESS_LIMIT, check=False)
    if done.returncode != 0:
        raise RuntimeError("%s failed (exit %s):\n%s" % (" ".join(command), done.returncode, done.stderr))
    return done.stdout


def screenshot(chromium, page, png, profile_dir, width=1200, height=900):
    _run_headless(chromium, profile_dir, "--screenshot=%s" % png, "--window-size=%d,%d" % (width, height),
                  "--hide-scrollbars", "file://%s" % page)
    return png


def dump_dom(chromium, page, profile_dir):
    return _run_headless(chromium, profile_dir, "--dump-dom", "file://%s" % page)


# -- PNG ------------------------------------------------------------------------------------
def _paeth(left, up, up_left):
    estimate = left + up - up_left
    distance_left, distance_up, distance_up_left = abs(estimate - left), abs(estimate - up), abs(estimate - up_left)
    if distance_left <= distance_up and distance_left <= distance_up_left:
        return left
    return up if distance_up <= distance_up_left else up_left


def _unfilter(kind, line, previous, bpp):
    if kind == 0:
        return line
    if kind == 2:
        return bytearray((a + b) & 0xFF for a, b in zip(line, previous))
    out = bytearray(line)
    for i in range(len(out)):
        left = out[i - bpp] if i >= bpp else 0
        if kind == 1:
            out[i] = (out[i] + left) & 0xFF
        elif kind == 3:
            out[i] = (out[i] + ((left + previous[i]) >> 1)) & 0xFF
        elif kind == 4:
            up_left = previous[i - bpp] if i >= bpp else 0
            out[i] = (out[i] + _paeth(left, previous[i], up_left)) & 0xFF
        else:
            raise ValueError("unknown PNG row filter %d" % kind)
    return out


def decode_png(path):
    """``(width, height, pixels)`` of an 8-bit RGB or RGBA PNG: ``pixels`` is rows of RGB tuples."""
    with open(path, "rb") as handle:
        data = handle.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("%s is not a PNG file" % path)
    offset, compressed, header = 8, b"", None
    while offset < len(data):
        length, kind = struct.unpack(">I4s", data[offset:offset + 8])
        chunk = data[offset + 8:offset + 8 + length]
        offset += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            compressed += chunk
        elif kind == b"IEND":
            break
    width, height, depth, colour_type, interlace = header[0], header[1], header[2], header[3], header[6]
    if depth != 8 or colour_type not in (2, 6) or interlace:
        raise ValueError("only 8-bit non-interlaced RGB/RGBA PNGs are decoded here, not %r" % (header,))
    bpp = 3 if colour_type == 2 else 4
    raw = zlib.decompress(compressed)
    stride = width * bpp
    previous = bytearray(stride)
    rows = []
    for y in range(height):
        start = y * (stride + 1)
        line = _unfilter(raw[start], bytearray(raw[start + 1:start + 1 + stride]), previous, bpp)
        rows.append([tuple(line[x:x + 3]) for x in range(0, stride, bpp)])
        previous = line
    return width, height, rows


def colour_counts(rows, colours):
    """How many pixels have exactly each of ``colours`` (RGB tuples)."""
    wanted = set(colours)
    counts = dict.fromkeys(colours, 0)
    for row in rows:
        for pixel in row:
            if pixel in wanted:
                counts[pixel] += 1
    return counts


def hex_colour(text):
    text = text.lstrip("#")
    return tuple(int(text[i:i + 2], 16) for i in (0, 2, 4))


# -- DOM ------------------------------------------------------------------------------------
class MatrixRows(HTMLParser):
    """The rows of the matrix table: ``[{"host", "account_id", "classes", "tasks": {key: classes}}]``."""

    def __init__(self):
        super().__init__()
        self.rows = []
        self._in_matrix = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        if tag == "table" and attributes.get("id") == "matrix":
            self._in_matrix = True
        elif self._in_matrix and tag == "tr" and "account" in classes:
            self.rows.append(dict(host=attributes.get("data-host"), account_id=attributes.get("data-account-id"),
                                  classes=classes, tasks={}))
        elif self._in_matrix and tag == "td" and "task" in classes and self.rows:
            self.rows[-1]["tasks"][attributes.get("data-task")] = classes

    def handle_endtag(self, tag):
        if tag == "table":
            self._in_matrix = False


def matrix_rows(dom):
    parser = MatrixRows()
    parser.feed(dom)
    return parser.rows
