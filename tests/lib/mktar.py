#!/usr/bin/env python3
"""Writes a hand-made, usually hostile, tar archive to stdout.

usage: mktar.py KIND

Each KIND is one thing an unpacker must refuse (or, for 'setuid', defuse).
The archives are small and uncompressed; the tests compress them as needed.
"""
import io
import sys
import tarfile


def add_file(t, name, data=b"x\n", mode=0o644):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = mode
    t.addfile(info, io.BytesIO(data))


def add(t, name, kind, linkname="", mode=0o644):
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = linkname
    info.mode = mode
    t.addfile(info)


def build(kind, t):
    add_file(t, "checkpoint/inventory.img")
    if kind == "absolute":
        add_file(t, "/tmp/ckpt-escape-absolute")
    elif kind == "dotdot":
        add_file(t, "checkpoint/../../ckpt-escape-dotdot")
    elif kind == "symlink-out":
        add(t, "checkpoint/evil", tarfile.SYMTYPE, "../../ckpt-escape-link")
    elif kind == "symlink-absolute":
        add(t, "checkpoint/evil", tarfile.SYMTYPE, "/tmp")
    elif kind == "through-symlink":
        # a link that stays inside, then a file written through it
        add(t, "checkpoint/inner", tarfile.SYMTYPE, "..")
        add_file(t, "checkpoint/inner/ckpt-through")
    elif kind == "hardlink":
        add(t, "checkpoint/hard", tarfile.LNKTYPE, "checkpoint/inventory.img")
    elif kind == "device":
        add(t, "checkpoint/null", tarfile.CHRTYPE)
    elif kind == "fifo":
        add(t, "checkpoint/fifo", tarfile.FIFOTYPE)
    elif kind == "duplicate":
        add_file(t, "checkpoint/inventory.img", b"second\n")
    elif kind == "file-over-dir":
        add_file(t, "checkpoint", b"not a dir\n")
    elif kind == "setuid":
        add_file(t, "checkpoint/suid", b"#!/bin/sh\n", mode=0o6755)
    elif kind == "big":
        add_file(t, "checkpoint/pages-1.img", b"\0" * (4 << 20))
    else:
        sys.exit("unknown kind " + kind)


def main():
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as t:
        build(sys.argv[1], t)
    sys.stdout.buffer.write(buf.getvalue())


main()
