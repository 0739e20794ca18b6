// The libfuse3 (3.14) low-level entry points the host calls, one [LibraryImport] each, with their C declarations.
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TimeTravel.Store.Interop;

namespace TimeTravel.Fs.Interop;

// Pointers to libfuse objects are nint (fuse_req_t, struct fuse_loop_config *) or FuseSessionHandle.
// The reply functions return 0 or -errno; a failed reply means the request was interrupted, nothing to do.
public static unsafe partial class LibFuse
{
    public const string Library = "libfuse3.so.3";

    // struct fuse_session *fuse_session_new(struct fuse_args *args, const struct fuse_lowlevel_ops *op,
    //                                       size_t op_size, void *userdata);   /* NULL on bad options */
    [LibraryImport(Library)]
    public static partial FuseSessionHandle fuse_session_new(FuseArgs* args, FuseLowLevelOps* op, nuint op_size, nint userdata);

    // int fuse_session_mount(struct fuse_session *se, const char *mountpoint);   /* 0 or -1 */
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int fuse_session_mount(FuseSessionHandle se, string mountpoint);

    // void fuse_session_unmount(struct fuse_session *se);
    [LibraryImport(Library)]
    public static partial void fuse_session_unmount(FuseSessionHandle se);

    // void fuse_session_destroy(struct fuse_session *se);   /* called by FuseSessionHandle only */
    [LibraryImport(Library)]
    public static partial void fuse_session_destroy(nint se);

    // void fuse_session_exit(struct fuse_session *se);
    [LibraryImport(Library)]
    public static partial void fuse_session_exit(FuseSessionHandle se);

    // int fuse_session_loop_mt_312(struct fuse_session *se, struct fuse_loop_config *config);
    // Bound by its versioned name: fuse_session_loop_mt is a header macro over three symbol versions.
    [LibraryImport(Library, EntryPoint = "fuse_session_loop_mt_312")]
    public static partial int fuse_session_loop_mt_312(FuseSessionHandle se, nint config);

    // struct fuse_loop_config *fuse_loop_cfg_create(void);
    [LibraryImport(Library)]
    public static partial nint fuse_loop_cfg_create();

    // void fuse_loop_cfg_destroy(struct fuse_loop_config *config);
    [LibraryImport(Library)]
    public static partial void fuse_loop_cfg_destroy(nint config);

    // void fuse_loop_cfg_set_max_threads(struct fuse_loop_config *config, unsigned int value);
    [LibraryImport(Library)]
    public static partial void fuse_loop_cfg_set_max_threads(nint config, uint value);

    // void fuse_loop_cfg_set_clone_fd(struct fuse_loop_config *config, unsigned int value);
    [LibraryImport(Library)]
    public static partial void fuse_loop_cfg_set_clone_fd(nint config, uint value);

    // int fuse_opt_add_arg(struct fuse_args *args, const char *arg);   /* copies arg; 0 or -1 */
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int fuse_opt_add_arg(FuseArgs* args, string arg);

    // void fuse_opt_free_args(struct fuse_args *args);
    [LibraryImport(Library)]
    public static partial void fuse_opt_free_args(FuseArgs* args);

    // void *fuse_req_userdata(fuse_req_t req);   /* a field read: no GC transition needed */
    [LibraryImport(Library)]
    [SuppressGCTransition]
    public static partial nint fuse_req_userdata(nint req);

    // const struct fuse_ctx *fuse_req_ctx(fuse_req_t req);
    [LibraryImport(Library)]
    [SuppressGCTransition]
    public static partial FuseCtx* fuse_req_ctx(nint req);

    // int fuse_req_getgroups(fuse_req_t req, int size, gid_t list[]);   /* the number of groups (may exceed size), or -errno */
    [LibraryImport(Library)]
    public static partial int fuse_req_getgroups(nint req, int size, uint* list);

    // int fuse_reply_err(fuse_req_t req, int err);   /* err is a positive errno; 0 for success */
    [LibraryImport(Library)]
    public static partial int fuse_reply_err(nint req, int err);

    // void fuse_reply_none(fuse_req_t req);   /* for forget only */
    [LibraryImport(Library)]
    public static partial void fuse_reply_none(nint req);

    // int fuse_reply_entry(fuse_req_t req, const struct fuse_entry_param *e);
    [LibraryImport(Library)]
    public static partial int fuse_reply_entry(nint req, FuseEntryParam* e);

    // int fuse_reply_attr(fuse_req_t req, const struct stat *attr, double attr_timeout);
    [LibraryImport(Library)]
    public static partial int fuse_reply_attr(nint req, Stat* attr, double attr_timeout);

    // int fuse_reply_readlink(fuse_req_t req, const char *link);   /* NUL-terminated */
    [LibraryImport(Library)]
    public static partial int fuse_reply_readlink(nint req, byte* link);

    // int fuse_reply_open(fuse_req_t req, const struct fuse_file_info *fi);
    [LibraryImport(Library)]
    public static partial int fuse_reply_open(nint req, FuseFileInfo* fi);

    // int fuse_reply_buf(fuse_req_t req, const char *buf, size_t size);   /* copies buf before returning */
    [LibraryImport(Library)]
    public static partial int fuse_reply_buf(nint req, byte* buf, nuint size);

    // int fuse_reply_statfs(fuse_req_t req, const struct statvfs *stbuf);
    [LibraryImport(Library)]
    public static partial int fuse_reply_statfs(nint req, StatVfs* stbuf);

    // int fuse_reply_xattr(fuse_req_t req, size_t count);   /* the size answer to a size-0 query */
    [LibraryImport(Library)]
    public static partial int fuse_reply_xattr(nint req, nuint count);

    // size_t fuse_add_direntry(fuse_req_t req, char *buf, size_t bufsize, const char *name,
    //                          const struct stat *stbuf, off_t off);
    // Returns the space the entry needs; it was added only if that is <= bufsize. off is the next entry's offset.
    [LibraryImport(Library)]
    [SuppressGCTransition]
    public static partial nuint fuse_add_direntry(nint req, byte* buf, nuint bufsize, byte* name, Stat* stbuf, long off);

    // size_t fuse_add_direntry_plus(fuse_req_t req, char *buf, size_t bufsize, const char *name,
    //                               const struct fuse_entry_param *e, off_t off);
    [LibraryImport(Library)]
    [SuppressGCTransition]
    public static partial nuint fuse_add_direntry_plus(nint req, byte* buf, nuint bufsize, byte* name, FuseEntryParam* e, long off);

    // int fuse_lowlevel_notify_inval_entry(struct fuse_session *se, fuse_ino_t parent, const char *name, size_t namelen);
    // libfuse sends namelen + 1 bytes, so name must be NUL-terminated. Must not run inside a related request.
    [LibraryImport(Library)]
    public static partial int fuse_lowlevel_notify_inval_entry(FuseSessionHandle se, ulong parent, byte* name, nuint namelen);

    // int fuse_lowlevel_notify_inval_inode(struct fuse_session *se, fuse_ino_t ino, off_t off, off_t len);
    // off < 0 drops attributes only; len 0 means to the end. Also drops a cached directory listing.
    [LibraryImport(Library)]
    public static partial int fuse_lowlevel_notify_inval_inode(FuseSessionHandle se, ulong ino, long off, long len);
}
