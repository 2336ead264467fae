using System;
using System.Buffers;
using System.IO;

namespace ClusterPS.Npz
{
    /// <summary>
    /// A read-only file stream that reads the file's tail on opening (and once more, wider, when
    /// the zip structures lie further back) and serves every later read in that range from memory;
    /// small reads in the first 4 KiB are served from one read of them. An .npz file keeps its end
    /// record, its zip64 records, its central directory and (as NumPy writes metadata last) the
    /// whole metadata member in the tail, and the images member's local and NPY headers in the
    /// first bytes, so opening a batch file and reading its metadata costs one read of the tail and
    /// one of the head, instead of a read per structure. Both buffers are pooled: the file stream
    /// itself is unbuffered.
    /// </summary>
    /// <remarks>
    /// The tail read takes as much as the last file this thread opened needed (<see cref="NeedTailFrom"/>),
    /// with room to spare, rather than the whole end-record search window of 64 KiB + 22 bytes: the
    /// files of a dataset are alike, and copying bytes from the page cache is most of what reading
    /// a stored file's metadata costs. The guess only decides what is cached: a file whose end
    /// record or central directory lies further back gets the whole window (<see cref="WidenTail"/>),
    /// and member bytes before the tail are read from the file.
    /// </remarks>
    internal sealed class TailCachedStream : Stream
    {
        /// <summary>The end record's search window: the 22-byte record plus the longest zip comment.</summary>
        public const int TailBytes = 22 + 0xFFFF;

        /// <summary>The head's size: the images member's local header and NPY header fit in it many times over.</summary>
        private const int HeadBytes = 4096;

        /// <summary>The least a first tail read takes: a central directory of a few members fits in it many times over.</summary>
        private const int MinTailBytes = 4096;

        /// <summary>How many bytes this thread's next first tail read takes: what its last file needed, and some (0: none opened yet, the whole window).</summary>
        [ThreadStatic]
        private static int s_tailGuess;

        /// <summary>This thread's guess for the next first tail read (tests set it to take the paths a smaller tail takes).</summary>
        internal static int TailGuess
        {
            get => s_tailGuess == 0 ? TailBytes : s_tailGuess;
            set => s_tailGuess = value;
        }

        private readonly FileStream _file;
        private byte[] _tail;
        private byte[]? _head;
        private int _headLength;
        private long _position;

        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        public TailCachedStream(FileStream file)
        {
            _file = file;
            Length = file.Length;
            _tail = Array.Empty<byte>();
            ReadTail((int)Math.Min(Length, Math.Max(MinTailBytes, TailGuess)));
        }

        /// <summary>Where the cached tail starts in the file.</summary>
        public long TailStart { get; private set; }

        public int TailLength { get; private set; }

        /// <summary>Whether the tail holds the whole end-record search window (the last 64 KiB + 22 bytes, or the whole file).</summary>
        public bool HoldsSearchWindow => TailLength == Math.Min(Length, TailBytes);

        /// <summary>Caches the whole end-record search window, when the first read took less.</summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        public void WidenTail()
        {
            if (HoldsSearchWindow) return;
            if (_tail.Length > 0) ArrayPool<byte>.Shared.Return(_tail);
            _tail = Array.Empty<byte>();
            ReadTail((int)Math.Min(Length, TailBytes));
        }

        /// <summary>
        /// Tells how much of its end this file needed cached: everything from <paramref name="offset"/>
        /// on (its last member and its central directory). The next file this thread opens reads that
        /// much (an eighth more, and 512 bytes, for a batch of a few more rows), up to the search window.
        /// </summary>
        public void NeedTailFrom(long offset)
        {
            long needed = Length - offset;
            if (needed >= 0) s_tailGuess = (int)Math.Min(TailBytes, needed + needed / 8 + 512);
        }

        /// <summary>How many bytes from <paramref name="position"/> on the head already read holds (before the tail); 0 when it holds none.</summary>
        public int HeadBytesAt(long position)
        {
            long end = Math.Min(_headLength, TailStart);
            return _head != null && position >= 0 && position < end ? (int)(end - position) : 0;
        }

        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        private void ReadTail(int size)
        {
            TailStart = Length - size;
            TailLength = 0;
            byte[] tail = ArrayPool<byte>.Shared.Rent(Math.Max(size, 1));
            try
            {
                if (NpzArchive.ReadAt(_file, TailStart, tail, size) < size) throw new EndOfStreamException();
            }
            catch
            {
                ArrayPool<byte>.Shared.Return(tail);
                throw;
            }

            _tail = tail;
            TailLength = size;
        }

        /// <summary>The cached tail: <see cref="TailLength"/> bytes from <see cref="TailStart"/>.</summary>
        public byte[] Tail => _tail;

        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length { get; }

        public override long Position
        {
            get => _position;
            set => _position = value;
        }

        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        public override int Read(byte[] buffer, int offset, int count)
        {
            if (count <= 0 || _position >= Length) return 0;
            int n;
            if (_position >= TailStart)
            {
                n = (int)Math.Min(count, Length - _position);
                Buffer.BlockCopy(_tail, (int)(_position - TailStart), buffer, offset, n);
            }
            else if (_position + count <= Math.Min(HeadBytes, TailStart))
            {
                n = ReadHead(buffer, offset, count);
            }
            else
            {
                if (_file.Position != _position) _file.Seek(_position, SeekOrigin.Begin);
                n = _file.Read(buffer, offset, count);
            }

            _position += n;
            return n;
        }

        /// <summary>A read that ends within the head (before the tail): served from the head, read once.</summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        private int ReadHead(byte[] buffer, int offset, int count)
        {
            if (_head == null)
            {
                _head = ArrayPool<byte>.Shared.Rent(HeadBytes);
                _headLength = NpzArchive.ReadAt(_file, 0, _head, (int)Math.Min(HeadBytes, TailStart));
            }

            int n = (int)Math.Max(0, Math.Min(count, _headLength - _position));
            Buffer.BlockCopy(_head, (int)_position, buffer, offset, n);
            return n;
        }

        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        public override int ReadByte()
        {
            if (_position < TailStart || _position >= Length) return base.ReadByte();
            return _tail[(int)(_position++ - TailStart)];
        }

        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        public override long Seek(long offset, SeekOrigin origin)
        {
            long target = origin == SeekOrigin.Begin ? offset : origin == SeekOrigin.Current ? _position + offset : Length + offset;
            if (target < 0) throw new IOException("An attempt was made to move the position before the beginning of the stream.");
            return _position = target;
        }

        public override void Flush() { }
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _file.Dispose();
                if (_tail.Length > 0) ArrayPool<byte>.Shared.Return(_tail);
                if (_head != null) ArrayPool<byte>.Shared.Return(_head);
                _tail = Array.Empty<byte>();
                _head = null;
            }

            base.Dispose(disposing);
        }
    }
}
