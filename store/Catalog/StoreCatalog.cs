// The catalog: sources, snapshots and settings in LiteDB. Small and transactional; never the block index.
// Uses the BsonDocument API, which also works ahead-of-time compiled (see shared notes).
using LiteDB;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Scores;
using TimeTravel.Store.Trees;

namespace TimeTravel.Store.Catalog;

public sealed record SourceRecord(string Path, IReadOnlyList<string> Excludes);

public sealed class StoreCatalog : IDisposable
{
    private readonly LiteDatabase _db;
    private readonly string _path;

    private StoreCatalog(LiteDatabase db, string path) { _db = db; _path = path; }

    /// <summary>Opens the catalog in shared mode: each operation opens and closes the file, so readers and the writer coexist.</summary>
    public static StoreCatalog Open(string path, bool readOnly)
    {
        if (readOnly && !File.Exists(path)) throw new StoreException($"{path}: the catalog is missing; the store is damaged");
        try
        {
            var cs = new ConnectionString { Filename = path, Connection = ConnectionType.Shared, ReadOnly = false };
            return new StoreCatalog(new LiteDatabase(cs), path);
        }
        catch (Exception e) when (e is LiteException or InvalidDataException or IOException)
        {
            throw new StoreFormatException(path, $"the catalog cannot be opened: {e.Message}");
        }
    }

    private T Guard<T>(Func<T> f)
    {
        try { return f(); }
        catch (LiteException e) { throw new StoreFormatException(_path, $"catalog error: {e.Message}"); }
    }

    public IReadOnlyList<SourceRecord> Sources() => Guard(() =>
        _db.GetCollection("sources").FindAll()
            .Select(d => new SourceRecord(d["_id"].AsString, d["excludes"].AsArray.Select(x => x.AsString).ToList()))
            .OrderBy(s => s.Path, StringComparer.Ordinal).ToList());

    public void AddSource(SourceRecord s) => Guard(() =>
        _db.GetCollection("sources").Upsert(new BsonDocument
        {
            ["_id"] = s.Path,
            ["excludes"] = new BsonArray(s.Excludes.Select(e => new BsonValue(e))),
        }));

    public bool RemoveSource(string path) => Guard(() => _db.GetCollection("sources").Delete(path));

    public string? Setting(string key) => Guard(() => _db.GetCollection("settings").FindById(key)?["value"].AsString);
    public void SetSetting(string key, string value) => Guard(() =>
        _db.GetCollection("settings").Upsert(new BsonDocument { ["_id"] = key, ["value"] = value }));

    /// <summary>Records a snapshot; this insert is what makes it exist (blocks and index are durable before it).</summary>
    public long AddSnapshot(SnapshotRecord s) => Guard(() =>
    {
        var col = _db.GetCollection("snapshots", BsonAutoId.Int64);
        var doc = ToDoc(s);
        doc.Remove("_id");
        var id = col.Insert(doc);
        _db.Checkpoint();
        return id.AsInt64;
    });

    public bool RemoveSnapshot(long id) => Guard(() => _db.GetCollection("snapshots").Delete(id));

    /// <summary>All snapshots, oldest first.</summary>
    public List<SnapshotRecord> Snapshots() => Guard(() =>
        _db.GetCollection("snapshots").FindAll().Select(FromDoc).OrderBy(s => s.Time).ThenBy(s => s.Id).ToList());

    public int SnapshotCount() => Guard(() => _db.GetCollection("snapshots").Count());

    private static BsonDocument ToDoc(SnapshotRecord s) => new()
    {
        ["_id"] = s.Id,
        ["name"] = s.Name,
        ["timeNs"] = (s.Time.UtcDateTime.Ticks - DateTime.UnixEpoch.Ticks) * 100,
        ["offsetMin"] = (int)s.Time.Offset.TotalMinutes,
        ["sources"] = new BsonArray(s.Sources.Select(x => new BsonValue(x))),
        ["root"] = NodeDoc(s.Root),
        ["stats"] = new BsonDocument
        {
            ["files"] = s.Stats.Files, ["dirs"] = s.Stats.Directories, ["logical"] = s.Stats.LogicalBytes,
            ["read"] = s.Stats.BytesRead, ["newBlocks"] = s.Stats.NewBlocks, ["newBytes"] = s.Stats.NewBytes,
            ["stored"] = s.Stats.StoredBytes, ["ms"] = s.Stats.DurationMs, ["errors"] = s.Stats.Errors,
        },
        ["complete"] = s.Complete,
        ["method"] = s.Method,
        ["reason"] = s.MethodReason ?? "",
        ["changed"] = StreamDoc(s.ChangedPaths),
        ["changedCount"] = s.ChangedCount,
        ["journalCut"] = s.JournalCut,
        ["journalId"] = s.JournalId ?? "",
    };

    private static BsonDocument StreamDoc(StreamRef r) => new()
    {
        ["score"] = r.Root.ToString(), ["depth"] = (int)r.Depth, ["length"] = r.Length,
    };

    private static StreamRef StreamFrom(BsonValue d) => d.IsDocument
        ? new StreamRef(Score.Parse(d["score"].AsString), (byte)d["depth"].AsInt32, d["length"].AsInt64)
        : StreamRef.Empty;

    private static BsonDocument NodeDoc(Node n) => new()
    {
        ["content"] = StreamDoc(n.Content), ["mode"] = (long)n.Mode, ["uid"] = (long)n.Uid, ["gid"] = (long)n.Gid,
        ["mtime"] = n.MTimeNs, ["ctime"] = n.CTimeNs, ["size"] = n.Size,
    };

    private static Node NodeFrom(BsonValue d) => new()
    {
        Name = "/"u8.ToArray(), Kind = FileKind.Directory, Content = StreamFrom(d["content"]),
        Mode = (uint)d["mode"].AsInt64, Uid = (uint)d["uid"].AsInt64, Gid = (uint)d["gid"].AsInt64,
        MTimeNs = d["mtime"].AsInt64, CTimeNs = d["ctime"].AsInt64, Size = d["size"].AsInt64,
    };

    private static SnapshotRecord FromDoc(BsonDocument d)
    {
        var st = d["stats"];
        long ns = d["timeNs"].AsInt64;
        var offset = TimeSpan.FromMinutes(d["offsetMin"].AsInt32);
        return new SnapshotRecord
        {
            Id = d["_id"].AsInt64,
            Name = d["name"].AsString,
            Time = new DateTimeOffset(DateTime.UnixEpoch.Ticks + ns / 100, TimeSpan.Zero).ToOffset(offset),
            Sources = d["sources"].AsArray.Select(x => x.AsString).ToList(),
            Root = NodeFrom(d["root"]),
            Stats = new SnapshotStats
            {
                Files = st["files"].AsInt64, Directories = st["dirs"].AsInt64, LogicalBytes = st["logical"].AsInt64,
                BytesRead = st["read"].AsInt64, NewBlocks = st["newBlocks"].AsInt64, NewBytes = st["newBytes"].AsInt64,
                StoredBytes = st["stored"].AsInt64, DurationMs = st["ms"].AsInt64, Errors = st["errors"].AsInt64,
            },
            Complete = d["complete"].AsBoolean,
            Method = d["method"].AsString,
            MethodReason = d["reason"].AsString is { Length: > 0 } r ? r : null,
            ChangedPaths = StreamFrom(d["changed"]),
            ChangedCount = d["changedCount"].IsNull ? -1 : d["changedCount"].AsInt64,
            JournalCut = d["journalCut"].IsNull ? -1 : d["journalCut"].AsInt64,
            JournalId = d["journalId"].IsNull || d["journalId"].AsString.Length == 0 ? null : d["journalId"].AsString,
        };
    }

    public void Dispose() => _db.Dispose();
}
