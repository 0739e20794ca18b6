// Stores a file's new content by reading only what changed since its previous stream: the changed ranges, plus what
// content-defined chunking needs around them to fall back onto the old chunk boundaries. The stream is the one
// FileChunker gives reading the whole file now (same score), since both cut each current data extent the same way.
using System.Buffers;
using Microsoft.Win32.SafeHandles;
using TimeTravel.Store.Arenas;
using TimeTravel.Store.Chunking;
using TimeTravel.Store.Posix;

namespace TimeTravel.Store.Trees;

/// <param name="reader">Reads the previous streams' pointer blocks.</param>
public sealed class RangeChunker(BlockStore store, StreamReader reader, ChunkerParameters parameters)
{
    // Past the point where an old chunk could be taken over again, bytes are read a page at a time: the next cut
    // usually comes within a few pages, and a full window would read up to the maximum chunk size for nothing.
    private const int StepRead = 4096;

    private readonly FastCdc _cdc = new(parameters);
    private readonly BlockStore _store = store;

    /// <summary>
    /// The stream FileChunker.Write(file, size, ...) would give now, reading only what `changes` and chunk
    /// resynchronisation need; `previous` is the file's stream in the previous snapshot, written by FileChunker or
    /// RangeChunker with the same parameters. New chunks go through store.Put. Returns the bytes actually read.
    /// </summary>
    public (StreamRef Stream, long BytesRead) Write(SafeFileHandle file, long size, StreamRef previous, ChangedRanges changes,
        byte[] pathForErrors, Action<long>? progress = null)
    {
        CheckRanges(changes, pathForErrors);
        var pass = new Pass(this, file, pathForErrors, progress, PreviousChunks.Load(reader, previous, changes, parameters));
        try { return (pass.Run(size), pass.BytesRead); }
        finally { pass.Dispose(); }
    }

    private static void CheckRanges(ChangedRanges changes, byte[] path)
    {
        long end = 0;
        for (int i = 0; i < changes.Ranges.Count; i++)
        {
            var r = changes.Ranges[i];
            if (r.Offset < 0 || r.Length <= 0 || r.Offset < end || r.End < r.Offset)
                throw new ArgumentException($"{PathBytes.Display(path)}: changed range {i} [{r.Offset}, +{r.Length}) is empty, negative, " +
                    "overlaps or precedes the one before it: ranges must be sorted, disjoint and non-empty", nameof(changes));
            end = r.End;
        }
        if (changes.MinSize < 0) throw new ArgumentException($"{PathBytes.Display(path)}: changed ranges' MinSize {changes.MinSize} is negative", nameof(changes));
    }

    // One Write: the builder, the read buffer and the old chunks' cursor.
    private sealed class Pass(RangeChunker owner, SafeFileHandle file, byte[] path, Action<long>? progress, PreviousChunks old) : IDisposable
    {
        private readonly StreamBuilder _builder = new(owner._store);
        private readonly FastCdc _cdc = owner._cdc;
        private readonly int _capacity = Math.Max(4 << 20, owner._cdc.MaxSize * 2);
        private byte[]? _buf;

        public long BytesRead { get; private set; }

        // One spare byte past the capacity: CutBefore's probe byte.
        private byte[] Buffer => _buf ??= ArrayPool<byte>.Shared.Rent(_capacity + 1);

        public StreamRef Run(long size)
        {
            // The extents first: ext4 reports allocated but unwritten blocks as data once their pages are cached, so
            // the read-ahead below would change what a whole read sees now.
            var extents = PosixFs.DataExtents(file, size);
            // Ask for every changed span at once: the disk serves them in parallel instead of one seek after another
            // as the pass reaches each. The pass reads a page or so past each span to find its cut.
            foreach (var (offset, length) in old.ChangedSpans())
                if (offset < size) PosixFs.WillNeed(file, offset, Math.Min(length + StepRead, size - offset));
            foreach (var (extOffset, extLength) in extents)
            {
                _builder.AddHole(extOffset - _builder.Length);
                long pos = extOffset, end = extOffset + extLength;
                while (pos < end)
                {
                    if (old.TryReuse(pos, end, out var score, out int length)) { _builder.AddData(score, length); pos += length; }
                    else pos = ReadAndCut(pos, ref end);
                }
            }
            _builder.AddHole(size - _builder.Length);
            return _builder.Finish();
        }

        /// <summary>
        /// Reads and cuts from `from` (a cut of the new chunking where no old chunk can be reused) until a cut lands where
        /// one can, or the extent ends; returns that cut. `extentEnd` shrinks when the file turns out shorter.
        /// </summary>
        private long ReadAndCut(long from, ref long extentEnd)
        {
            byte[] buf = Buffer;
            long bufStart = from;      // file offset of buf[0]
            int start = 0, filled = 0; // buf[start] is at the current cut; buf[..filled] holds the bytes read
            long target = old.NextReusableStart(from + 1, extentEnd);
            while (true)
            {
                long cut = bufStart + start;
                if (cut > target) target = old.NextReusableStart(cut, extentEnd);
                if (cut == target || cut == extentEnd) return cut;

                int avail = filled - start;
                long readEnd = bufStart + filled;
                int length = avail >= _cdc.MaxSize || (avail > 0 && readEnd == extentEnd)
                    ? _cdc.NextCut(buf.AsSpan(start, avail)) // the window is complete: the cut is final
                    : CutBefore(buf, start, filled);
                if (length > 0)
                {
                    _builder.AddData(owner._store.Put(buf.AsSpan(start, length), BlockType.Data), length);
                    start += length;
                    continue;
                }

                if (filled == _capacity)
                {
                    System.Buffer.BlockCopy(buf, start, buf, 0, avail);
                    bufStart += start; filled = avail; start = 0;
                }
                // Everything before the next reusable chunk must be read anyway, so read up to it in large reads.
                long want = Math.Min(readEnd < target ? target - readEnd : StepRead, Math.Min(extentEnd - readEnd, _capacity - filled));
                int n = Read(buf.AsSpan(filled, (int)want), readEnd);
                if (n == 0) { extentEnd = readEnd; continue; } // shrank while being read; the caller's stat check notices
                filled += n;
                if (readEnd + n < target) PosixFs.WillNeed(file, readEnd + n, Math.Min(target - readEnd - n, _capacity));
            }
        }

        /// <summary>
        /// The length of the chunk at buf[start] if its cut falls within buf[start..filled] whatever bytes follow, else 0.
        /// NextCut over the bytes plus one probe byte finds a cut at or before `filled` only where the hash matched on the
        /// bytes read (the probe cannot change that: it comes after), and with the same size masks as on the longer
        /// window, since the masks switch at min(average, window) and that is past any such cut. A window that ends
        /// exactly on a cut is thus known without reading a byte further.
        /// </summary>
        private int CutBefore(byte[] buf, int start, int filled)
        {
            int avail = filled - start;
            if (avail == 0) return 0;
            buf[filled] = 0;
            int cut = _cdc.NextCut(buf.AsSpan(start, avail + 1));
            return cut <= avail ? cut : 0;
        }

        private int Read(Span<byte> into, long offset)
        {
            int n;
            try { n = RandomAccess.Read(file, into, offset); }
            catch (IOException e) { throw new IOException($"{PathBytes.Display(path)}: read failed at offset {offset}: {e.Message}", e); }
            BytesRead += n;
            if (n > 0) progress?.Invoke(n);
            return n;
        }

        public void Dispose()
        {
            if (_buf is not null) ArrayPool<byte>.Shared.Return(_buf);
        }
    }
}
