// What happened to a path, in the vocabulary both fanotify and the FastVPS log can express.
namespace TimeTravel.Kernel.Tracking;

public enum ChangeKind : byte
{
    New = 1,
    Modified = 2,
    Removed = 3,
    Renamed = 4,
    MetadataChanged = 5,
}
