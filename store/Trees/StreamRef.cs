// A reference to a stream of bytes (file content or an encoded directory): a root block, the depth of the
// pointer tree above the data blocks (0: the root is the only data block) and the stream's length.
using TimeTravel.Store.Scores;

namespace TimeTravel.Store.Trees;

public readonly record struct StreamRef(Score Root, byte Depth, long Length)
{
    public static readonly StreamRef Empty = new(Score.Zero, 0, 0);
    public bool IsEmpty => Length == 0;
    public override string ToString() => IsEmpty ? "empty" : $"{Root}/{Depth}/{Length}";
}
