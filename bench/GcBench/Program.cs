// gcbench: the gc benchmark's helper (bench/gc-bench.sh).
//
//   gcbench generate STORE [--blocks N] [--snapshots N] [--change F] [--arena-size BYTES] [--pending N]
//       makes a new store at STORE holding a synthetic tree (SyntheticStore) of at least N distinct blocks in N snapshots;
//       prints key=value lines (blocks, bytes, seconds, snapshot names) for the script.
//   gcbench shape [the same options]
//       prints the shape line only (the script keys its cache of a generated store on it).
//   gcbench repeat STORE COUNT
//       commits COUNT more snapshot records of the newest snapshot's tree (same root, no new blocks): a store with
//       COUNT + 1 snapshots of one tree, to time marking many snapshots that share everything against marking one.
using System.Diagnostics;
using System.Globalization;
using TimeTravel.Bench.Gc;
using TimeTravel.Store;
using TimeTravel.Store.Arenas;
using TimeTravel.Store.Index;
using TimeTravel.Store.Naming;
using TimeTravel.Store.Trees;

try
{
    return args switch
    {
        ["generate", var store, .. var rest] => Generate(store, Options(rest)),
        ["shape", .. var rest] => Shape(Options(rest)),
        ["repeat", var store, var count] => Repeat(store, int.Parse(count, CultureInfo.InvariantCulture)),
        _ => Usage(),
    };
}
catch (Exception e) when (e is StoreException or StoreFormatException or IOException or FormatException or ArgumentException)
{
    Console.Error.WriteLine($"gcbench: {e.Message}");
    return 1;
}

static int Usage()
{
    Console.Error.WriteLine("usage: gcbench generate STORE [--blocks N] [--snapshots N] [--change F] [--arena-size BYTES] [--pending N]\n" +
                            "       gcbench shape [options]\n       gcbench repeat STORE COUNT");
    return 2;
}

static Dictionary<string, string> Options(string[] rest)
{
    if (rest.Length % 2 != 0) throw new ArgumentException($"options come in pairs (--name value): {string.Join(' ', rest)}");
    var d = new Dictionary<string, string>();
    for (int i = 0; i < rest.Length; i += 2)
    {
        if (rest[i] is not ("--blocks" or "--snapshots" or "--change" or "--arena-size" or "--pending"))
            throw new ArgumentException($"unknown option {rest[i]}");
        d[rest[i]] = rest[i + 1];
    }
    return d;
}

static SyntheticShape ShapeOf(Dictionary<string, string> o)
{
    var shape = new SyntheticShape();
    if (o.TryGetValue("--blocks", out var b)) shape = shape with { TargetBlocks = long.Parse(b, CultureInfo.InvariantCulture) };
    if (o.TryGetValue("--snapshots", out var s)) shape = shape with { Snapshots = int.Parse(s, CultureInfo.InvariantCulture) };
    if (o.TryGetValue("--change", out var c)) shape = shape with { ChangeFraction = double.Parse(c, CultureInfo.InvariantCulture) };
    return shape;
}

static int Shape(Dictionary<string, string> o)
{
    Console.WriteLine(ShapeOf(o).Describe());
    return 0;
}

static int Generate(string store, Dictionary<string, string> o)
{
    var shape = ShapeOf(o);
    long arenaSize = o.TryGetValue("--arena-size", out var a) ? long.Parse(a, CultureInfo.InvariantCulture) : 256L << 20;
    int pending = o.TryGetValue("--pending", out var p) ? int.Parse(p, CultureInfo.InvariantCulture) : 4 << 20;
    if (Directory.Exists(store) && Directory.EnumerateFileSystemEntries(store).Any())
        throw new ArgumentException($"{store}: exists and is not empty; the generator makes a new store");
    Console.Error.WriteLine($"gcbench: generating {store}: {shape.Describe()}, arenas of {arenaSize} bytes");
    var clock = Stopwatch.StartNew();
    using var repo = Repository.Init(store, arenaSize);
    // A bigger pending bound than a snapshot's: fewer mid-run commits and segment merges (memory is ~100 B per entry).
    repo.Blocks.Index.PendingLimit = pending;
    var records = new SyntheticStore(repo, shape).Generate(line => Console.Error.WriteLine($"gcbench: {line}"));
    var seconds = clock.Elapsed.TotalSeconds;
    Console.WriteLine($"shape={shape.Describe()}");
    Console.WriteLine($"blocks={repo.Blocks.NewBlocks}");
    Console.WriteLine($"raw_bytes={repo.Blocks.NewRawBytes}");
    Console.WriteLine($"stored_bytes={repo.Blocks.NewStoredBytes}");
    Console.WriteLine($"arenas={repo.Blocks.Arenas.List().Count}");
    Console.WriteLine($"arena_size={arenaSize}");
    Console.WriteLine($"files={shape.Files}");
    Console.WriteLine($"seconds={seconds.ToString("F1", CultureInfo.InvariantCulture)}");
    Console.WriteLine($"snapshots={string.Join(' ', records.Select(r => r.Name))}");
    Console.WriteLine($"new_blocks={string.Join(' ', records.Select(r => r.Stats.NewBlocks))}");
    return 0;
}

static int Repeat(string store, int count)
{
    using var repo = Repository.OpenWriter(store, "gcbench repeat");
    var all = repo.Catalog.Snapshots();
    if (all.Count == 0) throw new StoreException($"{store}: no snapshot to repeat");
    var zone = StoreZone.Of(repo);
    var last = all[^1];
    var names = all.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
    long previous = last.Id;
    for (int i = 1; i <= count; i++)
    {
        var time = last.Time.AddMinutes(i);
        var record = last with
        {
            Id = 0, Name = SnapshotNames.For(time, zone, names), Time = time, MethodReason = "repeated by gcbench",
            ChangedPaths = StreamRef.Empty, ChangedCount = 0, ChangedSince = previous, Pin = null,
            Stats = last.Stats with { NewBlocks = 0, NewBytes = 0, StoredBytes = 0, BytesRead = 0 },
        };
        names.Add(record.Name);
        previous = repo.CommitSnapshot(record);
    }
    Console.WriteLine($"snapshots={all.Count + count}");
    return 0;
}
