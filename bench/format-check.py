# Independent reader of a TimeTravel store, written from docs/format.md alone, to check the document against real
# bytes: verifies every arena and index CRC, decodes LZ4, recomputes every SHA-256, probes the Bloom filters, walks
# the directories. Usage: python3 bench/format-check.py STORE_DIR (small stores: it holds every block in memory).
import sys, os, struct, zlib, hashlib, ctypes
root = sys.argv[1]
libzstd = ctypes.CDLL("libzstd.so.1")
libzstd.ZSTD_decompress.restype = ctypes.c_size_t
libzstd.ZSTD_decompress.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_size_t]
def zstd_frame(src, rawlen):
    out = ctypes.create_string_buffer(rawlen)
    n = libzstd.ZSTD_decompress(out, rawlen, src, len(src))
    assert n == rawlen, (n, rawlen)
    return out.raw
def lz4_block(src, rawlen):
    out = bytearray(); i = 0
    while i < len(src):
        tok = src[i]; i += 1
        lit = tok >> 4
        if lit == 15:
            while True:
                b = src[i]; i += 1; lit += b
                if b != 255: break
        out += src[i:i+lit]; i += lit
        if i >= len(src): break
        off = src[i] | (src[i+1] << 8); i += 2
        ml = tok & 15
        if ml == 15:
            while True:
                b = src[i]; i += 1; ml += b
                if b != 255: break
        ml += 4
        for _ in range(ml): out.append(out[-off])
    assert len(out) == rawlen, (len(out), rawlen)
    return bytes(out)
blocks = {}; types = {}
for name in sorted(os.listdir(f"{root}/arenas")):
    d = open(f"{root}/arenas/{name}", "rb").read()
    assert d[:8] == b"TTARENA\0"
    ver, num, created, maxsize = struct.unpack_from("<IIqQ", d, 8)
    assert d[32:60] == bytes(28)
    assert struct.unpack_from("<I", d, 60)[0] == zlib.crc32(d[:60])
    print(f"{name}: version {ver} number {num} created {created} max {maxsize} size {len(d)}")
    off = 64
    while off < len(d):
        magic, rv, codec, typ, res, raw, stored = struct.unpack_from("<IBBBBII", d, off)
        assert magic == 0x4B425454 and rv == 1 and res == 0, off
        score = d[off+16:off+48]
        crc = struct.unpack_from("<I", d, off+48)[0]
        payload = d[off+52:off+52+stored]
        assert crc == zlib.crc32(d[off:off+48] + payload)
        content = payload if codec == 0 else lz4_block(payload, raw) if codec == 1 else zstd_frame(payload, raw)
        assert hashlib.sha256(content).digest() == score
        blocks[score] = content; types[score] = typ
        print(f"  @{off}: codec {codec} type {typ} raw {raw} stored {stored} score {score.hex()[:12]}")
        off += 52 + stored
idx = {}
for name in sorted(os.listdir(f"{root}/index")):
    if not name.endswith(".tti"): continue
    d = open(f"{root}/index/{name}", "rb").read()
    assert d[:8] == b"TTINDEX\0"
    ver, = struct.unpack_from("<I", d, 8); count, bloomb = struct.unpack_from("<QQ", d, 16)
    hashes, bodycrc = struct.unpack_from("<II", d, 32)
    assert struct.unpack_from("<I", d, 60)[0] == zlib.crc32(d[:60]) and bodycrc == zlib.crc32(d[64:])
    pages = (count + 84) // 85
    assert len(d) == 64 + 48 * count + 8 * pages + bloomb
    fence = [struct.unpack_from("<Q", d, 64 + 48 * count + 8 * p)[0] for p in range(pages)]
    bloom = d[64 + 48 * count + 8 * pages:]
    mask = bloomb * 8 - 1
    for i in range(count):
        e = d[64 + 48 * i: 112 + 48 * i]
        s = e[:32]; arena, off, st, raw = struct.unpack_from("<IIII", e, 32)
        idx[s] = (arena, off, st, raw)
        if i % 85 == 0: assert fence[i // 85] == int.from_bytes(s[:8], "big")
        w1 = int.from_bytes(s[8:16], "big"); w2 = int.from_bytes(s[16:24], "big")
        for k in range(hashes):
            b = (w1 + k * (w2 | 1)) & mask
            assert bloom[b >> 3] & (1 << (b & 7)), "bloom"
        assert s in blocks and raw == len(blocks[s])
    print(f"{name}: version {ver} count {count} bloom {bloomb} bytes {hashes} probes, fence {[hex(f) for f in fence]}")
def varint(b, p):
    v = 0; sh = 0
    while True:
        x = b[p]; p += 1; v |= (x & 0x7f) << sh; sh += 7
        if x < 0x80: return v, p
def zz(u): return (u >> 1) ^ -(u & 1)
def stream(root_score, depth, length):
    if length == 0: return b""
    if depth == 0: return blocks[root_score]
    pb = blocks[root_score]; assert pb[0] == 1 and (len(pb) - 1) % 41 == 0
    out = b""
    for i in range((len(pb) - 1) // 41):
        kind = pb[1 + 41 * i]; ln, = struct.unpack_from("<q", pb, 2 + 41 * i); sc = pb[10 + 41 * i: 42 + 41 * i]
        if kind == 1: assert sc == bytes(32); out += bytes(ln); print(f"    pointer entry hole {ln}")
        else: c = stream(sc, depth - 1, ln); assert len(c) == ln; out += c; print(f"    pointer entry child {ln} {sc.hex()[:12]}")
    return out
def dir_(b, indent):
    assert b[0] == 1; p = 1
    while p < len(b):
        n, p = varint(b, p); name = b[p:p+n]; p += n; kind = b[p]; p += 1
        mode, p = varint(b, p); uid, p = varint(b, p); gid, p = varint(b, p); size, p = varint(b, p); blks, p = varint(b, p)
        mt, p = varint(b, p); ct, p = varint(b, p); flags, p = varint(b, p)
        extra = ""
        if flags & 4: lid, p = varint(b, p); nl, p = varint(b, p); extra += f" link {lid:x}/{nl}"
        if flags & 32: rd, p = varint(b, p); extra += f" rdev {rd}"
        content = None
        if flags & 16:
            depth = b[p]; p += 1; ln, p = varint(b, p); sc = b[p:p+32]; p += 32; content = (sc, depth, ln); extra += f" content {sc.hex()[:12]}/{depth}/{ln}"
        if flags & 64: n2, p = varint(b, p); extra += f" -> {b[p:p+n2]}"; p += n2
        if flags & 8:
            c, p = varint(b, p)
            for _ in range(c):
                k, p = varint(b, p); key = b[p:p+k]; p += k; v, p = varint(b, p); val = b[p:p+v]; p += v; extra += f" xattr {key}={val}"
        print(f"{indent}{name} kind {kind} mode {mode:o} uid {uid} gid {gid} size {size} blocks {blks} mtime {zz(mt)} ctime {zz(ct)} flags {flags}{extra}")
        if content:
            data = stream(*content); assert len(data) == content[2]
            if kind == 2: dir_(data, indent + "  ")
            elif size < 100: print(f"{indent}  = {data!r}")
roots = [s for s, t in types.items() if t == 2]
# the root directory: the directory block no other directory names
named = set()
for s in roots:
    b = blocks[s]
    for s2 in roots:
        if s2 != s and s2 in b: named.add(s2)
for s in roots:
    if s not in named: print("root directory block", s.hex()[:12]); dir_(blocks[s], "  ")
