using System;
using System.IO;
using System.IO.Compression;
using ClusterPS.Codecs;

namespace ClusterPS.Npz
{
    /// <summary>
    /// The uncompressed bytes of one zip member, read forward: stored members by file offset,
    /// deflate members through an inflater that is never asked for more than the declared size.
    /// While every byte of the member passes through it (NPY header included) it computes their
    /// CRC-32 over the read buffer itself, and at the end checks it against the central directory,
    /// as NumPy's zipfile does. A stored member that skips bytes by seeking stops computing: a
    /// read of only some rows cannot be verified.
    /// </summary>
    internal sealed class MemberStream : IDisposable
    {
        private const uint LocalHeaderSignature = 0x04034b50;

        private readonly TailCachedStream _file;
        private readonly string _path;
        private readonly NpzMember _member;
        private readonly Stream? _inflater;
        private Crc32Accumulator? _crc;
        private long _filePosition; // stored members only
        private byte[]? _scratch;

        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        public MemberStream(NpzArchive archive, NpzMember member)
        {
            _file = archive.Stream;
            _path = archive.Path;
            _member = member;
            long dataOffset = FindData(archive, member);
            _filePosition = dataOffset;
            if (member.Deflated)
            {
                _inflater = new DeflateStream(new RegionStream(_file, dataOffset, member.CompressedSize), CompressionMode.Decompress);
            }

            _crc = new Crc32Accumulator();
        }

        /// <summary>Uncompressed bytes delivered so far.</summary>
        public long Position { get; private set; }

        public long Length => _member.Size;

        /// <summary>Fills <paramref name="buffer"/>[offset, offset+count) or throws: a member never ends early silently.</summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        public void ReadExactly(byte[] buffer, int offset, int count)
        {
            if (count > Length - Position)
            {
                throw new NpzFormatException(_path, NpzErrorCode.SizeMismatch,
                    $"the member '{_member.Name}' is shorter ({Length:N0} bytes) than its array header requires");
            }

            int done = 0;
            while (done < count)
            {
                int n;
                if (_inflater != null)
                {
                    n = Inflate(buffer, offset + done, count - done);
                    if (n == 0)
                    {
                        throw new NpzFormatException(_path, NpzErrorCode.CorruptData,
                            $"the compressed member '{_member.Name}' ends after {Position + done:N0} of its {Length:N0} bytes");
                    }
                }
                else
                {
                    n = ReadFile(buffer, offset + done, count - done);
                    if (n == 0)
                    {
                        throw new NpzFormatException(_path, NpzErrorCode.Truncated,
                            $"the member '{_member.Name}' runs past the end of the file; the file is cut short");
                    }

                    _filePosition += n;
                }

                done += n;
            }

            _crc?.Update(new ReadOnlySpan<byte>(buffer, offset, count));
            Position += count;
        }

        /// <summary>
        /// The next <paramref name="count"/> bytes without a copy, when the member is stored and they
        /// lie in the archive's cached tail (where NumPy puts the metadata): they count as read, CRC-32
        /// included. False, with nothing read, otherwise.
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        public bool TryReadCached(int count, out ReadOnlySpan<byte> bytes)
        {
            bytes = default;
            if (_inflater != null || count > Length - Position || _filePosition < _file.TailStart
                || _filePosition + count > _file.TailStart + _file.TailLength)
            {
                return false;
            }

            bytes = new ReadOnlySpan<byte>(_file.Tail, (int)(_filePosition - _file.TailStart), count);
            _crc?.Update(bytes);
            _filePosition += count;
            Position += count;
            return true;
        }

        /// <summary>Moves forward without delivering bytes (stored members seek and stop computing the CRC; deflate members inflate and drop).</summary>
        public void Skip(long count)
        {
            if (count == 0) return;
            if (_inflater == null)
            {
                _crc = null;
                if (count > Length - Position)
                {
                    throw new NpzFormatException(_path, NpzErrorCode.SizeMismatch,
                        $"the member '{_member.Name}' is shorter ({Length:N0} bytes) than its array header requires");
                }

                _filePosition += count;
                Position += count;
                return;
            }

            ReadThrough(count);
        }

        /// <summary>Reads and drops <paramref name="count"/> bytes, so that they count towards the CRC-32.</summary>
        public void ReadThrough(long count)
        {
            _scratch ??= new byte[81920];
            while (count > 0)
            {
                int n = (int)Math.Min(count, _scratch.Length);
                ReadExactly(_scratch, 0, n);
                count -= n;
            }
        }

        /// <summary>
        /// Called once every declared byte has been read: a deflate stream that would give more is a
        /// bomb or a lie, and when every byte passed through, the checksum must match the central directory.
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        public void VerifyEnd()
        {
            if (_inflater != null && Inflate(new byte[1], 0, 1) != 0)
            {
                throw new NpzFormatException(_path, NpzErrorCode.InflateLimit,
                    $"the compressed member '{_member.Name}' inflates past its declared {Length:N0} bytes");
            }

            if (_crc != null && Position == Length && _crc.Value != _member.Crc)
            {
                throw new NpzFormatException(_path, NpzErrorCode.ChecksumMismatch,
                    $"the member '{_member.Name}' fails its CRC-32 check (stored {_member.Crc:x8}, computed {_crc.Value:x8}); its bytes are damaged");
            }
        }

        public void Dispose() => _inflater?.Dispose();

        /// <summary>
        /// Reads from the inflater. Every row read (by the selector, the audit, the image loader) comes
        /// through here, outside <see cref="NpzArchive.Guard"/>, so a decoder failure (InvalidDataException
        /// for a corrupt deflate stream) or an I/O error is translated right here.
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        private int Inflate(byte[] buffer, int offset, int count)
        {
            try
            {
                return _inflater!.Read(buffer, offset, count);
            }
            catch (Exception ex) when (!(ex is NpzFormatException) && !(ex is OperationCanceledException) && !(ex is OutOfMemoryException))
            {
                throw ex is IOException && !(ex is EndOfStreamException)
                    ? NpzArchive.Translate(_path, ex)
                    : new NpzFormatException(_path, NpzErrorCode.CorruptData,
                        $"the deflate data of the compressed member '{_member.Name}' is corrupt", ex);
            }
        }

        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        private int ReadFile(byte[] buffer, int offset, int count)
        {
            try
            {
                if (_file.Position != _filePosition) _file.Seek(_filePosition, SeekOrigin.Begin);
                return _file.Read(buffer, offset, count);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is NotSupportedException)
            {
                throw NpzArchive.Translate(_path, ex);
            }
        }

        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        private static long FindData(NpzArchive archive, NpzMember member)
        {
            Stream file = archive.Stream;
            var header = new byte[30];
            if (NpzArchive.ReadAt(file, member.LocalHeaderOffset, header, header.Length) < header.Length) throw new EndOfStreamException();
            uint signature = (uint)(header[0] | header[1] << 8 | header[2] << 16 | header[3] << 24);
            if (signature != LocalHeaderSignature)
            {
                throw new NpzFormatException(archive.Path, NpzErrorCode.CorruptZip,
                    $"the local header of member '{member.Name}' is damaged (bad signature at offset {member.LocalHeaderOffset:N0})");
            }

            int nameLength = header[26] | header[27] << 8;
            int extraLength = header[28] | header[29] << 8;
            long dataOffset = member.LocalHeaderOffset + 30 + nameLength + extraLength;
            if (dataOffset + member.CompressedSize > file.Length)
            {
                throw new NpzFormatException(archive.Path, NpzErrorCode.Truncated,
                    $"the member '{member.Name}' runs past the end of the file ({file.Length:N0} bytes); the file is cut short");
            }

            return dataOffset;
        }

        /// <summary>
        /// A read-only window [offset, offset+length) of a file shared with other readers: the inflater's
        /// input. A read in the file's head takes only what the head already read holds, so the start
        /// of a compressed images member (its NPY header is all most reads need) comes from there, not
        /// from a read of the inflater's whole 8 KiB buffer.
        /// </summary>
        private sealed class RegionStream : Stream
        {
            private readonly TailCachedStream _file;
            private readonly long _end;
            private long _position;

            public RegionStream(TailCachedStream file, long offset, long length)
            {
                _file = file;
                _position = offset;
                _end = offset + length;
            }

            public override bool CanRead => true;
            public override bool CanSeek => false;
            public override bool CanWrite => false;
            public override long Length => throw new NotSupportedException();
            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

            public override int Read(byte[] buffer, int offset, int count)
            {
                count = (int)Math.Min(count, _end - _position);
                if (count <= 0) return 0;
                int inHead = _file.HeadBytesAt(_position);
                if (inHead > 0) count = Math.Min(count, inHead);
                if (_file.Position != _position) _file.Seek(_position, SeekOrigin.Begin);
                int n = _file.Read(buffer, offset, count);
                _position += n;
                return n;
            }

            public override void Flush() { }
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }
    }
}
