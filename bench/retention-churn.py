#!/usr/bin/env python3
"""One "day" of changes for bench/retention-bench.sh, reproducible: the same tree, day and seed give the same bytes.

    retention-churn.py TREE DAY SEED [FRACTION]

Replaces FRACTION (default 0.03) of the regular files with new content, written to a new file and renamed over the
old one (as editors, package managers and log rotation do): a file under 64 KiB gets all-new random bytes of the same
size, a bigger one keeps its bytes but for one to four rewritten regions of 4-16 KiB and up to 8 KiB appended (a
new version of a binary or a document). Then adds 20 new files of 1-64 KiB and removes 20 files. Prints one line:
counts, new bytes and a digest of everything written, so that a replay of the same days can be checked to be the
same history.
"""
import hashlib
import os
import random
import sys

SMALL = 64 * 1024


def regular_files(tree):
    files = []
    for top, dirs, names in os.walk(tree):
        dirs.sort()
        for n in sorted(names):
            p = os.path.join(top, n)
            if os.path.isfile(p) and not os.path.islink(p):
                files.append(p)
    return files


def replace(path, data, digest):
    st = os.stat(path)
    tmp = path + ".churn-tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.chmod(tmp, st.st_mode & 0o7777)
    os.chown(tmp, st.st_uid, st.st_gid)
    os.rename(tmp, path)
    digest.update(path.encode() + b"\0" + data)


def main():
    tree, day, seed = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    fraction = float(sys.argv[4]) if len(sys.argv) > 4 else 0.03
    rng = random.Random(f"{seed}/{day}")
    digest = hashlib.sha256()
    files = regular_files(tree)
    chosen = rng.sample(files, round(len(files) * fraction))
    new_bytes = 0
    for path in chosen:
        size = os.path.getsize(path)
        if size < SMALL:
            data = rng.randbytes(max(size, 1))
            new_bytes += len(data)
        else:
            with open(path, "rb") as f:
                data = bytearray(f.read())
            for _ in range(rng.randint(1, 4)):
                n = rng.randint(4096, 16384)
                at = rng.randrange(0, max(1, len(data) - n))
                data[at:at + n] = rng.randbytes(n)
                new_bytes += n
            tail = rng.randbytes(rng.randint(0, 8192))
            data += tail
            new_bytes += len(tail)
        replace(path, bytes(data), digest)

    dirs = sorted({os.path.dirname(p) for p in files})
    for i in range(20):
        path = os.path.join(rng.choice(dirs), f"churn-day{day:02d}-{i:02d}.dat")
        data = rng.randbytes(rng.randint(1024, SMALL))
        with open(path, "wb") as f:
            f.write(data)
        digest.update(path.encode() + b"\0" + data)
        new_bytes += len(data)
    untouched = sorted(set(files) - set(chosen))
    removed = rng.sample(untouched, 20)
    for path in removed:
        os.unlink(path)
        digest.update(b"-" + path.encode())

    print(f"day {day}: {len(files)} files, replaced {len(chosen)}, added 20, removed {len(removed)}, "
          f"new bytes {new_bytes}, digest {digest.hexdigest()[:16]}")


if __name__ == "__main__":
    main()
