// struct fuse_lowlevel_ops: 44 function pointers (352 bytes) in header order; fuse_session_new copies it.
using System.Runtime.InteropServices;
using TimeTravel.Store.Interop;

namespace TimeTravel.Fs.Interop;

// fuse_req_t is an opaque pointer (nint here); fuse_ino_t is uint64_t; off_t is int64_t; size_t is nuint.
// A null member makes libfuse answer ENOSYS (or do the default) for that request.
[StructLayout(LayoutKind.Sequential)]
public unsafe struct FuseLowLevelOps
{
    // void (*init)(void *userdata, struct fuse_conn_info *conn);  /* 0 */
    public delegate* unmanaged<nint, FuseConnInfo*, void> init;
    // void (*destroy)(void *userdata);  /* 8 */
    public delegate* unmanaged<nint, void> destroy;
    // void (*lookup)(fuse_req_t req, fuse_ino_t parent, const char *name);  /* 16 */
    public delegate* unmanaged<nint, ulong, byte*, void> lookup;
    // void (*forget)(fuse_req_t req, fuse_ino_t ino, uint64_t nlookup);  /* 24 */
    public delegate* unmanaged<nint, ulong, ulong, void> forget;
    // void (*getattr)(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi);  /* 32 */
    public delegate* unmanaged<nint, ulong, FuseFileInfo*, void> getattr;
    // void (*setattr)(fuse_req_t req, fuse_ino_t ino, struct stat *attr, int to_set, struct fuse_file_info *fi);  /* 40 */
    public delegate* unmanaged<nint, ulong, Stat*, int, FuseFileInfo*, void> setattr;
    // void (*readlink)(fuse_req_t req, fuse_ino_t ino);  /* 48 */
    public delegate* unmanaged<nint, ulong, void> readlink;
    // void (*mknod)(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode, dev_t rdev);  /* 56 */
    public delegate* unmanaged<nint, ulong, byte*, uint, ulong, void> mknod;
    // void (*mkdir)(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode);  /* 64 */
    public delegate* unmanaged<nint, ulong, byte*, uint, void> mkdir;
    // void (*unlink)(fuse_req_t req, fuse_ino_t parent, const char *name);  /* 72 */
    public delegate* unmanaged<nint, ulong, byte*, void> unlink;
    // void (*rmdir)(fuse_req_t req, fuse_ino_t parent, const char *name);  /* 80 */
    public delegate* unmanaged<nint, ulong, byte*, void> rmdir;
    // void (*symlink)(fuse_req_t req, const char *link, fuse_ino_t parent, const char *name);  /* 88 */
    public delegate* unmanaged<nint, byte*, ulong, byte*, void> symlink;
    // void (*rename)(fuse_req_t req, fuse_ino_t parent, const char *name, fuse_ino_t newparent, const char *newname, unsigned int flags);  /* 96 */
    public delegate* unmanaged<nint, ulong, byte*, ulong, byte*, uint, void> rename;
    // void (*link)(fuse_req_t req, fuse_ino_t ino, fuse_ino_t newparent, const char *newname);  /* 104 */
    public delegate* unmanaged<nint, ulong, ulong, byte*, void> link;
    // void (*open)(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi);  /* 112 */
    public delegate* unmanaged<nint, ulong, FuseFileInfo*, void> open;
    // void (*read)(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off, struct fuse_file_info *fi);  /* 120 */
    public delegate* unmanaged<nint, ulong, nuint, long, FuseFileInfo*, void> read;
    // void (*write)(fuse_req_t req, fuse_ino_t ino, const char *buf, size_t size, off_t off, struct fuse_file_info *fi);  /* 128 */
    public delegate* unmanaged<nint, ulong, byte*, nuint, long, FuseFileInfo*, void> write;
    // void (*flush)(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi);  /* 136 */
    public delegate* unmanaged<nint, ulong, FuseFileInfo*, void> flush;
    // void (*release)(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi);  /* 144 */
    public delegate* unmanaged<nint, ulong, FuseFileInfo*, void> release;
    // void (*fsync)(fuse_req_t req, fuse_ino_t ino, int datasync, struct fuse_file_info *fi);  /* 152 */
    public delegate* unmanaged<nint, ulong, int, FuseFileInfo*, void> fsync;
    // void (*opendir)(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi);  /* 160 */
    public delegate* unmanaged<nint, ulong, FuseFileInfo*, void> opendir;
    // void (*readdir)(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off, struct fuse_file_info *fi);  /* 168 */
    public delegate* unmanaged<nint, ulong, nuint, long, FuseFileInfo*, void> readdir;
    // void (*releasedir)(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi);  /* 176 */
    public delegate* unmanaged<nint, ulong, FuseFileInfo*, void> releasedir;
    // void (*fsyncdir)(fuse_req_t req, fuse_ino_t ino, int datasync, struct fuse_file_info *fi);  /* 184 */
    public delegate* unmanaged<nint, ulong, int, FuseFileInfo*, void> fsyncdir;
    // void (*statfs)(fuse_req_t req, fuse_ino_t ino);  /* 192 */
    public delegate* unmanaged<nint, ulong, void> statfs;
    // void (*setxattr)(fuse_req_t req, fuse_ino_t ino, const char *name, const char *value, size_t size, int flags);  /* 200 */
    public delegate* unmanaged<nint, ulong, byte*, byte*, nuint, int, void> setxattr;
    // void (*getxattr)(fuse_req_t req, fuse_ino_t ino, const char *name, size_t size);  /* 208 */
    public delegate* unmanaged<nint, ulong, byte*, nuint, void> getxattr;
    // void (*listxattr)(fuse_req_t req, fuse_ino_t ino, size_t size);  /* 216 */
    public delegate* unmanaged<nint, ulong, nuint, void> listxattr;
    // void (*removexattr)(fuse_req_t req, fuse_ino_t ino, const char *name);  /* 224 */
    public delegate* unmanaged<nint, ulong, byte*, void> removexattr;
    // void (*access)(fuse_req_t req, fuse_ino_t ino, int mask);  /* 232 */
    public delegate* unmanaged<nint, ulong, int, void> access;
    // void (*create)(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode, struct fuse_file_info *fi);  /* 240 */
    public delegate* unmanaged<nint, ulong, byte*, uint, FuseFileInfo*, void> create;
    // void (*getlk)(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi, struct flock *lock);  /* 248 */
    public delegate* unmanaged<nint, ulong, FuseFileInfo*, void*, void> getlk;
    // void (*setlk)(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi, struct flock *lock, int sleep);  /* 256 */
    public delegate* unmanaged<nint, ulong, FuseFileInfo*, void*, int, void> setlk;
    // void (*bmap)(fuse_req_t req, fuse_ino_t ino, size_t blocksize, uint64_t idx);  /* 264 */
    public delegate* unmanaged<nint, ulong, nuint, ulong, void> bmap;
    // void (*ioctl)(fuse_req_t req, fuse_ino_t ino, unsigned int cmd, void *arg, struct fuse_file_info *fi, unsigned flags, const void *in_buf, size_t in_bufsz, size_t out_bufsz);  /* 272 */
    public delegate* unmanaged<nint, ulong, uint, void*, FuseFileInfo*, uint, void*, nuint, nuint, void> ioctl;
    // void (*poll)(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi, struct fuse_pollhandle *ph);  /* 280 */
    public delegate* unmanaged<nint, ulong, FuseFileInfo*, void*, void> poll;
    // void (*write_buf)(fuse_req_t req, fuse_ino_t ino, struct fuse_bufvec *bufv, off_t off, struct fuse_file_info *fi);  /* 288 */
    public delegate* unmanaged<nint, ulong, void*, long, FuseFileInfo*, void> write_buf;
    // void (*retrieve_reply)(fuse_req_t req, void *cookie, fuse_ino_t ino, off_t offset, struct fuse_bufvec *bufv);  /* 296 */
    public delegate* unmanaged<nint, void*, ulong, long, void*, void> retrieve_reply;
    // void (*forget_multi)(fuse_req_t req, size_t count, struct fuse_forget_data *forgets);  /* 304 */
    public delegate* unmanaged<nint, nuint, void*, void> forget_multi;
    // void (*flock)(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi, int op);  /* 312 */
    public delegate* unmanaged<nint, ulong, FuseFileInfo*, int, void> flock;
    // void (*fallocate)(fuse_req_t req, fuse_ino_t ino, int mode, off_t offset, off_t length, struct fuse_file_info *fi);  /* 320 */
    public delegate* unmanaged<nint, ulong, int, long, long, FuseFileInfo*, void> fallocate;
    // void (*readdirplus)(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off, struct fuse_file_info *fi);  /* 328 */
    public delegate* unmanaged<nint, ulong, nuint, long, FuseFileInfo*, void> readdirplus;
    // void (*copy_file_range)(fuse_req_t req, fuse_ino_t ino_in, off_t off_in, struct fuse_file_info *fi_in, fuse_ino_t ino_out, off_t off_out, struct fuse_file_info *fi_out, size_t len, int flags);  /* 336 */
    public delegate* unmanaged<nint, ulong, long, FuseFileInfo*, ulong, long, FuseFileInfo*, nuint, int, void> copy_file_range;
    // void (*lseek)(fuse_req_t req, fuse_ino_t ino, off_t off, int whence, struct fuse_file_info *fi);  /* 344 */
    public delegate* unmanaged<nint, ulong, long, int, FuseFileInfo*, void> lseek;
}
