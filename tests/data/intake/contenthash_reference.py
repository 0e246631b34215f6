#!/usr/bin/env python3
"""Independent reference for the revision content hash (DESIGN §3.1).

Computes, with nothing but hashlib, json and struct, the content hash of the
fixed revision that tests/tst_contenthash.cpp builds, and prints it as hex.
The test keeps the printed value as a constant: re-run this script only if
§3.1 itself changes.

The meta record is json.dumps(..., sort_keys=True, separators=(",", ":"),
ensure_ascii=False). For these keys ("environment", "kind", "target": ASCII,
so sorting by code point equals RFC 8785's sort by UTF-16 code units), for
strings without control characters, quotes or backslashes, and with no
numbers, that is byte for byte the RFC 8785 canonical form.
"""
import hashlib
import json
import struct

meta = {"environment": "production", "target": "account:prod-billing", "kind": "infra"}

# (kind, name, parts), deliberately NOT in sorted order; the file-pair has two
# parts, and one name is non-ASCII to exercise UTF-8 byte ordering.
artifacts = [
    ("unified-diff", "fix.patch", [b"--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n"]),
    ("command", "steps.sh", [b"kubectl rollout restart deploy/api\n"]),
    ("file-pair", "etc/app.conf", [b"port = 80\n", b"port = 8080\n"]),
    ("terraform-planfile", "tfplan", [bytes(range(256))]),
    ("command", "\u00e9tape.sh", [b"echo ok\n"]),
    ("command", "apply.sh", [b""]),
]


def u32(n):
    return struct.pack(">I", n)


def u64(n):
    return struct.pack(">Q", n)


def main():
    record = json.dumps(meta, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    h = hashlib.sha256()
    h.update(b"HPB1\0")
    h.update(u32(len(record)) + record)
    for kind, name, parts in sorted(artifacts, key=lambda a: (a[0].encode("utf-8"), a[1].encode("utf-8"))):
        k = kind.encode("utf-8")
        n = name.encode("utf-8")
        h.update(u32(len(k)) + k + u32(len(n)) + n + u32(len(parts)))
        for p in parts:
            h.update(u64(len(p)) + p)
    print(record.decode("utf-8"))
    print(h.hexdigest())
    for kind, name, parts in artifacts:
        print(kind, name, hashlib.sha256(parts[-1]).hexdigest())


if __name__ == "__main__":
    main()
