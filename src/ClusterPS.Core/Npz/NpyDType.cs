using System;
using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace ClusterPS.Npz
{
    /// <summary>The element types ClusterPS converts to float32: floats, signed and unsigned integers, bool.</summary>
    internal enum NpyKind { Float, Int, UInt, Bool }

    /// <summary>A parsed NumPy dtype string such as '&lt;f4', '&gt;i2' or '|u1'.</summary>
    internal readonly struct NpyDType
    {
        private NpyDType(NpyKind kind, int size, bool bigEndian, string descr)
        {
            Kind = kind;
            ItemSize = size;
            BigEndian = bigEndian;
            Descr = descr;
        }

        public NpyKind Kind { get; }
        public int ItemSize { get; }
        public bool BigEndian { get; }
        public string Descr { get; }

        /// <summary>True when the bytes already are float32 in this machine's byte order.</summary>
        public bool IsNativeFloat32 => Kind == NpyKind.Float && ItemSize == 4 && BigEndian != BitConverter.IsLittleEndian;

        /// <summary>Parses a descr, or returns a user-facing reason why it is not supported.</summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        public static bool TryParse(string descr, out NpyDType dtype, out string reason)
        {
            dtype = default;
            reason = "";
            if (descr.Length < 2)
            {
                reason = $"the dtype '{descr}' is not a NumPy type string";
                return false;
            }

            char order = descr[0];
            string rest = descr.Substring(1);
            if (order != '<' && order != '>' && order != '|' && order != '=')
            {
                order = '|';
                rest = descr;
            }

            char kindChar = rest[0];
            if (kindChar == 'O')
            {
                reason = "the array holds Python objects (dtype 'O'); ClusterPS never unpickles data";
                return false;
            }

            if (!int.TryParse(rest.Substring(1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int size))
            {
                reason = $"the dtype '{descr}' is not supported (expected float, integer or bool)";
                return false;
            }

            NpyKind kind;
            switch (kindChar)
            {
                case 'f' when size == 2 || size == 4 || size == 8: kind = NpyKind.Float; break;
                case 'i' when size == 1 || size == 2 || size == 4 || size == 8: kind = NpyKind.Int; break;
                case 'u' when size == 1 || size == 2 || size == 4 || size == 8: kind = NpyKind.UInt; break;
                case 'b' when size == 1: kind = NpyKind.Bool; break;
                default:
                    reason = $"the dtype '{descr}' is not supported (expected float, integer or bool)";
                    return false;
            }

            bool bigEndian = order == '>' || (order == '=' && !BitConverter.IsLittleEndian);
            dtype = new NpyDType(kind, size, bigEndian, descr);
            return true;
        }

        /// <summary>Converts <paramref name="source"/> (whole elements of this dtype) into float32 values.</summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        public void ConvertToSingle(ReadOnlySpan<byte> source, Span<float> destination)
        {
            int count = source.Length / ItemSize;
            if (IsNativeFloat32)
            {
                MemoryMarshal.Cast<byte, float>(source.Slice(0, count * 4)).CopyTo(destination);
                return;
            }

            for (int i = 0; i < count; i++)
            {
                destination[i] = ReadElement(source.Slice(i * ItemSize, ItemSize));
            }
        }

        private float ReadElement(ReadOnlySpan<byte> b)
        {
            bool be = BigEndian;
            switch (Kind)
            {
                case NpyKind.Float:
                    switch (ItemSize)
                    {
                        case 2: return HalfToSingle(be ? BinaryPrimitives.ReadUInt16BigEndian(b) : BinaryPrimitives.ReadUInt16LittleEndian(b));
                        case 4: return Int32BitsToSingle(be ? BinaryPrimitives.ReadInt32BigEndian(b) : BinaryPrimitives.ReadInt32LittleEndian(b));
                        default: return (float)BitConverter.Int64BitsToDouble(be ? BinaryPrimitives.ReadInt64BigEndian(b) : BinaryPrimitives.ReadInt64LittleEndian(b));
                    }
                case NpyKind.Int:
                    switch (ItemSize)
                    {
                        case 1: return (sbyte)b[0];
                        case 2: return be ? BinaryPrimitives.ReadInt16BigEndian(b) : BinaryPrimitives.ReadInt16LittleEndian(b);
                        case 4: return be ? BinaryPrimitives.ReadInt32BigEndian(b) : BinaryPrimitives.ReadInt32LittleEndian(b);
                        default: return be ? BinaryPrimitives.ReadInt64BigEndian(b) : BinaryPrimitives.ReadInt64LittleEndian(b);
                    }
                case NpyKind.UInt:
                    switch (ItemSize)
                    {
                        case 1: return b[0];
                        case 2: return be ? BinaryPrimitives.ReadUInt16BigEndian(b) : BinaryPrimitives.ReadUInt16LittleEndian(b);
                        case 4: return be ? BinaryPrimitives.ReadUInt32BigEndian(b) : BinaryPrimitives.ReadUInt32LittleEndian(b);
                        default: return be ? BinaryPrimitives.ReadUInt64BigEndian(b) : BinaryPrimitives.ReadUInt64LittleEndian(b);
                    }
                default:
                    return b[0] != 0 ? 1f : 0f;
            }
        }

        private static unsafe float Int32BitsToSingle(int bits) => *(float*)&bits;

        private static float HalfToSingle(ushort h)
        {
            int sign = (h >> 15) & 1;
            int exp = (h >> 10) & 0x1F;
            int mant = h & 0x3FF;
            float value;
            if (exp == 0) value = mant * (1f / 16777216f);            // subnormal: mant * 2^-24
            else if (exp == 31) value = mant == 0 ? float.PositiveInfinity : float.NaN;
            else value = (1f + mant / 1024f) * (float)Math.Pow(2, exp - 15);
            return sign == 1 ? -value : value;
        }
    }
}
