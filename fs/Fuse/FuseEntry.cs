// The answer to a lookup (and one readdirplus entry): attributes plus how long the kernel may cache them.
namespace TimeTravel.Fs.Fuse;

public struct FuseEntry
{
    // Attributes.Ino == 0 with Lookup returning 0 is a negative entry: "no such name", cached for EntryTimeout.
    public InodeAttributes Attributes;
    public ulong Generation;        // ino + generation must be unique over the filesystem's lifetime
    public double EntryTimeout;     // seconds the name -> inode binding may be cached
    public double AttributeTimeout; // seconds the attributes may be cached
}
