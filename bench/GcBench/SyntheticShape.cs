// What the synthetic store looks like: one tree of small files under /srv/data, snapshotted daily, each day replacing
// a fraction of the files with new content. The sizes are chosen so that the store ends up with at least
// TargetBlocks distinct blocks (data, pointer and directory blocks all count).
namespace TimeTravel.Bench.Gc;

public sealed record SyntheticShape
{
    public long TargetBlocks { get; init; } = 10_000_000;
    public int Snapshots { get; init; } = 20;
    /// <summary>Fraction of the files replaced before each snapshot after the first (new content, new blocks).</summary>
    public double ChangeFraction { get; init; } = 0.05;
    public int FilesPerDirectory { get; init; } = 256;
    public int DirectoriesPerGroup { get; init; } = 64;
    /// <summary>Data blocks per file are drawn uniformly from 1 to 2 × this - 1.</summary>
    public int MeanBlocksPerFile { get; init; } = 16;
    public int MinBlockBytes { get; init; } = 64;
    public int MaxBlockBytes { get; init; } = 256;

    /// <summary>
    /// Files in the first snapshot: every file costs its data blocks plus (mostly) one pointer block, and every later
    /// snapshot adds ChangeFraction of that again; 3% more covers the variance and keeps the total above the target.
    /// </summary>
    public int Files =>
        (int)Math.Ceiling(TargetBlocks * 1.03 / ((MeanBlocksPerFile + 1) * (1 + (Snapshots - 1) * ChangeFraction)));

    public int LeafDirectories => (Files + FilesPerDirectory - 1) / FilesPerDirectory;
    public int Groups => (LeafDirectories + DirectoriesPerGroup - 1) / DirectoriesPerGroup;

    /// <summary>A line that names the shape: the cache of a generated store is reused only for the same line.</summary>
    public string Describe() =>
        $"blocks>={TargetBlocks} snapshots={Snapshots} change={ChangeFraction} files={Files} " +
        $"files/dir={FilesPerDirectory} dirs/group={DirectoriesPerGroup} blocks/file~{MeanBlocksPerFile} " +
        $"block-bytes={MinBlockBytes}-{MaxBlockBytes}";
}
