// Compiles a C program against <fuse3/fuse_lowlevel.h> and checks every size, offset and constant the binding relies on.
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using TimeTravel.Fs.Interop;
using Xunit;
using TimeTravel.Store.Interop;

namespace TimeTravel.Tests.Fs;

public sealed class LibFuseLayoutTests
{
    // (C struct, C# type, (C member, C# field)...). sizeof is checked for every struct.
    private static readonly (string C, Type Cs, (string C, string Cs)[] Fields)[] Structs =
    [
        ("struct stat", typeof(Stat), [
            ("st_dev", "st_dev"), ("st_ino", "st_ino"), ("st_nlink", "st_nlink"), ("st_mode", "st_mode"),
            ("st_uid", "st_uid"), ("st_gid", "st_gid"), ("st_rdev", "st_rdev"), ("st_size", "st_size"),
            ("st_blksize", "st_blksize"), ("st_blocks", "st_blocks"),
            ("st_atim.tv_sec", "st_atime"), ("st_atim.tv_nsec", "st_atime_nsec"),
            ("st_mtim.tv_sec", "st_mtime"), ("st_mtim.tv_nsec", "st_mtime_nsec"),
            ("st_ctim.tv_sec", "st_ctime"), ("st_ctim.tv_nsec", "st_ctime_nsec")]),
        ("struct statvfs", typeof(StatVfs), [
            ("f_bsize", "f_bsize"), ("f_frsize", "f_frsize"), ("f_blocks", "f_blocks"), ("f_bfree", "f_bfree"),
            ("f_bavail", "f_bavail"), ("f_files", "f_files"), ("f_ffree", "f_ffree"), ("f_favail", "f_favail"),
            ("f_fsid", "f_fsid"), ("f_flag", "f_flag"), ("f_namemax", "f_namemax")]),
        ("struct fuse_entry_param", typeof(FuseEntryParam), [
            ("ino", "ino"), ("generation", "generation"), ("attr", "attr"),
            ("attr_timeout", "attr_timeout"), ("entry_timeout", "entry_timeout")]),
        ("struct fuse_file_info", typeof(FuseFileInfo), [
            ("flags", "flags"), ("fh", "fh"), ("lock_owner", "lock_owner"), ("poll_events", "poll_events")]),
        ("struct fuse_args", typeof(FuseArgs), [("argc", "argc"), ("argv", "argv"), ("allocated", "allocated")]),
        ("struct fuse_conn_info", typeof(FuseConnInfo), [
            ("proto_major", "proto_major"), ("proto_minor", "proto_minor"), ("max_write", "max_write"),
            ("max_read", "max_read"), ("max_readahead", "max_readahead"), ("capable", "capable"), ("want", "want"),
            ("max_background", "max_background"), ("congestion_threshold", "congestion_threshold"),
            ("time_gran", "time_gran"), ("reserved", "reserved")]),
        ("struct fuse_ctx", typeof(FuseCtx), [("uid", "uid"), ("gid", "gid"), ("pid", "pid"), ("umask", "umask")]),
        // Every member, in declaration order, so a missing or misplaced function pointer shows up.
        ("struct fuse_lowlevel_ops", typeof(FuseLowLevelOps),
            typeof(FuseLowLevelOps).GetFields().Select(f => (f.Name, f.Name)).ToArray()),
    ];

    private static readonly (string C, uint Cs)[] FileInfoBits =
    [
        ("writepage", FuseFileInfo.WritePage), ("direct_io", FuseFileInfo.DirectIo), ("keep_cache", FuseFileInfo.KeepCache),
        ("flush", FuseFileInfo.Flush), ("nonseekable", FuseFileInfo.NonSeekable), ("flock_release", FuseFileInfo.FlockRelease),
        ("cache_readdir", FuseFileInfo.CacheReaddir), ("noflush", FuseFileInfo.NoFlush),
    ];

    private static readonly (string C, long Cs)[] Constants =
    [
        .. typeof(Errno).GetFields().Select(f => (f.Name, (long)(int)f.GetRawConstantValue()!)),
        .. typeof(ModeBits).GetFields().Select(f => (f.Name, Convert.ToInt64(f.GetRawConstantValue()))),
        ("FUSE_CAP_ASYNC_READ", FuseCap.AsyncRead), ("FUSE_CAP_POSIX_LOCKS", FuseCap.PosixLocks),
        ("FUSE_CAP_ATOMIC_O_TRUNC", FuseCap.AtomicOTrunc), ("FUSE_CAP_EXPORT_SUPPORT", FuseCap.ExportSupport),
        ("FUSE_CAP_DONT_MASK", FuseCap.DontMask), ("FUSE_CAP_SPLICE_WRITE", FuseCap.SpliceWrite),
        ("FUSE_CAP_SPLICE_MOVE", FuseCap.SpliceMove), ("FUSE_CAP_SPLICE_READ", FuseCap.SpliceRead),
        ("FUSE_CAP_FLOCK_LOCKS", FuseCap.FlockLocks), ("FUSE_CAP_IOCTL_DIR", FuseCap.IoctlDir),
        ("FUSE_CAP_AUTO_INVAL_DATA", FuseCap.AutoInvalData), ("FUSE_CAP_READDIRPLUS", FuseCap.ReaddirPlus),
        ("FUSE_CAP_READDIRPLUS_AUTO", FuseCap.ReaddirPlusAuto), ("FUSE_CAP_ASYNC_DIO", FuseCap.AsyncDio),
        ("FUSE_CAP_WRITEBACK_CACHE", FuseCap.WritebackCache), ("FUSE_CAP_NO_OPEN_SUPPORT", FuseCap.NoOpenSupport),
        ("FUSE_CAP_PARALLEL_DIROPS", FuseCap.ParallelDirops), ("FUSE_CAP_POSIX_ACL", FuseCap.PosixAcl),
        ("FUSE_CAP_HANDLE_KILLPRIV", FuseCap.HandleKillpriv), ("FUSE_CAP_CACHE_SYMLINKS", FuseCap.CacheSymlinks),
        ("FUSE_CAP_NO_OPENDIR_SUPPORT", FuseCap.NoOpendirSupport), ("FUSE_CAP_EXPLICIT_INVAL_DATA", FuseCap.ExplicitInvalData),
        ("FUSE_CAP_EXPIRE_ONLY", FuseCap.ExpireOnly),
    ];

    [Fact]
    public void The_binding_matches_the_installed_libfuse3_headers()
    {
        var expected = new Dictionary<string, long>();
        var c = new StringBuilder("""
            #define FUSE_USE_VERSION 314
            #include <fuse3/fuse_lowlevel.h>
            #include <sys/stat.h>
            #include <sys/statvfs.h>
            #include <errno.h>
            #include <fcntl.h>
            #include <stddef.h>
            #include <stdio.h>
            #include <string.h>
            int main(void) {

            """);
        foreach (var (cName, type, fields) in Structs)
        {
            c.AppendLine($"printf(\"sizeof {cName} %zu\\n\", sizeof({cName}));");
            expected[$"sizeof {cName}"] = Marshal.SizeOf(type);
            foreach (var (cField, csField) in fields)
            {
                c.AppendLine($"printf(\"offsetof {cName} {cField} %zu\\n\", offsetof({cName}, {cField}));");
                expected[$"offsetof {cName} {cField}"] = (long)Marshal.OffsetOf(type, csField);
            }
        }
        // Bit-fields have no offsetof: set one in a zeroed struct, find the first byte that changed, and read the
        // 32-bit word it belongs to. Each flag must sit in the word at FuseFileInfo.bits with the mask the binding
        // uses, and padding2 (a 32-bit bit-field too) at FuseFileInfo.padding2.
        c.AppendLine("""
            #define BITWORD(field, value, name) { struct fuse_file_info fi; unsigned char *p = (unsigned char *)&fi; \
                unsigned w; size_t i; memset(&fi, 0, sizeof fi); fi.field = value; \
                for (i = 0; i < sizeof fi && p[i] == 0; i++) ; i &= ~(size_t)3; memcpy(&w, p + i, 4); \
                printf("word %s %zu\n", name, i); printf("bit %s %u\n", name, w); }
            """);
        foreach (var (bit, mask) in FileInfoBits)
        {
            c.AppendLine($"BITWORD({bit}, 1, \"fuse_file_info.{bit}\")");
            expected[$"word fuse_file_info.{bit}"] = (long)Marshal.OffsetOf<FuseFileInfo>(nameof(FuseFileInfo.bits));
            expected[$"bit fuse_file_info.{bit}"] = mask;
        }
        c.AppendLine("BITWORD(padding2, 0xffffffffu, \"fuse_file_info.padding2\")");
        expected["word fuse_file_info.padding2"] = (long)Marshal.OffsetOf<FuseFileInfo>(nameof(FuseFileInfo.padding2));
        expected["bit fuse_file_info.padding2"] = 0xffffffffL;
        foreach (var (name, value) in Constants)
        {
            c.AppendLine($"printf(\"const {name} %lld\\n\", (long long)({name}));");
            expected[$"const {name}"] = value;
        }
        c.AppendLine("return 0; }");

        var actual = CompileAndRun(c.ToString());
        var mismatches = expected
            .Where(e => !actual.TryGetValue(e.Key, out long v) || v != e.Value)
            .Select(e => $"{e.Key}: C {(actual.TryGetValue(e.Key, out long v) ? v : "missing")}, C# {e.Value}")
            .ToList();
        Assert.True(mismatches.Count == 0, "layout mismatches:\n" + string.Join('\n', mismatches));
        Assert.Equal(44 * 8, Marshal.SizeOf<FuseLowLevelOps>());
    }

    private static Dictionary<string, long> CompileAndRun(string source)
    {
        string dir = Directory.CreateTempSubdirectory("tt-fuse-layout-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "layout.c"), source);
            var build = TestMount.Run("sh", "-c",
                "cd \"$1\" && gcc -Wall -o layout layout.c $(pkg-config --cflags fuse3)", "sh", dir);
            Assert.True(build.ExitCode == 0,
                "cannot compile the layout probe; install gcc, pkg-config and libfuse3-dev " +
                "(apt-get install gcc pkg-config libfuse3-dev):\n" + build.Stderr);
            var run = TestMount.Run(Path.Combine(dir, "layout"));
            Assert.Equal(0, run.ExitCode);
            return run.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .ToDictionary(l => l[..l.LastIndexOf(' ')], l => long.Parse(l[(l.LastIndexOf(' ') + 1)..]));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
