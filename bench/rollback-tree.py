#!/usr/bin/env python3
# The rollback benchmark's tree (bench/rollback-bench.sh): makes a tree of N small files, applies a simulated
# package upgrade to it, and writes a manifest of a tree's content and metadata to compare two states.
#
#   rollback-tree.py make ROOT FILES [SEED]      ROOT/dNNNNN/fNNN, 100 files a directory, 0-4 KiB of random bytes each
#   rollback-tree.py upgrade ROOT FILES [SEED]   the same changes every time from the same starting tree (see below)
#   rollback-tree.py manifest ROOT OUT           one line per path: type, mode, uid, gid, size, mtime, sha256 or
#                                                symlink target, xattrs, and the first name of its hard-link group
#
# The upgrade is what a dpkg run does to a system, about 2,000 changed paths whatever the tree's size: files replaced
# by a new file renamed over them, new files, removed files, changed modes and owners, one renamed directory, new
# hard links; it prints how many paths of each kind it changed.
import hashlib, os, random, sys

PER_DIR = 100


def name(i):
    return f"d{i // PER_DIR:05d}/f{i % PER_DIR:03d}"


def make(root, files, seed):
    rnd = random.Random(seed)
    os.makedirs(root, exist_ok=True)
    for d in range((files + PER_DIR - 1) // PER_DIR):
        os.mkdir(f"{root}/d{d:05d}")
    for i in range(files):
        with open(f"{root}/{name(i)}", "wb") as f:
            f.write(rnd.randbytes(rnd.randrange(4096)))


def upgrade(root, files, seed):
    rnd = random.Random(seed + 1000)
    dirs = (files + PER_DIR - 1) // PER_DIR
    picked = rnd.sample(range(files), 1500)
    renamed_dir = rnd.randrange(dirs)
    picked = [i for i in picked if i // PER_DIR != renamed_dir]
    links = int(os.environ.get("UPGRADE_LINKS", "50"))  # 0: an upgrade that makes no hard link (see rollback-bench.sh)
    replaced, removed, chmod, chown, linked = picked[:800], picked[800:1100], picked[1100:1300], picked[1300:1400], picked[1400:1400 + links]
    count = {}
    for i in replaced:  # a new file written beside and renamed over the old one, as dpkg does
        p = f"{root}/{name(i)}"
        with open(p + ".dpkg-new", "wb") as f:
            f.write(rnd.randbytes(rnd.randrange(4096)))
        os.rename(p + ".dpkg-new", p)
    count["replaced"] = len(replaced)
    for k in range(400):
        with open(f"{root}/d{rnd.randrange(dirs):05d}/new{k:04d}", "wb") as f:
            f.write(rnd.randbytes(rnd.randrange(4096)))
    count["created"] = 400
    for i in removed:
        os.unlink(f"{root}/{name(i)}")
    count["removed"] = len(removed)
    for i in chmod:
        os.chmod(f"{root}/{name(i)}", 0o755)
    count["mode"] = len(chmod)
    for i in chown:
        os.chown(f"{root}/{name(i)}", 1000 + i % 7, 1000 + i % 5)
    count["owner"] = len(chown)
    for k, i in enumerate(linked):
        os.link(f"{root}/{name(i)}", f"{root}/d{rnd.randrange(dirs):05d}/link{k:04d}")
    count["hard links"] = len(linked)
    os.rename(f"{root}/d{renamed_dir:05d}", f"{root}/d{renamed_dir:05d}.renamed")
    count["renamed directory"] = 1
    print(" ".join(f"{k}={v}" for k, v in count.items()))


def manifest(root, out):
    first_name = {}
    lines = []
    for top, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for n in sorted(dirnames + filenames):
            p = os.path.join(top, n)
            st = os.lstat(p)
            rel = os.path.relpath(p, root)
            kind = "d" if os.path.isdir(p) and not os.path.islink(p) else "l" if os.path.islink(p) else "f"
            what = ""
            if kind == "f":
                h = hashlib.sha256()
                with open(p, "rb") as f:
                    h.update(f.read())
                what = h.hexdigest()
            elif kind == "l":
                what = os.readlink(p)
            link = ""
            if kind == "f" and st.st_nlink > 1:
                link = first_name.setdefault((st.st_dev, st.st_ino), rel)
            xattrs = ",".join(sorted(f"{a}={os.getxattr(p, a, follow_symlinks=False).hex()}" for a in os.listxattr(p, follow_symlinks=False)))
            size = st.st_size if kind != "d" else 0
            mtime = st.st_mtime_ns
            lines.append(f"{rel}\t{kind}\t{st.st_mode & 0o7777:o}\t{st.st_uid}\t{st.st_gid}\t{size}\t{mtime}\t{what}\t{link}\t{st.st_nlink if kind == 'f' else ''}\t{xattrs}")
    st = os.lstat(root)
    lines.append(f".\td\t{st.st_mode & 0o7777:o}\t{st.st_uid}\t{st.st_gid}\t0\t{st.st_mtime_ns}\t\t\t\t")
    lines.sort()
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "make":
        make(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]) if len(sys.argv) > 4 else 1)
    elif cmd == "upgrade":
        upgrade(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]) if len(sys.argv) > 4 else 1)
    elif cmd == "manifest":
        manifest(sys.argv[2], sys.argv[3])
    else:
        sys.exit(f"rollback-tree.py: unknown command {cmd} (make, upgrade, manifest)")
