using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace ClusterPS.Npz
{
    /// <summary>
    /// The header of one .npy array: magic, version, and the Python-literal dict with
    /// 'descr', 'fortran_order' and 'shape'. Versions 1.0, 2.0 and 3.0 are read.
    /// </summary>
    internal sealed class NpyHeader
    {
        public const int MaxHeaderBytes = 10_000;
        public const int PreambleBytes = 12; // magic (6) + version (2) + the 4-byte length of v2/v3

        private NpyHeader(NpyDType dtype, bool fortranOrder, long[] shape, int totalLength)
        {
            DType = dtype;
            FortranOrder = fortranOrder;
            Shape = shape;
            TotalLength = totalLength;
        }

        public NpyDType DType { get; }
        public bool FortranOrder { get; }
        /// <summary>The dimensions. A parsed header is shared by every read of the same header bytes: not to be written to.</summary>
        public long[] Shape { get; }

        /// <summary>Bytes from the start of the member to the first data byte.</summary>
        public int TotalLength { get; }

        /// <summary>product(shape) × itemsize; validated to fit in a long.</summary>
        public long DataLength
        {
            get
            {
                long n = DType.ItemSize;
                foreach (long d in Shape) n *= d;
                return n;
            }
        }

        public string ShapeText => "(" + string.Join(", ", Shape) + (Shape.Length == 1 ? ",)" : ")");

        /// <summary>How many bytes the preamble says the whole header occupies, given its first bytes.</summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        public static int ReadTotalLength(ReadOnlySpan<byte> start, string path, string member)
        {
            if (start.Length < 10 || start[0] != 0x93 || start[1] != (byte)'N' || start[2] != (byte)'U'
                || start[3] != (byte)'M' || start[4] != (byte)'P' || start[5] != (byte)'Y')
            {
                throw Error(path, member, "it does not start with the NumPy magic string");
            }

            byte major = start[6];
            long headerLength;
            int preamble;
            if (start[7] != 0)
            {
                throw Error(path, member, $"NPY format version {major}.{start[7]} is not supported (1.0, 2.0 and 3.0 are)");
            }

            switch (major)
            {
                case 1:
                    headerLength = start[8] | (start[9] << 8);
                    preamble = 10;
                    break;
                case 2:
                case 3:
                    if (start.Length < 12) throw Error(path, member, "the header is cut short");
                    headerLength = (uint)(start[8] | (start[9] << 8) | (start[10] << 16) | (start[11] << 24));
                    preamble = 12;
                    break;
                default:
                    throw Error(path, member, $"NPY format version {major}.{start[7]} is not supported (1.0, 2.0 and 3.0 are)");
            }

            if (headerLength > MaxHeaderBytes)
            {
                throw Error(path, member, $"the header claims {headerLength:N0} bytes; headers over {MaxHeaderBytes:N0} bytes are refused");
            }

            return preamble + (int)headerLength;
        }

        /// <summary>How many parsed headers each thread remembers: a batch file's two arrays, and room for a second kind of file.</summary>
        private const int RecentHeaders = 4;

        /// <summary>
        /// The headers this thread parsed last, with their bytes. The files of a dataset repeat the
        /// same few headers byte for byte, and a header is a pure function of its bytes (path and
        /// member only name a failure, which is never remembered), so a header seen before is not
        /// parsed again. Measured: parsing the two headers of a batch file took about 4 µs, a tenth
        /// of the statistics' time per stored file.
        /// </summary>
        [ThreadStatic]
        private static KeyValuePair<byte[], NpyHeader>[]? s_recent;

        /// <summary>Parses a complete header (preamble and dict text); a header this thread parsed recently is returned again.</summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        public static NpyHeader Parse(ReadOnlySpan<byte> header, string path, string member)
        {
            int total = ReadTotalLength(header, path, member);
            if (header.Length < total) throw Error(path, member, "the header is cut short");

            ReadOnlySpan<byte> bytes = header.Slice(0, total);
            KeyValuePair<byte[], NpyHeader>[] recent = s_recent ??= new KeyValuePair<byte[], NpyHeader>[RecentHeaders];
            for (int i = 0; i < recent.Length && recent[i].Key != null; i++)
            {
                if (bytes.SequenceEqual(recent[i].Key)) return recent[i].Value;
            }

            NpyHeader parsed = ParseNew(bytes, total, path, member);
            Array.Copy(recent, 0, recent, 1, recent.Length - 1);
            recent[0] = new KeyValuePair<byte[], NpyHeader>(bytes.ToArray(), parsed);
            return parsed;
        }

        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        private static NpyHeader ParseNew(ReadOnlySpan<byte> header, int total, string path, string member)
        {
            int preamble = header[6] == 1 ? 10 : 12;
            byte[] textBytes = header.Slice(preamble, total - preamble).ToArray();
            string text = header[6] == 3 ? Encoding.UTF8.GetString(textBytes) : Latin1(textBytes);

            Dictionary<string, object?> dict;
            try
            {
                dict = new LiteralParser(text).ParseDict();
            }
            catch (FormatException ex)
            {
                throw Error(path, member, "the header is not a valid Python dict literal (" + ex.Message + ")");
            }
            catch (OverflowException ex)
            {
                throw new NpzFormatException(path, NpzErrorCode.InvalidShape, $"'{member}' has the number {ex.Message} in its header, too large to be a dimension");
            }

            if (!dict.TryGetValue("descr", out object? descrValue)) throw Error(path, member, "the header has no 'descr' key");
            if (!dict.TryGetValue("fortran_order", out object? fortranValue)) throw Error(path, member, "the header has no 'fortran_order' key");
            if (!dict.TryGetValue("shape", out object? shapeValue)) throw Error(path, member, "the header has no 'shape' key");

            if (descrValue is List<object?>)
            {
                throw new NpzFormatException(path, NpzErrorCode.UnsupportedDType,
                    $"'{member}' has a structured dtype; only plain numeric arrays are supported");
            }

            if (!(descrValue is string descr)) throw Error(path, member, "'descr' is not a dtype string");

            if (!NpyDType.TryParse(descr, out NpyDType dtype, out string reason))
            {
                throw new NpzFormatException(path, NpzErrorCode.UnsupportedDType, $"'{member}': {reason}");
            }

            if (!(fortranValue is bool fortran)) throw Error(path, member, "'fortran_order' is not True or False");
            if (!(shapeValue is List<object?> dims)) throw Error(path, member, "'shape' is not a tuple");

            var shape = new long[dims.Count];
            // Like NumPy, the product of the non-zero dimensions (times the item size) must fit, even when
            // another dimension is 0: (0, 2**62) is no more an array than (1, 2**62), and the per-row
            // products the readers compute (row elements, row bytes) must never overflow.
            long product = dtype.ItemSize;
            for (int i = 0; i < dims.Count; i++)
            {
                if (!(dims[i] is long d)) throw Error(path, member, "'shape' holds something other than integers");
                if (d < 0)
                {
                    throw new NpzFormatException(path, NpzErrorCode.InvalidShape, $"'{member}' has a negative dimension in shape {FormatShape(dims)}");
                }

                shape[i] = d;
                if (d == 0) continue;
                if (product > long.MaxValue / d)
                {
                    throw new NpzFormatException(path, NpzErrorCode.InvalidShape, $"'{member}' has shape {FormatShape(dims)}, which is too large to exist");
                }

                product *= d;
            }

            return new NpyHeader(dtype, fortran, shape, total);
        }

        private static string FormatShape(List<object?> dims) => "(" + string.Join(", ", dims) + ")";

        private static string Latin1(byte[] bytes)
        {
            var chars = new char[bytes.Length];
            for (int i = 0; i < bytes.Length; i++) chars[i] = (char)bytes[i];
            return new string(chars);
        }

        private static NpzFormatException Error(string path, string member, string reason) =>
            new NpzFormatException(path, NpzErrorCode.InvalidNpyHeader, $"the NPY header of '{member}' is invalid: {reason}");

        /// <summary>
        /// A parser for the small subset of Python literals NumPy writes: a dict of string keys whose
        /// values are strings, True/False, integers (optionally with an L suffix) and tuples/lists of those.
        /// </summary>
        private sealed class LiteralParser
        {
            private const int MaxDepth = 8;
            private readonly string _text;
            private int _pos;
            private int _depth;

            public LiteralParser(string text) => _text = text;

            [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
            public Dictionary<string, object?> ParseDict()
            {
                SkipSpace();
                Expect('{');
                var dict = new Dictionary<string, object?>(StringComparer.Ordinal);
                while (true)
                {
                    SkipSpace();
                    if (Peek() == '}') { _pos++; break; }
                    if (!(ParseValue() is string key)) throw new FormatException("a key is not a string");
                    SkipSpace();
                    Expect(':');
                    object? value = ParseValue();
                    if (dict.ContainsKey(key)) throw new FormatException($"the key '{key}' appears twice");
                    dict[key] = value;
                    SkipSpace();
                    char c = Next();
                    if (c == '}') break;
                    if (c != ',') throw new FormatException($"expected ',' or '}}' at position {_pos - 1}");
                }

                SkipSpace();
                if (_pos != _text.Length) throw new FormatException("text follows the closing brace");
                return dict;
            }

            [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
            private object? ParseValue()
            {
                SkipSpace();
                char c = Peek();
                switch (c)
                {
                    case '\'':
                    case '"':
                        return ParseString();
                    case '(':
                    case '[':
                        return ParseSequence(c == '(' ? ')' : ']');
                    default:
                        if (c == '-' || IsAsciiDigit(c)) return ParseInteger();
                        if (Word("True")) return true;
                        if (Word("False")) return false;
                        if (Word("None")) return null;
                        throw new FormatException($"unexpected '{c}' at position {_pos}");
                }
            }

            [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
            private List<object?> ParseSequence(char close)
            {
                if (++_depth > MaxDepth) throw new FormatException("nesting is too deep");
                _pos++;
                var items = new List<object?>();
                while (true)
                {
                    SkipSpace();
                    if (Peek() == close) { _pos++; break; }
                    items.Add(ParseValue());
                    SkipSpace();
                    char c = Next();
                    if (c == close) break;
                    if (c != ',') throw new FormatException($"expected ',' or '{close}' at position {_pos - 1}");
                }

                _depth--;
                return items;
            }

            [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
            private string ParseString()
            {
                char quote = Next();
                var sb = new StringBuilder();
                while (true)
                {
                    char c = Next();
                    if (c == quote) return sb.ToString();
                    if (c == '\\') c = Next();
                    sb.Append(c);
                }
            }

            private static bool IsAsciiDigit(char c) => c >= '0' && c <= '9';

            [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
            private long ParseInteger()
            {
                int start = _pos;
                if (Peek() == '-') _pos++;
                // ASCII digits only: char.IsDigit also takes other scripts' digits (a v3 header is UTF-8),
                // which long.TryParse then refuses as if the number were out of range.
                while (_pos < _text.Length && IsAsciiDigit(_text[_pos])) _pos++;
                string digits = _text.Substring(start, _pos - start);
                if (_pos < _text.Length && (_text[_pos] == 'L' || _text[_pos] == 'l')) _pos++;
                if (!long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
                {
                    throw digits.TrimStart('-').Length > 0
                        ? new OverflowException(digits)
                        : new FormatException($"expected digits at position {start}");
                }

                return value;
            }

            [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
            private bool Word(string word)
            {
                if (string.CompareOrdinal(_text, _pos, word, 0, word.Length) != 0) return false;
                _pos += word.Length;
                return true;
            }

            [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
            private void SkipSpace()
            {
                while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos])) _pos++;
            }

            private char Peek() => _pos < _text.Length ? _text[_pos] : throw new FormatException("the text ends early");

            [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
            private char Next()
            {
                char c = Peek();
                _pos++;
                return c;
            }

            [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
            private void Expect(char c)
            {
                if (Next() != c) throw new FormatException($"expected '{c}' at position {_pos - 1}");
            }
        }
    }
}
