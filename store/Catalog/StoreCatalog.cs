// The catalog: sources, snapshots and settings in LiteDB. Small and transactional; never the block index.
// Uses the BsonDocument API, which also works ahead-of-time compiled (see shared notes).
using LiteDB;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Scores;
using TimeTravel.Store.Trees;

namespace TimeTravel.Store.Catalog;

public sealed record SourceRecord(string Path, IReadOnlyList<string> Excludes);

/// <summary>A snapshot record that fails its checksum or cannot be decoded: it costs that snapshot only.</summary>
public sealed record DamagedSnapshotRecord(string Id, string Problem);

public sealed class StoreCatalog : IDisposable
{
    /// <summary>Settings that explain a store whose arenas hold blocks no snapshot names (see `timetravel verify`).</summary>
    public const string NewCatalogOverBlocks = "new-catalog-over-blocks", ForgottenSnapshots = "forgotten-snapshots",
        FirstWriter = "first-writer", ChecksumsFrom = "record-checksums-from";

    /// <summary>The saved retention policy (Retention.RetentionPolicy's text form); absent: nothing is removed automatically.</summary>
    public const string RetentionPolicy = "retention-policy";

    /// <summary>
    /// The catalog's bookkeeping of its records in the arenas (Records.CatalogRecord): the last record sequence number
    /// and the highest snapshot id handed out (both reserved before the record is written, so neither is ever used
    /// twice), the score of the latest settings record, the keys that record carries, and whether every change the
    /// catalog holds is in the arenas (set once the records of a store older than them were written).
    /// </summary>
    public const string LastRecordSequence = "last-record-sequence", LastSnapshotId = "last-snapshot-id",
        SettingsRecord = "settings-record", RecordedSettings = "recorded-settings", RecordsComplete = "catalog-records-complete";

    /// <summary>Settings that are part of the store's record even when set before RecordedSettings listed them.</summary>
    public static readonly IReadOnlyList<string> AlwaysRecorded = ["zone", RetentionPolicy];

    /// <summary>What every message about a lost or damaged catalog offers.</summary>
    public const string RebuildHint = "`timetravel catalog rebuild` remakes it from the records in the arenas";

    private readonly LiteDatabase _db;
    private readonly string _path;
    private bool _abandoned; // a write stuck in LiteDB was given up on (CatalogRoom.Watch): closing would wait for it

    private StoreCatalog(LiteDatabase db, string path) { _db = db; _path = path; }

    /// <summary>
    /// Opens the catalog in shared mode: each operation opens and closes the file, so readers and the writer coexist.
    /// A reader opens it read-only (it works on a read-only filesystem and never writes a byte); only `create` may make
    /// a new file, so a missing or emptied catalog is an error naming the file, never a silently empty store.
    /// </summary>
    public static StoreCatalog Open(string path, bool readOnly, bool create = false) => Open(path, readOnly, create, check: true);

    private static StoreCatalog Open(string path, bool readOnly, bool create, bool check)
    {
        var file = new FileInfo(path);
        if (!file.Exists && (!create || readOnly)) throw new StoreFormatException(path, $"the catalog is missing; the store is damaged ({RebuildHint})");
        if (file.Exists && check) CheckFile(path, file.Length, readOnly);
        // The writer reads everything read-only first: LiteDB opened for writing marks a file it finds damaged. The
        // file was checked above as the writer's (a cut-short last page is the writer's to repair), not again as a reader's.
        if (!readOnly && file.Exists) using (var probe = Open(path, readOnly: true, create: false, check: false)) probe.ReadEverything();
        if (!readOnly) CatalogRoom.Require(path, records: 0); // opening for writing may replay a log left behind
        StoreCatalog? catalog = null;
        try
        {
            var cs = new ConnectionString { Filename = path, Connection = ConnectionType.Shared, ReadOnly = readOnly };
            catalog = new StoreCatalog(new LiteDatabase(cs), path);
            catalog.Guard(() => catalog._db.GetCollectionNames().Count()); // LiteDB opens lazily: read the header now
            if (!readOnly) MakePrivate(path);
            return catalog;
        }
        catch (StoreFormatException) { catalog?.Dispose(); throw; }
        catch (Exception e)
        {
            catalog?.Dispose();
            throw new StoreFormatException(path, $"the catalog cannot be opened: {e.GetType().Name}: {e.Message} (if it is damaged, {RebuildHint})");
        }
    }

    // LiteDB 5's file: 8 KiB pages; page 0 holds this text at bytes 32-58 and the file format version at byte 59.
    private const int LiteDbPageSize = 8192;
    private const int LiteDbHeaderInfoOffset = 32, LiteDbFileVersionOffset = 59;
    private const byte LiteDbFileVersion = 8;
    private static ReadOnlySpan<byte> LiteDbHeaderInfo => "** This is a LiteDB file **"u8;

    // Checked before LiteDB sees the file: LiteDB "repairs" a file whose length is not whole pages by truncating it,
    // even when opened read-only, so a reader must refuse such a file rather than let LiteDB write to it.
    private static void CheckFile(string path, long length, bool readOnly)
    {
        if (length == 0) throw new StoreFormatException(path, $"the catalog is empty (0 bytes); the store is damaged ({RebuildHint})");
        var head = new byte[LiteDbFileVersionOffset + 1];
        int n;
        using (var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete)) n = f.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (n < head.Length || !head.AsSpan(LiteDbHeaderInfoOffset, LiteDbHeaderInfo.Length).SequenceEqual(LiteDbHeaderInfo))
            throw new StoreFormatException(path, $"not a LiteDB catalog (damaged or foreign file); the store is damaged ({RebuildHint})");
        if (head[LiteDbFileVersionOffset] != LiteDbFileVersion)
            throw new StoreFormatException(path, $"LiteDB file version {head[LiteDbFileVersionOffset]} is not the one this timetravel reads ({LiteDbFileVersion})");
        if (readOnly && length % LiteDbPageSize != 0)
            throw new StoreFormatException(path, $"the catalog's {length} bytes are not whole {LiteDbPageSize}-byte pages (a write was cut short?); " +
                "the next writer (`timetravel snapshot`) lets LiteDB repair it");
    }

    // Every failure inside LiteDB or in decoding its documents is damage to this file, whatever the exception type.
    private T Guard<T>(Func<T> f)
    {
        try { return f(); }
        catch (Exception e) when (e is StoreFormatException or StoreException) { throw; }
        catch (Exception e) when (CatalogRoom.IsNoSpace(e))
        {
            throw new IOException($"{_path}: the catalog could not be written: {e.Message}; the command's change is not recorded. " +
                "Free some space and run the command again", e);
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            throw new StoreFormatException(_path, $"catalog error (damaged?): {e.GetType().Name}: {e.Message} (if it is damaged, {RebuildHint})");
        }
    }

    // Every write goes through here: it starts only with room for it on the filesystem (see CatalogRoom).
    private T Write<T>(Func<T> f, int records = 1)
    {
        CatalogRoom.Require(_path, records);
        try { return CatalogRoom.Watch(_path, () => Guard(f), () => _abandoned = true); }
        finally { MakePrivate(_path); }
    }

    // LiteDB creates the catalog and its log with the umask's mode: store files are 0600 (see StoreFiles).
    private static void MakePrivate(string path)
    {
        StoreFiles.MakePrivate(path);
        StoreFiles.MakePrivate(Path.Combine(Path.GetDirectoryName(path)!, Path.GetFileNameWithoutExtension(path) + "-log" + Path.GetExtension(path)));
    }

    /// <summary>Reads every document: throws StoreFormatException when any part of the catalog cannot be read.</summary>
    public void ReadEverything()
    {
        Sources();
        ReadSnapshots();
        Guard(() => _db.GetCollection("settings").FindAll().Count());
    }

    public IReadOnlyList<SourceRecord> Sources() => Guard(() =>
        _db.GetCollection("sources").FindAll()
            .Select(d => new SourceRecord(d["_id"].AsString, d["excludes"].AsArray.Select(x => x.AsString).ToList()))
            .OrderBy(s => s.Path, StringComparer.Ordinal).ToList());

    /// <summary>Records a source; with the score of the settings record that holds it, in one transaction.</summary>
    public void AddSource(SourceRecord s, Score? settingsRecord = null) => Write(() => Transaction(() =>
    {
        _db.GetCollection("sources").Upsert(new BsonDocument
        {
            ["_id"] = s.Path,
            ["excludes"] = new BsonArray(s.Excludes.Select(e => new BsonValue(e))),
        });
        if (settingsRecord is { } r) PutSetting(SettingsRecord, r.ToString());
        return true;
    }), records: 2);

    public bool RemoveSource(string path) => Write(() => _db.GetCollection("sources").Delete(path));

    public string? Setting(string key) => Guard(() => _db.GetCollection("settings").FindById(key)?["value"].AsString);
    public void SetSetting(string key, string value) => Write(() =>
        _db.GetCollection("settings").Upsert(new BsonDocument { ["_id"] = key, ["value"] = value }));

    /// <summary>A setting that is part of the store's record, with the score of the settings record that holds it (null: a store without records).</summary>
    public void SetRecordedSetting(string key, string value, Score? settingsRecord) => Write(() => Transaction(() =>
    {
        PutSetting(key, value);
        var keys = RecordedSettingKeys();
        if (!keys.Contains(key)) PutSetting(RecordedSettings, string.Join('\n', keys.Append(key)));
        if (settingsRecord is { } r) PutSetting(SettingsRecord, r.ToString());
        return true;
    }), records: 3);

    /// <summary>The score of the latest settings record (Records.SettingsRecorded) once it was written.</summary>
    public void SetSettingsRecord(Score record) => SetSetting(SettingsRecord, record.ToString());

    /// <summary>The keys of the settings that are part of the store's record (its zone, its retention policy, ...).</summary>
    public IReadOnlyList<string> RecordedSettingKeys() => Guard(() =>
    {
        var listed = Setting(RecordedSettings) is { Length: > 0 } v ? v.Split('\n') : [];
        return AlwaysRecorded.Concat(listed).Distinct().ToList();
    });

    /// <summary>
    /// Reserves the next record sequence number and, for a snapshot record, the next snapshot id: one past the highest
    /// ever handed out (kept in a setting, since LiteDB's own ids reuse the top id after a forget) or in the catalog.
    /// Reserved durably before the record is written, so a record written by a writer that died before its catalog
    /// change never shares its number or its id with a later one.
    /// </summary>
    public (long Sequence, long SnapshotId) ReserveRecords(int count = 1, bool snapshotId = false) => Write(() => Transaction(() =>
    {
        long sequence = SettingLong(LastRecordSequence) + 1;
        PutSetting(LastRecordSequence, (sequence + count - 1).ToString());
        long id = 0;
        if (snapshotId)
        {
            id = NextSnapshotId();
            PutSetting(LastSnapshotId, id.ToString());
        }
        return (sequence, id);
    }), records: 2);

    private long NextSnapshotId() => Math.Max(SettingLong(LastSnapshotId), MaxSnapshotId()) + 1;

    private long MaxSnapshotId()
    {
        var col = _db.GetCollection("snapshots");
        return col.Count() == 0 ? 0 : col.Max().AsInt64;
    }

    private long SettingLong(string key) => long.TryParse(Setting(key), out long v) ? v : 0;

    private void PutSetting(string key, string value) =>
        _db.GetCollection("settings").Upsert(new BsonDocument { ["_id"] = key, ["value"] = value });

    // One LiteDB transaction, checkpointed after: all of it or none of it is in the file.
    private T Transaction<T>(Func<T> f)
    {
        _db.BeginTrans();
        T result;
        try { result = f(); _db.Commit(); }
        catch { _db.Rollback(); throw; }
        _db.Checkpoint();
        return result;
    }

    /// <summary>
    /// Records a snapshot; this insert is what makes it exist (blocks and index are durable before it). Its id is the
    /// one reserved for it (ReserveRecords), or, when it has none (0), the next never used; an id is never reused. With
    /// the score of its record block in the arenas. The record and its checksum are written in one transaction.
    /// </summary>
    public long AddSnapshot(SnapshotRecord s, Score? record = null) => Write(() =>
    {
        _db.BeginTrans();
        long id;
        try
        {
            id = InsertSnapshot(s, record);
            _db.Commit();
        }
        catch { _db.Rollback(); throw; }
        _db.Checkpoint();
        return id;
    }, records: 3);

    // Inside a transaction: the snapshot's document with its id (the reserved one, or the next never used), its record
    // block's score and its checksum; the highest id handed out moves on with it.
    private long InsertSnapshot(SnapshotRecord s, Score? record)
    {
        var col = _db.GetCollection("snapshots");
        long id = s.Id > 0 ? s.Id : NextSnapshotId();
        if (col.FindById(id) is not null) throw new StoreException($"{_path}: snapshot id {id} is already in the catalog; nothing was recorded");
        var doc = ToDoc(s);
        doc["_id"] = id;
        if (record is { } r) doc[RecordField] = r.ToString();
        doc[RecordChecksum.Field] = RecordChecksum.Of(doc);
        col.Insert(doc);
        if (id > SettingLong(LastSnapshotId)) PutSetting(LastSnapshotId, id.ToString());
        // From this id on, a record without a checksum is damage (a changed letter in the field's name), not legacy.
        var settings = _db.GetCollection("settings");
        if (settings.FindById(ChecksumsFrom) is null)
            settings.Insert(new BsonDocument { ["_id"] = ChecksumsFrom, ["value"] = id.ToString() });
        return id;
    }

    /// <summary>
    /// Adds other hosts' snapshots (Host set), each under a new id, in one transaction; one whose host already has a
    /// snapshot of that name is left out, so importing the same records again adds nothing. Returns the ids given to
    /// the ones added. No record block names them: they are their own host's records (Repository.ImportForeignSnapshot).
    /// </summary>
    public IReadOnlyList<long> ImportSnapshots(IReadOnlyList<SnapshotRecord> snapshots) => Write(() => Transaction(() =>
    {
        var col = _db.GetCollection("snapshots");
        var known = new HashSet<(string, string)>();
        foreach (var d in col.FindAll())
            if (d["host"].IsString && d["name"].IsString) known.Add((d["host"].AsString, d["name"].AsString));
        var added = new List<long>();
        foreach (var s in snapshots)
        {
            if (s.Host is null) throw new StoreException($"{_path}: snapshot {s.Name} names no host; only another host's snapshot is imported");
            if (!known.Add((s.Host, s.Name))) continue;
            added.Add(InsertSnapshot(s with { Id = 0 }, null));
        }
        return (IReadOnlyList<long>)added;
    }), records: snapshots.Count + 2);

    // The scores of a snapshot's record block and of its latest pin record block (Records.CatalogRecord) in its document.
    private const string RecordField = "record", PinRecordField = "pinRecord";

    /// <summary>The score of the snapshot's record block in the arenas; null for a snapshot recorded before records were.</summary>
    public Score? SnapshotRecordScore(long id) => Guard(() =>
        _db.GetCollection("snapshots").FindById(id) is { } doc ? ScoreField(doc, RecordField) : null);

    /// <summary>The ids of the snapshots whose record block was never written (taken before records were); another host's are its own host's to record.</summary>
    public List<long> SnapshotsWithoutRecord() => Guard(() =>
        _db.GetCollection("snapshots").FindAll().Where(d => ScoreField(d, RecordField) is null && !d["host"].IsString).Select(d => d["_id"].AsInt64).ToList());

    /// <summary>Notes the record blocks written for snapshots taken before records were, in one transaction.</summary>
    public void SetSnapshotRecords(IReadOnlyDictionary<long, Score> records) => Write(() => Transaction(() =>
    {
        var col = _db.GetCollection("snapshots");
        foreach (var (id, score) in records)
        {
            var doc = col.FindById(id) ?? throw new StoreException($"{_path}: snapshot id {id} is not in the catalog");
            doc[RecordField] = score.ToString();
            if (!doc[RecordChecksum.Field].IsNull) doc[RecordChecksum.Field] = RecordChecksum.Of(doc);
            col.Update(doc);
        }
        return true;
    }), records: records.Count);

    private static Score? ScoreField(BsonDocument doc, string field) =>
        doc[field].IsString && Score.TryParse(doc[field].AsString, out var s) ? s : null;

    /// <summary>
    /// The catalog-record blocks gc must keep: the records of the kept snapshots and their latest pin records, the
    /// latest settings record, and each forget record while the record of a snapshot it forgot is still indexed (once
    /// gc dropped that, a rebuild cannot bring the snapshot back, and the forget record is garbage too). Read from the
    /// documents directly, so a snapshot whose document fails its checksum keeps its record (what a rebuild needs).
    /// </summary>
    public IReadOnlyList<Score> LiveRecordScores(Func<Score, bool> indexed) => Guard(() =>
    {
        var live = new List<Score>();
        foreach (var doc in _db.GetCollection("snapshots").FindAll())
        {
            if (ScoreField(doc, RecordField) is { } r) live.Add(r);
            if (ScoreField(doc, PinRecordField) is { } p) live.Add(p);
        }
        if (Setting(SettingsRecord) is { } st && Score.TryParse(st, out var settings)) live.Add(settings);
        foreach (var doc in _db.GetCollection(ForgetsCollection).FindAll())
            if (Score.TryParse(doc["_id"].AsString, out var forget)
                && doc["targets"].AsArray.Any(t => Score.TryParse(t.AsString, out var target) && !target.IsZero && indexed(target)))
                live.Add(forget);
        return live;
    });

    /// <summary>For `catalog rebuild`: notes a forget record (and the snapshot records it names) for LiveRecordScores.</summary>
    public void AddForgetRecord(Score record, IReadOnlyList<Score> targets) => Write(() =>
        _db.GetCollection(ForgetsCollection).Upsert(new BsonDocument
        {
            ["_id"] = record.ToString(),
            ["targets"] = new BsonArray(targets.Select(t => new BsonValue(t.ToString()))),
        }));

    // Forget records (their score as _id) with the scores of the snapshot records they forgot ("targets").
    private const string ForgetsCollection = "forgets";

    /// <summary>
    /// Removes these snapshots' records and counts them in the ForgottenSnapshots setting, all in one transaction: a
    /// forget killed part way removes every one of them or none. Their blocks stay in the arenas. With the forget
    /// record's score and the record scores it names, kept for LiveRecordScores.
    /// </summary>
    public void ForgetSnapshots(IReadOnlyCollection<long> ids, Score? record = null, IReadOnlyList<Score>? targets = null) => Write(() =>
    {
        _db.BeginTrans();
        try
        {
            var col = _db.GetCollection("snapshots");
            foreach (long id in ids)
                if (!col.Delete(id)) throw new StoreException($"{_path}: snapshot id {id} is not in the catalog; nothing was forgotten");
            var settings = _db.GetCollection("settings");
            long before = long.TryParse(settings.FindById(ForgottenSnapshots)?["value"].AsString, out long n) ? n : 0;
            settings.Upsert(new BsonDocument { ["_id"] = ForgottenSnapshots, ["value"] = (before + ids.Count).ToString() });
            if (record is { } r)
                _db.GetCollection(ForgetsCollection).Upsert(new BsonDocument
                {
                    ["_id"] = r.ToString(),
                    ["targets"] = new BsonArray((targets ?? []).Select(t => new BsonValue(t.ToString()))),
                });
            _db.Commit();
        }
        catch { _db.Rollback(); throw; }
        _db.Checkpoint();
        return ids.Count;
    }, records: ids.Count + 2);

    /// <summary>
    /// Pins (pin non-null) or unpins one snapshot; its record keeps a checksum that covers the pin, and the score of the
    /// pin record block that says so.
    /// </summary>
    public void SetPin(long id, PinInfo? pin, Score? record = null) => Write(() =>
    {
        var col = _db.GetCollection("snapshots");
        var doc = col.FindById(id) ?? throw new StoreException($"{_path}: snapshot id {id} is not in the catalog");
        doc.Remove("pinTimeNs"); doc.Remove("pinOffsetMin"); doc.Remove("pinNote");
        if (pin is not null)
        {
            doc["pinTimeNs"] = (pin.Time.UtcDateTime.Ticks - DateTime.UnixEpoch.Ticks) * 100;
            doc["pinOffsetMin"] = (int)pin.Time.Offset.TotalMinutes;
            doc["pinNote"] = pin.Note ?? "";
        }
        if (record is { } r) doc[PinRecordField] = r.ToString();
        if (!doc[RecordChecksum.Field].IsNull) doc[RecordChecksum.Field] = RecordChecksum.Of(doc);
        col.Update(doc);
        _db.Checkpoint();
        return true;
    });

    /// <summary>All snapshots whose records are intact, oldest first; a damaged record is left out (and warned about).</summary>
    public List<SnapshotRecord> Snapshots()
    {
        var (good, damaged, _) = ReadSnapshots();
        foreach (var d in damaged)
            if (_warned.Add(d.Id)) StoreWarnings.Warn($"{_path}: snapshot record {d.Id} is damaged and left out: {d.Problem} (`timetravel verify` lists every one; {RebuildHint})");
        return good;
    }

    private readonly HashSet<string> _warned = [];

    private static readonly HashSet<string> RecordFields =
    [
        "_id", "name", "timeNs", "offsetMin", "sources", "root", "stats", "complete", "method", "reason", "changed",
        "changedCount", "changedSince", "journalCut", "journalId", "note", "preId", "host", "pinTimeNs", "pinOffsetMin", "pinNote", RecordField, PinRecordField, RecordChecksum.Field,
    ];

    /// <summary>
    /// Every snapshot record, checked: the intact ones (oldest first), the damaged ones (failing their checksum or their
    /// decoding), and how many intact ones were written before records carried checksums (read unchecked). Each record
    /// stands alone: a damaged one costs that snapshot, never the others.
    /// </summary>
    public (List<SnapshotRecord> Good, List<DamagedSnapshotRecord> Damaged, int Legacy) ReadSnapshots() => Guard(() =>
    {
        long checksumsFrom = long.TryParse(Setting(ChecksumsFrom), out long from) ? from : long.MaxValue;
        var good = new List<SnapshotRecord>();
        var damaged = new List<DamagedSnapshotRecord>();
        int legacy = 0;
        foreach (var doc in _db.GetCollection("snapshots").FindAll())
        {
            string id = doc["_id"].IsInt64 ? doc["_id"].AsInt64.ToString() : doc["_id"].ToString();
            try
            {
                if (doc.Keys.FirstOrDefault(k => !RecordFields.Contains(k)) is { } unknown)
                    throw new InvalidDataException($"it has a field '{unknown}' no record is written with");
                if (doc[RecordChecksum.Field].IsNull)
                {
                    if (doc["_id"].AsInt64 >= checksumsFrom) throw new InvalidDataException("its checksum is missing");
                    legacy++;
                }
                else if (!doc[RecordChecksum.Field].IsInt64 || doc[RecordChecksum.Field].AsInt64 != RecordChecksum.Of(doc))
                    throw new InvalidDataException("it does not match its checksum (a changed digit or letter)");
                good.Add(FromDoc(doc));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                string name = doc["name"].IsString ? $" ('{doc["name"].AsString}')" : "";
                damaged.Add(new DamagedSnapshotRecord(id + name, e is InvalidDataException ? e.Message : $"{e.GetType().Name}: {e.Message}"));
            }
        }
        return (good.OrderBy(s => s.Time).ThenBy(s => s.Id).ToList(), damaged, legacy);
    });

    public int SnapshotCount() => Guard(() => _db.GetCollection("snapshots").Count());

    // "host" only for another host's snapshot: the store's own keep the documents (and checksums) they always had.
    private static BsonDocument ToDoc(SnapshotRecord s)
    {
        var doc = OwnDoc(s);
        if (s.Host is not null) doc["host"] = s.Host;
        return doc;
    }

    private static BsonDocument OwnDoc(SnapshotRecord s) => new()
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
            ["visitedFiles"] = s.Stats.VisitedFiles, ["visitedDirs"] = s.Stats.VisitedDirectories, ["counted"] = s.Stats.TotalsCounted,
            ["reads"] = new BsonDocument
            {
                ["wholeFiles"] = s.Stats.WholeFiles, ["wholeBytes"] = s.Stats.WholeBytes, ["rangeFiles"] = s.Stats.RangeFiles,
                ["rangeFileBytes"] = s.Stats.RangeFileBytes, ["rangeRead"] = s.Stats.RangeBytesRead, ["reusedFiles"] = s.Stats.ReusedFiles,
            },
        },
        ["complete"] = s.Complete,
        ["method"] = s.Method,
        ["reason"] = s.MethodReason ?? "",
        ["changed"] = StreamDoc(s.ChangedPaths),
        ["changedCount"] = s.ChangedCount,
        ["changedSince"] = s.ChangedSince,
        ["journalCut"] = s.JournalCut,
        ["journalId"] = s.JournalId ?? "",
        ["note"] = s.Note ?? "",
        ["preId"] = s.PreId,
    };

    private static PinInfo? PinFrom(BsonDocument d) => d["pinTimeNs"].IsInt64
        ? new PinInfo(new DateTimeOffset(DateTime.UnixEpoch.Ticks + d["pinTimeNs"].AsInt64 / 100, TimeSpan.Zero)
                .ToOffset(TimeSpan.FromMinutes(d["pinOffsetMin"].IsInt32 ? d["pinOffsetMin"].AsInt32 : 0)),
            d["pinNote"].IsString && d["pinNote"].AsString.Length > 0 ? d["pinNote"].AsString : null)
        : null;

    private static BsonDocument StreamDoc(StreamRef r) => new()
    {
        ["score"] = r.Root.ToString(), ["depth"] = (int)r.Depth, ["length"] = r.Length,
    };

    private static StreamRef StreamFrom(BsonValue d) => d.IsDocument
        ? new StreamRef(Score.Parse(d["score"].AsString), (byte)d["depth"].AsInt32, d["length"].AsInt64)
        : StreamRef.Empty;

    // The root directory "/" has no directory entry, so its whole node lives here, xattrs (ACLs) included.
    private static BsonDocument NodeDoc(Node n) => new()
    {
        ["content"] = StreamDoc(n.Content), ["mode"] = (long)n.Mode, ["uid"] = (long)n.Uid, ["gid"] = (long)n.Gid,
        ["mtime"] = n.MTimeNs, ["ctime"] = n.CTimeNs, ["size"] = n.Size,
        ["blocks"] = n.Blocks, ["nlink"] = (long)n.NLink, ["flags"] = (int)n.Flags,
        ["xattrs"] = new BsonArray(n.Xattrs.Select(x => (BsonValue)new BsonDocument { ["k"] = x.Key, ["v"] = x.Value })),
    };

    // Records written before blocks, nlink, flags and xattrs were kept read as 0, 1, none and none.
    private static Node NodeFrom(BsonValue d) => new()
    {
        Name = "/"u8.ToArray(), Kind = FileKind.Directory, Content = StreamFrom(d["content"]),
        Mode = (uint)d["mode"].AsInt64, Uid = (uint)d["uid"].AsInt64, Gid = (uint)d["gid"].AsInt64,
        MTimeNs = d["mtime"].AsInt64, CTimeNs = d["ctime"].AsInt64, Size = d["size"].AsInt64,
        Blocks = d["blocks"].IsNull ? 0 : d["blocks"].AsInt64,
        NLink = d["nlink"].IsNull ? 1 : (ulong)d["nlink"].AsInt64,
        Flags = d["flags"].IsNull ? NodeFlags.None : (NodeFlags)d["flags"].AsInt32,
        Xattrs = d["xattrs"].IsArray
            ? d["xattrs"].AsArray.Select(x => KeyValuePair.Create(x["k"].AsBinary, x["v"].AsBinary)).ToList()
            : [],
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
            Stats = StatsFrom(st, d["method"].AsString),
            Complete = d["complete"].AsBoolean,
            Method = d["method"].AsString,
            MethodReason = d["reason"].AsString is { Length: > 0 } r ? r : null,
            ChangedPaths = StreamFrom(d["changed"]),
            ChangedCount = d["changedCount"].IsNull ? -1 : d["changedCount"].AsInt64,
            ChangedSince = d["changedSince"].IsNull ? -1 : d["changedSince"].AsInt64,
            JournalCut = d["journalCut"].IsNull ? -1 : d["journalCut"].AsInt64,
            JournalId = d["journalId"].IsNull || d["journalId"].AsString.Length == 0 ? null : d["journalId"].AsString,
            Pin = PinFrom(d),
            Note = d["note"].IsString && d["note"].AsString.Length > 0 ? d["note"].AsString : null,
            PreId = d["preId"].IsNull ? 0 : d["preId"].AsInt64,
            Host = d["host"].IsString ? d["host"].AsString : null,
        };
    }

    // Records from before "visitedFiles" stored what the snapshot visited as its files, dirs and bytes: the totals for a
    // walk, but only the changes for a journal snapshot, whose totals are then unknown (-1).
    private static SnapshotStats StatsFrom(BsonValue st, string method)
    {
        bool old = st["visitedFiles"].IsNull;
        bool unknown = old && method != "walk";
        var stats = new SnapshotStats
        {
            Files = unknown ? -1 : st["files"].AsInt64, Directories = unknown ? -1 : st["dirs"].AsInt64,
            LogicalBytes = unknown ? -1 : st["logical"].AsInt64, TotalsCounted = !old && st["counted"].AsBoolean,
            VisitedFiles = old ? st["files"].AsInt64 : st["visitedFiles"].AsInt64,
            VisitedDirectories = old ? st["dirs"].AsInt64 : st["visitedDirs"].AsInt64,
            BytesRead = st["read"].AsInt64, NewBlocks = st["newBlocks"].AsInt64, NewBytes = st["newBytes"].AsInt64,
            StoredBytes = st["stored"].AsInt64, DurationMs = st["ms"].AsInt64, Errors = st["errors"].AsInt64,
        };
        if (st["reads"] is not { IsDocument: true } r) return stats; // recorded before reads were counted
        return stats with
        {
            WholeFiles = r["wholeFiles"].AsInt64, WholeBytes = r["wholeBytes"].AsInt64, RangeFiles = r["rangeFiles"].AsInt64,
            RangeFileBytes = r["rangeFileBytes"].AsInt64, RangeBytesRead = r["rangeRead"].AsInt64, ReusedFiles = r["reusedFiles"].AsInt64,
        };
    }

    public void Dispose()
    {
        if (!_abandoned) _db.Dispose();
    }
}
