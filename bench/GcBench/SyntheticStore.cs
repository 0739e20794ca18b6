// Writes a synthetic store straight through the store API, no source tree and no snapshot walk: small random data
// blocks put in parallel (BlockStore.Put is thread-safe), files as pointer streams (StreamBuilder), directories
// encoded and chunked as the snapshot writer does, and one catalog record per "day" through Repository.CommitSnapshot.
// Each day after the first replaces the files of a few directories (half the files of ChangeFraction × 2 of the
// directories), so consecutive snapshots share everything else by score, as real ones do (Merkle sharing).
using System.Collections.Concurrent;
using System.Diagnostics;
using TimeTravel.Store;
using TimeTravel.Store.Arenas;
using TimeTravel.Store.Catalog;
using TimeTravel.Store.Naming;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Snapshots;
using TimeTravel.Store.Trees;

namespace TimeTravel.Bench.Gc;

public sealed class SyntheticStore
{
    public const string SourcePath = "/srv/data";
    private const long Day = 86_400L * 1_000_000_000;
    private static readonly DateTimeOffset FirstDay = new(2026, 10, 1, 3, 0, 0, TimeSpan.Zero);

    private readonly Repository _repo;
    private readonly SyntheticShape _shape;
    private readonly FileChunker _chunker;
    private readonly Node[][] _files;   // per leaf directory, its files as of the last snapshot
    private readonly Node[] _leaves;    // leaf directory nodes
    private readonly Node[] _groups;    // group directory nodes (each holds DirectoriesPerGroup leaves)
    private long _logicalBytes;

    public SyntheticStore(Repository repo, SyntheticShape shape)
    {
        _repo = repo; _shape = shape;
        _chunker = new FileChunker(repo.Blocks, repo.Config.Chunker);
        _files = new Node[shape.LeafDirectories][];
        _leaves = new Node[shape.LeafDirectories];
        _groups = new Node[shape.Groups];
    }

    /// <summary>Writes every snapshot; `report` gets one line per snapshot. Returns the records committed.</summary>
    public List<SnapshotRecord> Generate(Action<string> report)
    {
        if (_repo.Catalog.Sources().Count == 0) _repo.AddSource(new SourceRecord(SourcePath, []));
        var zone = StoreZone.Fix(_repo);
        var records = new List<SnapshotRecord>();
        var clock = Stopwatch.StartNew();
        for (int day = 0; day < _shape.Snapshots; day++)
        {
            var dayClock = Stopwatch.StartNew();
            long blocksBefore = _repo.Blocks.NewBlocks, rawBefore = _repo.Blocks.NewRawBytes, storedBefore = _repo.Blocks.NewStoredBytes;
            var changedLeaves = day == 0 ? Enumerable.Range(0, _leaves.Length).ToArray() : PickChangedLeaves();
            var changedPaths = new ConcurrentBag<byte[]>();
            Parallel.ForEach(changedLeaves, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
                leaf => RewriteLeaf(leaf, day, day == 0 ? null : changedPaths));
            var root = RebuildTop(changedLeaves, day);
            var paths = day == 0 ? [PathBytes.From("/")] : changedPaths.Order(PathBytes.Comparer).ToList();
            var changeList = ChangeList.Write(_chunker, paths);
            _repo.Blocks.Commit(); // blocks durable and indexed before the record that names them
            var time = FirstDay.AddDays(day);
            var record = new SnapshotRecord
            {
                Name = SnapshotNames.For(time, zone, records.Select(r => r.Name)),
                Time = TimeZoneInfo.ConvertTime(time, zone),
                Sources = [SourcePath],
                Root = root,
                Method = "walk",
                MethodReason = day == 0 ? "first snapshot" : "full walk",
                ChangedPaths = changeList,
                ChangedCount = paths.Count,
                ChangedSince = records.Count == 0 ? 0 : records[^1].Id,
                Stats = new SnapshotStats
                {
                    Files = _shape.Files, Directories = _leaves.Length + _groups.Length + 3, LogicalBytes = Interlocked.Read(ref _logicalBytes),
                    TotalsCounted = true, VisitedFiles = _shape.Files, VisitedDirectories = _leaves.Length + _groups.Length + 3,
                    BytesRead = _repo.Blocks.NewRawBytes - rawBefore, NewBlocks = _repo.Blocks.NewBlocks - blocksBefore,
                    NewBytes = _repo.Blocks.NewRawBytes - rawBefore, StoredBytes = _repo.Blocks.NewStoredBytes - storedBefore,
                    DurationMs = dayClock.ElapsedMilliseconds,
                },
            };
            long id = _repo.CommitSnapshot(record);
            records.Add(record with { Id = id });
            report($"snapshot {day + 1}/{_shape.Snapshots} {record.Name}: {record.Stats.NewBlocks} new blocks, " +
                   $"{_repo.Blocks.NewBlocks} in all, {dayClock.Elapsed.TotalSeconds:F1} s (total {clock.Elapsed.TotalSeconds:F0} s, " +
                   $"{_repo.Blocks.NewBlocks / Math.Max(0.001, clock.Elapsed.TotalSeconds):F0} blocks/s)");
        }
        return records;
    }

    // ChangeFraction × 2 of the leaf directories, each getting half its files replaced: ChangeFraction of the files.
    private int[] PickChangedLeaves()
    {
        int count = Math.Max(1, (int)Math.Round(_leaves.Length * _shape.ChangeFraction * 2));
        var all = Enumerable.Range(0, _leaves.Length).ToArray();
        Random.Shared.Shuffle(all);
        return all[..count].Order().ToArray();
    }

    private void RewriteLeaf(int leaf, int day, ConcurrentBag<byte[]>? changedPaths)
    {
        var files = _files[leaf];
        if (files is null)
        {
            int first = leaf * _shape.FilesPerDirectory;
            files = new Node[Math.Min(_shape.FilesPerDirectory, _shape.Files - first)];
            for (int i = 0; i < files.Length; i++) files[i] = NewFile(i, day);
            _files[leaf] = files;
        }
        else
        {
            var order = Enumerable.Range(0, files.Length).ToArray();
            Random.Shared.Shuffle(order);
            foreach (int i in order[..(files.Length / 2)])
            {
                Interlocked.Add(ref _logicalBytes, -files[i].Size);
                files[i] = NewFile(i, day);
                changedPaths?.Add(PathBytes.From($"{SourcePath}/{GroupName(leaf / _shape.DirectoriesPerGroup)}/{LeafName(leaf)}/{FileName(i)}"));
            }
        }
        _leaves[leaf] = Directory(PathBytes.From(LeafName(leaf)), files, day);
    }

    private Node NewFile(int index, int day)
    {
        var builder = new StreamBuilder(_repo.Blocks);
        int blocks = Random.Shared.Next(1, 2 * _shape.MeanBlocksPerFile);
        Span<byte> buffer = stackalloc byte[_shape.MaxBlockBytes];
        for (int b = 0; b < blocks; b++)
        {
            var data = buffer[..Random.Shared.Next(_shape.MinBlockBytes, _shape.MaxBlockBytes + 1)];
            Random.Shared.NextBytes(data);
            builder.AddData(_repo.Blocks.Put(data, BlockType.Data), data.Length);
        }
        var content = builder.Finish();
        Interlocked.Add(ref _logicalBytes, builder.Length);
        long mtime = FirstDay.ToUnixTimeMilliseconds() * 1_000_000 + day * Day - Random.Shared.NextInt64(Day);
        return new Node
        {
            Name = PathBytes.From(FileName(index)), Kind = FileKind.Regular, Mode = 0x1A4, Uid = 1000, Gid = 1000,
            Size = builder.Length, Blocks = (builder.Length + 511) / 512, MTimeNs = mtime, CTimeNs = mtime, Content = content,
        };
    }

    // The groups holding a changed leaf, then /srv/data, /srv and / (everything above a change is new, as in a snapshot).
    private Node RebuildTop(int[] changedLeaves, int day)
    {
        foreach (int g in changedLeaves.Select(l => l / _shape.DirectoriesPerGroup).Distinct())
        {
            int first = g * _shape.DirectoriesPerGroup;
            _groups[g] = Directory(PathBytes.From(GroupName(g)), _leaves[first..Math.Min(_leaves.Length, first + _shape.DirectoriesPerGroup)], day);
        }
        var data = Directory(PathBytes.From("data"), _groups, day);
        var srv = Directory(PathBytes.From("srv"), [data], day);
        return Directory(PathBytes.From("/"), [srv], day);
    }

    private Node Directory(byte[] name, IReadOnlyList<Node> sortedChildren, int day)
    {
        long mtime = FirstDay.ToUnixTimeMilliseconds() * 1_000_000 + day * Day;
        return new Node
        {
            Name = name, Kind = FileKind.Directory, Mode = 0x1ED, Size = 4096, MTimeNs = mtime, CTimeNs = mtime,
            Content = _chunker.WriteBytes(DirectoryCodec.Encode(sortedChildren), BlockType.Directory),
        };
    }

    // Zero-padded, so that index order is byte order (directory entries are sorted by their bytes).
    private static string GroupName(int g) => $"g{g:D4}";
    private static string LeafName(int leaf) => $"d{leaf:D6}";
    private static string FileName(int i) => $"f{i:D4}";
}
