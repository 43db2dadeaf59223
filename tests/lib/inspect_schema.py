#!/usr/bin/env python3
"""Checks ckpt-inspect --json output against the schema of ckpt-inspect(1).

usage: inspect_schema.py [--mem] < OUTPUT

OUTPUT is one JSON object per line (one per checkpoint).  Every key the
man page documents must be there with its type, and no other key: a key
added to the output must be added to the man page (and here) too.
Prints what is wrong and exits 1, or exits 0.
"""
import json
import sys

STR, INT, BOOL, OBJ = str, int, bool, dict
NULL = type(None)


def arr(item):
    return ("array", item)


# key: (types, required).  Types: a tuple of Python types, an arr(), or a dict (a sub-object).
SIZES = {
    "archive": ((INT, NULL), True),
    "checkpoint": ((INT,), True),
    "pages": ((INT,), True),
    "rootfs_diff": ((INT, NULL), True),
}
FILE = {
    "fd": ((INT,), True),
    "type": ((STR,), True),
    "path": ((STR, NULL), True),
    "pos": ((INT,), False),
    "deleted": ((BOOL,), False),
}
SOCKET = {
    "fd": ((INT,), True),
    "kind": ((STR,), True),
    "type": ((STR, NULL), True),
    "state": ((STR, NULL), True),
    "local": ((STR, NULL), True),
    "peer": ((STR, NULL), True),
    "recv_queue": ((INT,), True),
    "send_queue": ((INT,), True),
    "ino": ((INT, NULL), True),
}
PROCESS = {
    "pid": ((INT,), True),
    "ppid": ((INT,), True),
    "pgid": ((INT,), True),
    "sid": ((INT,), True),
    "comm": ((STR, NULL), True),
    "state": ((STR, NULL), True),
    "threads": (arr((INT,)), True),
    "cmdline": ((arr((STR,)), NULL), False),
    "environ": ((arr((STR,)), NULL), False),
    "exe": ((STR, NULL), False),
    "cwd": ((STR, NULL), False),
    "root": ((STR, NULL), False),
    "files": (arr(FILE), False),
    "sockets": (arr(SOCKET), False),
}
MOUNT = {
    "mnt_ns": ((INT,), True),
    "mnt_id": ((INT,), True),
    "parent_mnt_id": ((INT,), True),
    "mountpoint": ((STR,), True),
    "fstype": ((STR,), True),
    "source": ((STR,), True),
    "root": ((STR,), True),
    "options": ((STR,), True),
}
CHECKPOINT = {
    "source": ((STR,), True),
    "format": ((STR,), True),
    "input": ((STR,), True),
    "compression": ((STR, NULL), True),
    "engine": ((STR, NULL), True),
    "name": ((STR, NULL), True),
    "container_id": ((STR, NULL), True),
    "image": ((STR, NULL), True),
    "runtime": ((STR, NULL), True),
    "created": ((STR, NULL), True),
    "checkpointed": ((STR, NULL), True),
    "criu_version": ((STR, NULL), True),
    "arch": ((STR, NULL), True),
    "root_pid": ((INT, NULL), True),
    "sizes": (SIZES, True),
    "processes": (arr(PROCESS), True),
    "mounts": (arr(MOUNT), False),
    "spec_mounts": ((arr((OBJ,)), NULL), False),
    "stats": ((OBJ, NULL), False),
    "annotations": ((OBJ, NULL), False),
}
VMA = {
    "start": ((STR,), True),
    "end": ((STR,), True),
    "prot": ((STR,), True),
    "mapping": ((STR, NULL), True),
    "size": ((INT,), True),
    "dumped": ((INT,), True),
}
MEMVIEW = {
    "source": ((STR,), True),
    "pid": ((INT,), True),
    "comm": ((STR,), True),
    "vmas": (arr(VMA), True),
    "hexdump": (arr({"address": ((STR,), True), "hex": ((STR,), True)}), False),
    "matches": (arr({
        "address": ((STR,), True),
        "mapping": ((STR, NULL), True),
        "match": ((STR,), True),
        "before": ((STR,), True),
        "after": ((STR,), True),
    }), False),
}

ENUMS = {
    "format": {"ckpt/1", "engine", "criu"},
    "input": {"archive", "directory"},
    "compression": {"zstd", "gzip", "xz", "none", None},
    "engine": {"Podman", "CRI-O", "containerd", "unknown", None},
}

errors = []


def check_type(where, v, types):
    if isinstance(types, dict):
        if not isinstance(v, dict):
            errors.append("%s: not an object" % where)
        else:
            check_object(where, v, types)
        return
    if isinstance(types, tuple) and len(types) == 2 and types[0] == "array":
        if not isinstance(v, list):
            errors.append("%s: not an array" % where)
            return
        for i, item in enumerate(v):
            check_type("%s[%d]" % (where, i), item, types[1])
        return
    for t in types:
        if isinstance(t, tuple) and t and t[0] == "array":
            if isinstance(v, list):
                return check_type(where, v, t)
            continue
        if t is INT and isinstance(v, bool):
            continue
        if isinstance(v, t):
            return
    errors.append("%s: %r has the wrong type" % (where, v))


def check_object(where, o, schema):
    for key, (types, required) in schema.items():
        if key not in o:
            if required:
                errors.append("%s: no %s" % (where, key))
            continue
        check_type("%s.%s" % (where, key), o[key], types)
    for key in o:
        if key not in schema:
            errors.append("%s: undocumented key %s" % (where, key))


def main():
    mem = "--mem" in sys.argv[1:]
    n = 0
    for line in sys.stdin:
        n += 1
        o = json.loads(line)
        check_object("line %d" % n, o, MEMVIEW if mem else CHECKPOINT)
        if not mem:
            for key, values in ENUMS.items():
                if o.get(key) not in values:
                    errors.append("line %d: %s is %r" % (n, key, o.get(key)))
        else:
            for v in o.get("vmas", []):
                if not (v["start"].startswith("0x") and v["end"].startswith("0x")):
                    errors.append("line %d: vma addresses not 0x hex" % n)
    if n == 0:
        errors.append("no output")
    for e in errors:
        print(e)
    sys.exit(1 if errors else 0)


main()
