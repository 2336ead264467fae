using System;
using System.Buffers;
using System.Runtime.InteropServices;

namespace ClusterPS.Npz
{
    /// <summary>
    /// One array of an .npz archive, read forward as float32 rows (a row is everything under the
    /// first index: one cluster's image, or one metadata row). Reads reuse internal buffers; a span
    /// returned by <see cref="ReadRows"/> is valid until the next call.
    /// </summary>
    internal sealed class NpyArray : IDisposable
    {
        private const int ChunkBytes = 1 << 16;

        private readonly MemberStream _stream;
        private readonly string _path;
        private byte[] _raw = Array.Empty<byte>();
        private float[] _converted = Array.Empty<float>();
        private float[]? _whole; // Fortran-order arrays, transposed once to C order
        private long _row;

        private NpyArray(string path, string member, NpyHeader header, MemberStream stream)
        {
            _path = path;
            Member = member;
            Header = header;
            _stream = stream;
            Rows = header.Shape.Length == 0 ? 1 : header.Shape[0];
            long rowElements = 1;
            for (int i = 1; i < header.Shape.Length; i++) rowElements *= header.Shape[i];
            RowElements = rowElements;
        }

        public string Member { get; }
        public NpyHeader Header { get; }
        public long Rows { get; }
        public long RowElements { get; }
        private long RowBytes => RowElements * Header.DType.ItemSize;

        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        public static NpyArray Open(NpzArchive archive, NpzMember member)
        {
            var stream = new MemberStream(archive, member);
            try
            {
                var start = new byte[(int)Math.Min(stream.Length, NpyHeader.PreambleBytes)];
                stream.ReadExactly(start, 0, start.Length);
                int total = NpyHeader.ReadTotalLength(start, archive.Path, member.Name);
                if (total > stream.Length)
                {
                    throw new NpzFormatException(archive.Path, NpzErrorCode.InvalidNpyHeader,
                        $"the NPY header of '{member.Name}' claims {total:N0} bytes, more than the member's {stream.Length:N0}");
                }

                // A header length under 2 makes the header end inside the 12 bytes already read: it
                // cannot hold a dict, so Parse refuses it (before the misplaced position matters).
                var header = new byte[total];
                int known = Math.Min(start.Length, total);
                Buffer.BlockCopy(start, 0, header, 0, known);
                stream.ReadExactly(header, known, total - known);
                NpyHeader parsed = NpyHeader.Parse(header, archive.Path, member.Name);

                long payload = stream.Length - total;
                if (parsed.DataLength != payload)
                {
                    throw new NpzFormatException(archive.Path, NpzErrorCode.SizeMismatch,
                        $"'{member.ArrayName}' has shape {parsed.ShapeText} of dtype '{parsed.DType.Descr}', which needs {parsed.DataLength:N0} bytes, but the member holds {payload:N0}");
                }

                return new NpyArray(archive.Path, member.ArrayName, parsed, stream);
            }
            catch
            {
                stream.Dispose();
                throw;
            }
        }

        /// <summary>
        /// The whole array as C-order float32 values, in a new array, or in one that
        /// <paramref name="allocate"/> gives for the element count (it may be longer, as a pooled one is).
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        public float[] ReadAll(Func<int, float[]>? allocate = null)
        {
            float[] values = ReadAllValues(allocate);
            _row = Rows;
            return values;
        }

        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        private float[] ReadAllValues(Func<int, float[]>? allocate = null)
        {
            long count = Rows * RowElements;
            if (count > int.MaxValue / 4)
            {
                throw new NpzFormatException(_path, NpzErrorCode.InvalidShape,
                    $"'{Member}' has shape {Header.ShapeText}, too large to read into memory at once");
            }

            // Fortran order is transposed into a new array of its own.
            float[] values = allocate == null || Header.FortranOrder ? new float[count] : allocate((int)count);
            int itemSize = Header.DType.ItemSize;
            long bytes = count * itemSize;
            if (bytes <= int.MaxValue && _stream.TryReadCached((int)bytes, out ReadOnlySpan<byte> cached))
            {
                Header.DType.ConvertToSingle(cached, new Span<float>(values, 0, (int)count));
            }
            else
            {
                int chunkElements = Math.Max(1, ChunkBytes / itemSize);
                EnsureRaw(chunkElements * itemSize);
                for (long done = 0; done < count; done += chunkElements)
                {
                    int n = (int)Math.Min(chunkElements, count - done);
                    _stream.ReadExactly(_raw, 0, n * itemSize);
                    Header.DType.ConvertToSingle(new ReadOnlySpan<byte>(_raw, 0, n * itemSize), new Span<float>(values, (int)done, n));
                }
            }

            _stream.VerifyEnd();
            return Header.FortranOrder ? ToCOrder(values, Header.Shape) : values;
        }

        /// <summary>The next <paramref name="count"/> rows, as a view into a reused buffer.</summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        public ReadOnlySpan<float> ReadRows(int count)
        {
            CheckRange(count);
            int elements = checked((int)(count * RowElements));
            if (Header.FortranOrder)
            {
                _whole ??= ReadAllValues();
                var view = new ReadOnlySpan<float>(_whole, (int)(_row * RowElements), elements);
                _row += count;
                return view;
            }

            int bytes = checked((int)(count * RowBytes));
            EnsureRaw(bytes);
            _stream.ReadExactly(_raw, 0, bytes);
            _row += count;
            if (_row == Rows) _stream.VerifyEnd();
            if (Header.DType.IsNativeFloat32)
            {
                return MemoryMarshal.Cast<byte, float>(new ReadOnlySpan<byte>(_raw, 0, bytes));
            }

            if (_converted.Length < elements)
            {
                Release(_converted);
                _converted = ArrayPool<float>.Shared.Rent(elements);
            }

            Header.DType.ConvertToSingle(new ReadOnlySpan<byte>(_raw, 0, bytes), _converted);
            return new ReadOnlySpan<float>(_converted, 0, elements);
        }

        /// <summary>Moves past rows without converting them.</summary>
        public void SkipRows(long count)
        {
            CheckRange(count);
            if (!Header.FortranOrder) _stream.Skip(count * RowBytes);
            _row += count;
            if (_row == Rows && !Header.FortranOrder) _stream.VerifyEnd();
        }

        /// <summary>Reads every remaining byte, so that the whole member's CRC-32 is checked (the audit's way to end).</summary>
        public void ReadToEnd()
        {
            if (Header.FortranOrder) _whole ??= ReadAllValues();
            else _stream.ReadThrough((Rows - _row) * RowBytes);
            _row = Rows;
            _stream.VerifyEnd();
        }

        /// <summary>Closes the member and returns the read buffers to the shared pool.</summary>
        public void Dispose()
        {
            _stream.Dispose();
            Release(_raw);
            Release(_converted);
            _raw = Array.Empty<byte>();
            _converted = Array.Empty<float>();
        }

        private void CheckRange(long count)
        {
            if (count < 0 || count > Rows - _row) throw new ArgumentOutOfRangeException(nameof(count));
        }

        private void EnsureRaw(int bytes)
        {
            // Pooled: every image read needs a buffer of up to half a megabyte, and allocating one
            // per file filled the large-object heap faster than gen-2 collections emptied it.
            if (_raw.Length >= bytes) return;
            Release(_raw);
            _raw = ArrayPool<byte>.Shared.Rent(bytes);
        }

        private static void Release<T>(T[] pooled)
        {
            if (pooled.Length > 0) ArrayPool<T>.Shared.Return(pooled);
        }

        /// <summary>Reorders a Fortran-order (column-major) array into C order.</summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        private static float[] ToCOrder(float[] f, long[] shape)
        {
            int rank = shape.Length;
            if (rank < 2) return f;
            var c = new float[f.Length];
            var index = new long[rank];
            // Walk C order; the Fortran offset has strides 1, d0, d0*d1, ...
            var fStride = new long[rank];
            fStride[0] = 1;
            for (int k = 1; k < rank; k++) fStride[k] = fStride[k - 1] * shape[k - 1];
            for (int i = 0; i < c.Length; i++)
            {
                long off = 0;
                for (int k = 0; k < rank; k++) off += index[k] * fStride[k];
                c[i] = f[off];
                for (int k = rank - 1; k >= 0; k--)
                {
                    if (++index[k] < shape[k]) break;
                    index[k] = 0;
                }
            }

            return c;
        }
    }
}
