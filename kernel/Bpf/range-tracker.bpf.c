// SPDX-License-Identifier: GPL-2.0
// The range tracker: records, per ext4 file (device, inode, generation) and snapshot epoch, which regions of the file
// changed, aggregated in the kernel as region bitmaps, so that a write costs a map update and no event to user space.
// TimeTravel's kernel/Ranges (C#) loads it through libbpf, pins the maps and drains them at each snapshot; the map
// layout is described in docs/format.md ("Range tracker maps") and must change together with RangeMapLayout.cs.
//
// CO-RE and tp_btf only: fentry and kprobes are refused on the kernels we run on. Nothing here calls
// bpf_probe_read: BTF pointers are read directly. A change is never dropped: a region that cannot be recorded marks
// the file RESCAN (read whole), a file that cannot be recorded counts in tt_state.lost (the interval is not trusted).
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

char LICENSE[] SEC("license") = "GPL";

#define EXT4_SUPER_MAGIC 0xEF53
#define S_IFMT 00170000
#define S_IFREG 0100000
#define FALLOC_FL_KEEP_SIZE 0x01
#define PAGE_SHIFT 12
#define BPF_NOEXIST 1

#define FILE_RESCAN 1              /* tt_file_value.flags: read the whole file */
#define GRANULE_SHIFT0 12          /* level 0 granule: 4 KiB; each level is 16 times coarser */
#define LEVEL_SHIFT_STEP 4
#define MAX_LEVEL 3                /* 4 KiB, 64 KiB, 1 MiB, 16 MiB granules */
#define BITS_PER_REGION 512        /* 8 u64 words: a level 0 region covers 2 MiB */
#define REGION_WORDS 8
#define MAX_SPAN 4                 /* a range touching more region entries than this is marked one level coarser */
#define REGION_CAP 1024            /* new region entries a file may create per level before it is coarsened */
#define MIN_SIZE_TRIES 8

struct tt_state {
	__u64 epoch;                   /* the open epoch: every program stamps its entries with it */
	__u64 session;                 /* random, set by the tracker when it attaches, 0 after a clean detach */
	__u64 lost;                    /* file entries that could not be inserted (tt_files full) */
	__u64 layout;                  /* RANGE_MAP_LAYOUT, written by the tracker: what a reader expects */
};

struct tt_file_key {
	__u64 dev;                     /* the kernel's s_dev: major << 20 | minor */
	__u64 ino;
	__u32 gen;                     /* i_generation: inode numbers are reused */
	__u32 epoch;
};

struct tt_file_value {
	__u64 min_size;                /* smallest i_size seen by a shrink; U64_MAX: never shrank */
	__u32 flags;                   /* FILE_RESCAN */
	__u32 level;                   /* the level new ranges are marked at (coarsening only raises it) */
	__u64 regions;                 /* region entries this file created in this epoch */
};

struct tt_region_key {
	__u64 dev;
	__u64 ino;
	__u32 gen;
	__u32 epoch;
	__u64 index;                   /* level << 56 | region number (offset >> (granule shift + 9)) */
};

struct tt_region_value {
	__u64 bits[REGION_WORDS];      /* bit i of word w: granule w * 64 + i of the region changed */
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__uint(map_flags, BPF_F_MMAPABLE);   /* user space flips the epoch with an atomic add, never a whole-value write */
	__type(key, __u32);
	__type(value, struct tt_state);
} tt_state SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 262144);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct tt_file_key);
	__type(value, struct tt_file_value);
} tt_files SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1048576);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct tt_region_key);
	__type(value, struct tt_region_value);
} tt_regions SEC(".maps");

static const struct tt_file_value new_file = { .min_size = ~0ULL };
static const struct tt_region_value new_region = {};

static __always_inline bool tracked(struct inode *inode)
{
	if (!inode)
		return false;
	if ((inode->i_mode & S_IFMT) != S_IFREG)
		return false;
	return inode->i_sb->s_magic == EXT4_SUPER_MAGIC;
}

static __always_inline void set_rescan(struct tt_file_value *file)
{
	if (!(file->flags & FILE_RESCAN))
		__sync_fetch_and_or(&file->flags, FILE_RESCAN);
}

// The file's entry for the open epoch, created when missing; NULL (and lost counted) when the map is full.
static __always_inline struct tt_file_value *file_entry(struct inode *inode, struct tt_file_key *key)
{
	__u32 zero = 0;
	struct tt_state *state = bpf_map_lookup_elem(&tt_state, &zero);
	if (!state)
		return NULL;
	key->dev = inode->i_sb->s_dev;
	key->ino = inode->i_ino;
	key->gen = inode->i_generation;
	key->epoch = (__u32)state->epoch;

	struct tt_file_value *file = bpf_map_lookup_elem(&tt_files, key);
	if (file)
		return file;
	bpf_map_update_elem(&tt_files, key, &new_file, BPF_NOEXIST);   /* EEXIST: another CPU created it first */
	file = bpf_map_lookup_elem(&tt_files, key);
	if (!file)
		__sync_fetch_and_add(&state->lost, 1);
	return file;
}

static __always_inline struct tt_region_value *region_entry(struct tt_file_key *file_key, struct tt_file_value *file,
							    __u32 level, __u64 number)
{
	struct tt_region_key key = {
		.dev = file_key->dev, .ino = file_key->ino, .gen = file_key->gen, .epoch = file_key->epoch,
		.index = ((__u64)level << 56) | number,
	};
	struct tt_region_value *region = bpf_map_lookup_elem(&tt_regions, &key);
	if (region)
		return region;
	if (bpf_map_update_elem(&tt_regions, &key, &new_region, BPF_NOEXIST) == 0) {
		__u64 created = __sync_fetch_and_add(&file->regions, 1) + 1;
		if (created >= (__u64)REGION_CAP * (level + 1)) {
			if (level < MAX_LEVEL)
				__sync_val_compare_and_swap(&file->level, level, level + 1);
			else
				set_rescan(file);
		}
	}
	return bpf_map_lookup_elem(&tt_regions, &key);
}

// Sets the bits of granules [first, last] (both in the same region) in one region's words.
static __always_inline void set_bits(struct tt_region_value *region, __u32 first, __u32 last)
{
	for (__u32 w = 0; w < REGION_WORDS; w++) {
		__u32 lo = w * 64, hi = lo + 63;
		if (last < lo || first > hi)
			continue;
		__u32 from = first > lo ? first - lo : 0;
		__u32 to = last < hi ? last - lo : 63;
		__u64 mask = (to - from == 63) ? ~0ULL : (((1ULL << (to - from + 1)) - 1) << from);
		if ((region->bits[w] & mask) != mask)
			__sync_fetch_and_or(&region->bits[w], mask);
	}
}

// Records that bytes [start, end) of the file changed, at the file's level or coarser; RESCAN when even the
// coarsest level would need more than MAX_SPAN region entries, or when a region entry cannot be created.
static __always_inline void mark_range(struct tt_file_key *key, struct tt_file_value *file, __u64 start, __u64 end)
{
	if (end <= start)
		return;
	__u32 level = file->level;
	__u64 first = 0, last = 0;
	bool fits = false;
	for (int i = 0; i <= MAX_LEVEL; i++) {
		if (level > MAX_LEVEL)
			break;
		__u32 shift = GRANULE_SHIFT0 + LEVEL_SHIFT_STEP * level;
		first = start >> shift;
		last = (end - 1) >> shift;
		if ((last / BITS_PER_REGION) - (first / BITS_PER_REGION) < MAX_SPAN) {
			fits = true;
			break;
		}
		level++;
	}
	if (!fits) {
		set_rescan(file);
		return;
	}
	for (int i = 0; i < MAX_SPAN; i++) {
		__u64 number = first / BITS_PER_REGION + i;
		if (number > last / BITS_PER_REGION)
			break;
		struct tt_region_value *region = region_entry(key, file, level, number);
		if (!region) {
			set_rescan(file);
			return;
		}
		__u32 lo = number == first / BITS_PER_REGION ? first % BITS_PER_REGION : 0;
		__u32 hi = number == last / BITS_PER_REGION ? last % BITS_PER_REGION : BITS_PER_REGION - 1;
		set_bits(region, lo, hi);
	}
}

static __always_inline void changed(struct inode *inode, __u64 start, __u64 end)
{
	struct tt_file_key key;
	if (!tracked(inode))
		return;
	struct tt_file_value *file = file_entry(inode, &key);
	if (file)
		mark_range(&key, file, start, end);
}

static __always_inline void shrank(struct inode *inode, __u64 size)
{
	struct tt_file_key key;
	if (!tracked(inode))
		return;
	struct tt_file_value *file = file_entry(inode, &key);
	if (!file)
		return;
	for (int i = 0; i < MIN_SIZE_TRIES; i++) {
		__u64 seen = file->min_size;
		if (size >= seen)
			return;
		if (__sync_val_compare_and_swap(&file->min_size, seen, size) == seen)
			return;
	}
	set_rescan(file);   /* lost the race every time: do not guess */
}

// Buffered writes (write, pwrite, writev, io_uring, splice, copy_file_range): one call per folio-sized chunk,
// before the data is copied; byte-exact.
SEC("tp_btf/ext4_da_write_begin")
int BPF_PROG(ext4_da_write_begin, struct inode *inode, loff_t pos, unsigned int len)
{
	changed(inode, pos, pos + len);
	return 0;
}

// The same without delayed allocation (nodelalloc, data=journal).
SEC("tp_btf/ext4_write_begin")
int BPF_PROG(ext4_write_begin, struct inode *inode, loff_t pos, unsigned int len)
{
	changed(inode, pos, pos + len);
	return 0;
}

// Stores through mmap (and every buffered write again): a folio going from clean to dirty. Large folios make this
// coarser than the write itself (up to the folio size).
SEC("tp_btf/writeback_dirty_folio")
int BPF_PROG(writeback_dirty_folio, struct folio *folio, struct address_space *mapping)
{
	if (!mapping)
		return 0;
	struct inode *inode = mapping->host;
	__u64 flags = 0;
	bpf_core_read(&flags, sizeof(flags), &folio->flags);   /* a word, or a struct of one word (6.17+) */
	__u32 order = 0;
	if (flags & (1ULL << bpf_core_enum_value(enum pageflags, PG_head)))
		order = folio->_flags_1 & 0xff;
	__u64 start = (__u64)folio->index << PAGE_SHIFT;
	changed(inode, start, start + ((__u64)1 << (PAGE_SHIFT + order)));
	return 0;
}

// O_DIRECT writes through iomap (ext4's direct I/O path); reads pass here too and are skipped.
SEC("tp_btf/iomap_dio_rw_begin")
int BPF_PROG(iomap_dio_rw_begin, struct kiocb *iocb, struct iov_iter *iter, unsigned int dio_flags, size_t done_before)
{
	/* iov_iter.data_source: the iterator is the source of the data, a write. Kernels without the field: mark reads
	 * too (a superset) rather than guess an IOCB_WRITE bit, which moved between releases. */
	if (bpf_core_field_exists(iter->data_source) && !iter->data_source)
		return 0;
	struct inode *inode = iocb->ki_filp->f_inode;
	__u64 pos = iocb->ki_pos;
	changed(inode, pos, pos + iter->count);
	return 0;
}

// A shrink (truncate, ftruncate, O_TRUNC): i_size is already the new size. Also fires at eviction: harmless.
SEC("tp_btf/ext4_truncate_enter")
int BPF_PROG(ext4_truncate_enter, struct inode *inode)
{
	shrank(inode, inode->i_size);
	return 0;
}

// Plain fallocate: allocation alone leaves the content as it was (holes and unwritten extents read as zeros, and a
// grown size is seen by the size); any other mode bit changes content, so the range is marked.
SEC("tp_btf/ext4_fallocate_enter")
int BPF_PROG(ext4_fallocate_enter, struct inode *inode, loff_t offset, loff_t len, int mode)
{
	if (mode & ~FALLOC_FL_KEEP_SIZE)
		changed(inode, offset, offset + len);
	return 0;
}

SEC("tp_btf/ext4_punch_hole")
int BPF_PROG(ext4_punch_hole, struct inode *inode, loff_t offset, loff_t len, int mode)
{
	changed(inode, offset, offset + len);
	return 0;
}

SEC("tp_btf/ext4_zero_range")
int BPF_PROG(ext4_zero_range, struct inode *inode, loff_t offset, loff_t len, int mode)
{
	changed(inode, offset, offset + len);
	return 0;
}

// Collapse moves everything after the range down: offset..EOF changes and the file shrinks by len.
SEC("tp_btf/ext4_collapse_range")
int BPF_PROG(ext4_collapse_range, struct inode *inode, loff_t offset, loff_t len)
{
	__u64 size = inode->i_size;
	changed(inode, offset, size > (__u64)(offset + len) ? size : offset + len);
	shrank(inode, size > (__u64)len ? size - len : 0);
	return 0;
}

// Insert moves everything after offset up by len: offset..new EOF changes.
SEC("tp_btf/ext4_insert_range")
int BPF_PROG(ext4_insert_range, struct inode *inode, loff_t offset, loff_t len)
{
	__u64 size = inode->i_size;
	changed(inode, offset, size + len > (__u64)(offset + len) ? size + len : offset + len);
	return 0;
}
