using System;
using System.Text;
using ClusterPS.Npz;
using Xunit;

namespace ClusterPS.Tests
{
    /// <summary>NPY header parsing (NpyHeader) and dtype strings (NpyDType) on bytes built here.</summary>
    public class NpyHeaderTests
    {
        private const string FilePath = "/data/test.npz";
        private const string Member = "metadata.npy";

        private static NpyHeader Parse(string dictText, int major = 1, bool pad = true) =>
            NpyHeader.Parse(TestNpy.Header(dictText, major, pad), FilePath, Member);

        private static NpzFormatException Refused(string dictText, int major = 1, bool pad = true) =>
            Assert.Throws<NpzFormatException>(() => Parse(dictText, major, pad));

        private static void AssertFloat32Matrix(NpyHeader h, long rows, long columns)
        {
            Assert.Equal("<f4", h.DType.Descr);
            Assert.Equal(NpyKind.Float, h.DType.Kind);
            Assert.Equal(4, h.DType.ItemSize);
            Assert.False(h.FortranOrder);
            Assert.Equal(new[] { rows, columns }, h.Shape);
            Assert.Equal(rows * columns * 4, h.DataLength);
        }

        [Fact]
        public void Headers_parsed_in_turn_each_keep_their_own_values()
        {
            // Each thread remembers the headers it parsed last: alternating and repeated headers must
            // still give each its own shape and dtype, and a header that differs in one byte is parsed anew.
            for (int round = 0; round < 3; round++)
            {
                for (long rows = 1; rows <= 6; rows++)
                {
                    AssertFloat32Matrix(Parse($"{{'descr': '<f4', 'fortran_order': False, 'shape': ({rows}, 12), }}"), rows, 12);
                    NpyHeader images = Parse($"{{'descr': '<f8', 'fortran_order': True, 'shape': ({rows}, 128, 16), }}");
                    Assert.Equal(new[] { rows, 128L, 16L }, images.Shape);
                    Assert.Equal(8, images.DType.ItemSize);
                    Assert.True(images.FortranOrder);
                }
            }

            Assert.Same(Parse("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 12), }"), Parse("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 12), }"));

            // A failure is never remembered: the same bad bytes fail again, naming each caller's file.
            byte[] bad = TestNpy.Header("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 12), 'shape': (3, 12)}");
            foreach (string path in new[] { "/data/a.npz", "/data/b.npz" })
            {
                NpzFormatException ex = Assert.Throws<NpzFormatException>(() => NpyHeader.Parse(bad, path, Member));
                Assert.Equal(NpzErrorCode.InvalidNpyHeader, ex.Code);
                Assert.Contains(path, ex.Message);
            }
        }

        [Fact]
        public void NumPy_style_header_with_single_quotes_and_trailing_comma_parses()
        {
            NpyHeader h = Parse("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 12), }");
            AssertFloat32Matrix(h, 3, 12);
            Assert.Equal(128, h.TotalLength); // 10-byte preamble + dict padded with spaces and '\n' to a multiple of 64
            Assert.Equal("(3, 12)", h.ShapeText);
        }

        [Fact]
        public void Double_quotes_and_no_trailing_comma_parse()
        {
            AssertFloat32Matrix(Parse("{\"descr\": \"<f4\", \"fortran_order\": False, \"shape\": (3, 12)}"), 3, 12);
        }

        [Fact]
        public void Mixed_quotes_parse()
        {
            AssertFloat32Matrix(Parse("{'descr': \"<f4\", \"fortran_order\": False, 'shape': (3, 12),}"), 3, 12);
        }

        [Fact]
        public void L_suffixes_on_dimensions_parse()
        {
            AssertFloat32Matrix(Parse("{'descr': '<f4', 'fortran_order': False, 'shape': (3L, 12L), }"), 3, 12);
        }

        [Fact]
        public void Whitespace_tabs_and_newlines_inside_the_dict_parse()
        {
            AssertFloat32Matrix(Parse("{ \t'descr' :\t'<f4' ,\n 'fortran_order'\t: False ,\r\n  'shape' : ( 3 ,\t12 ) ,\n }"), 3, 12);
        }

        [Fact]
        public void Keys_in_any_order_parse()
        {
            AssertFloat32Matrix(Parse("{'shape': (3, 12), 'fortran_order': False, 'descr': '<f4'}"), 3, 12);
        }

        [Fact]
        public void Fortran_order_true_is_read()
        {
            Assert.True(Parse("{'descr': '<f4', 'fortran_order': True, 'shape': (3, 12), }").FortranOrder);
        }

        [Fact]
        public void One_dimensional_and_scalar_shapes_parse()
        {
            NpyHeader oneD = Parse("{'descr': '<f4', 'fortran_order': False, 'shape': (36,), }");
            Assert.Equal(new[] { 36L }, oneD.Shape);
            Assert.Equal("(36,)", oneD.ShapeText);
            NpyHeader scalar = Parse("{'descr': '<f4', 'fortran_order': False, 'shape': (), }");
            Assert.Empty(scalar.Shape);
            Assert.Equal(4, scalar.DataLength);
        }

        [Fact]
        public void Unpadded_header_without_trailing_newline_parses_by_its_length_field()
        {
            NpyHeader h = Parse("{'descr':'<f4','fortran_order':False,'shape':(3,12)}", pad: false);
            AssertFloat32Matrix(h, 3, 12);
            Assert.Equal(10 + "{'descr':'<f4','fortran_order':False,'shape':(3,12)}".Length, h.TotalLength);
        }

        [Theory]
        [InlineData(1, 10)]
        [InlineData(2, 12)]
        [InlineData(3, 12)]
        public void Versions_1_2_and_3_have_their_preamble_sizes(int major, int preamble)
        {
            byte[] bytes = TestNpy.Header("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 12), }", major);
            Assert.Equal(bytes.Length, NpyHeader.ReadTotalLength(bytes, FilePath, Member));
            NpyHeader h = NpyHeader.Parse(bytes, FilePath, Member);
            AssertFloat32Matrix(h, 3, 12);
            Assert.Equal(bytes.Length, h.TotalLength);
            Assert.Equal((byte)'{', bytes[preamble]);
            Assert.Equal(0, bytes.Length % 64);
        }

        [Fact]
        public void Version_3_header_is_utf8()
        {
            // A UTF-8 key that NumPy would never write, but that must not break a v3 parse.
            NpyHeader h = Parse("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 12), 'note': 'größe', }", major: 3);
            AssertFloat32Matrix(h, 3, 12);
        }

        [Theory]
        [InlineData(0)]
        [InlineData(4)]
        [InlineData(9)]
        [InlineData(255)]
        public void Unknown_major_versions_are_refused(int major)
        {
            byte[] bytes = TestNpy.Header("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 12), }", 1);
            bytes[6] = (byte)major;
            var ex = Assert.Throws<NpzFormatException>(() => NpyHeader.Parse(bytes, FilePath, Member));
            Assert.Equal(NpzErrorCode.InvalidNpyHeader, ex.Code);
            Assert.Contains($"version {major}.0", ex.Message, StringComparison.Ordinal);
            Assert.Contains(FilePath, ex.Message, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData(1, 1)]
        [InlineData(2, 5)]
        [InlineData(3, 9)]
        public void Unknown_minor_versions_are_refused(int major, int minor)
        {
            // NumPy reads only (1, 0), (2, 0) and (3, 0); SPEC section 3 lists the same three versions.
            byte[] bytes = TestNpy.Header("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 12), }", major, minor: minor);
            var ex = Assert.Throws<NpzFormatException>(() => NpyHeader.Parse(bytes, FilePath, Member));
            Assert.Equal(NpzErrorCode.InvalidNpyHeader, ex.Code);
            Assert.Contains($"version {major}.{minor}", ex.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void Bad_magic_is_refused()
        {
            byte[] bytes = TestNpy.Header("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 12), }");
            bytes[5] = (byte)'X';
            var ex = Assert.Throws<NpzFormatException>(() => NpyHeader.Parse(bytes, FilePath, Member));
            Assert.Equal(NpzErrorCode.InvalidNpyHeader, ex.Code);
            Assert.Contains("magic", ex.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void Preamble_shorter_than_ten_bytes_is_refused()
        {
            var ex = Assert.Throws<NpzFormatException>(() => NpyHeader.ReadTotalLength(new byte[] { 0x93, (byte)'N', (byte)'U' }, FilePath, Member));
            Assert.Equal(NpzErrorCode.InvalidNpyHeader, ex.Code);
        }

        [Fact]
        public void Header_of_exactly_10000_bytes_is_accepted()
        {
            string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 12), }";
            byte[] bytes = TestNpy.Header(dict + new string(' ', 10_000 - dict.Length - 1) + "\n", 2, pad: false);
            Assert.Equal(12 + 10_000, bytes.Length);
            Assert.Equal(12 + 10_000, NpyHeader.Parse(bytes, FilePath, Member).TotalLength);
        }

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(3)]
        public void Header_longer_than_10000_bytes_is_refused_from_its_length_field(int major)
        {
            // Only the preamble is needed: the length field alone must be enough to refuse.
            byte[] preamble = TestNpy.Header("{}", major, pad: false);
            if (major == 1) BitConverter.TryWriteBytes(preamble.AsSpan(8), (ushort)10_001);
            else BitConverter.TryWriteBytes(preamble.AsSpan(8), 10_001u);
            var ex = Assert.Throws<NpzFormatException>(() => NpyHeader.ReadTotalLength(preamble, FilePath, Member));
            Assert.Equal(NpzErrorCode.InvalidNpyHeader, ex.Code);
            Assert.Matches(@"10\D?000", ex.Message); // the limit, in any culture's digit grouping
        }

        [Fact]
        public void Version_2_length_field_of_4_GB_is_refused()
        {
            byte[] preamble = TestNpy.Header("{}", 2, pad: false);
            BitConverter.TryWriteBytes(preamble.AsSpan(8), uint.MaxValue);
            var ex = Assert.Throws<NpzFormatException>(() => NpyHeader.ReadTotalLength(preamble, FilePath, Member));
            Assert.Equal(NpzErrorCode.InvalidNpyHeader, ex.Code);
        }

        [Fact]
        public void Header_cut_short_of_its_length_field_is_refused()
        {
            byte[] full = TestNpy.Header("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 12), }");
            var ex = Assert.Throws<NpzFormatException>(() => NpyHeader.Parse(full.AsSpan(0, 40), FilePath, Member));
            Assert.Equal(NpzErrorCode.InvalidNpyHeader, ex.Code);
        }

        [Theory]
        [InlineData("{'fortran_order': False, 'shape': (3, 12), }", "descr")]
        [InlineData("{'descr': '<f4', 'shape': (3, 12), }", "fortran_order")]
        [InlineData("{'descr': '<f4', 'fortran_order': False, }", "shape")]
        [InlineData("{}", "descr")]
        public void Missing_keys_are_refused_naming_the_key(string dict, string key)
        {
            NpzFormatException ex = Refused(dict);
            Assert.Equal(NpzErrorCode.InvalidNpyHeader, ex.Code);
            Assert.Contains($"'{key}'", ex.Message, StringComparison.Ordinal);
            Assert.Contains(Member, ex.Message, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 12), ")]
        [InlineData("'descr': '<f4', 'fortran_order': False, 'shape': (3, 12)}")]
        [InlineData("{'descr': '<f4' 'fortran_order': False, 'shape': (3, 12)}")]
        [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 12)} extra")]
        [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 12), 'shape': (3, 12)}")]
        [InlineData("{'descr': '<f4, 'fortran_order': False, 'shape': (3, 12)}")]
        [InlineData("{descr: '<f4', 'fortran_order': False, 'shape': (3, 12)}")]
        [InlineData("{'descr': '<f4', 'fortran_order': false, 'shape': (3, 12)}")]
        [InlineData("{'descr': '<f4', 'fortran_order': 0, 'shape': (3, 12)}")]
        [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': 36}")]
        [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 'a')}")]
        [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (3, None)}")]
        [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (3, -)}")]
        [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': ((((((((((3,),),),),),),),),),)}")]
        [InlineData("{'descr': 3, 'fortran_order': False, 'shape': (3, 12)}")]
        [InlineData("{'descr': None, 'fortran_order': False, 'shape': (3, 12)}")]
        [InlineData("")]
        public void Malformed_dicts_are_refused_as_invalid_headers(string dict)
        {
            NpzFormatException ex = Refused(dict);
            Assert.Equal(NpzErrorCode.InvalidNpyHeader, ex.Code);
            Assert.Equal(FilePath, ex.Path);
        }

        [Fact]
        public void Structured_descr_list_is_refused_as_unsupported_dtype()
        {
            NpzFormatException ex = Refused("{'descr': [('v', '<f4')], 'fortran_order': False, 'shape': (3,), }");
            Assert.Equal(NpzErrorCode.UnsupportedDType, ex.Code);
            Assert.Contains("structured", ex.Message, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("(-3, 12)")]
        [InlineData("(3, -1)")]
        [InlineData("(-1L, 12L)")]
        public void Negative_dimensions_are_refused_as_invalid_shape(string shape)
        {
            NpzFormatException ex = Refused("{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }");
            Assert.Equal(NpzErrorCode.InvalidShape, ex.Code);
            Assert.Contains("negative", ex.Message, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("(4611686018427387904, 12)")]           // 2**62 rows × 12 × 4 bytes
        [InlineData("(1099511627776, 1099511627776)")]      // 2**40 × 2**40
        [InlineData("(2305843009213693952,)")]              // 2**61 × 4 bytes = 2**63
        [InlineData("(9223372036854775807, 2)")]
        public void Shapes_whose_byte_size_overflows_64_bits_are_refused_as_invalid_shape(string shape)
        {
            NpzFormatException ex = Refused("{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }");
            Assert.Equal(NpzErrorCode.InvalidShape, ex.Code);
        }

        [Theory]
        [InlineData("(0, 4611686018427387904)")]
        [InlineData("(4611686018427387904, 0, 12)")]
        public void Zero_dimension_does_not_hide_an_overflowing_shape(string shape)
        {
            // NumPy refuses these too: the product of the non-zero dimensions must fit.
            NpzFormatException ex = Refused("{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }");
            Assert.Equal(NpzErrorCode.InvalidShape, ex.Code);
        }

        [Fact]
        public void Dimension_that_does_not_fit_in_64_bits_is_refused_as_invalid_shape()
        {
            NpzFormatException ex = Refused("{'descr': '<f4', 'fortran_order': False, 'shape': (18446744073709551616, 12), }");
            Assert.Equal(NpzErrorCode.InvalidShape, ex.Code);
        }

        [Fact]
        public void Large_but_representable_shape_is_accepted_by_the_header_and_left_to_the_size_check()
        {
            NpyHeader h = Parse("{'descr': '<f4', 'fortran_order': False, 'shape': (1099511627776, 12), }");
            Assert.Equal(1099511627776L * 12 * 4, h.DataLength);
        }

        [Fact]
        public void Zero_dimension_gives_zero_data_length()
        {
            Assert.Equal(0, Parse("{'descr': '<f4', 'fortran_order': False, 'shape': (0, 12), }").DataLength);
        }

        [Fact]
        public void Unsupported_dtype_in_header_is_refused_with_the_member_named()
        {
            NpzFormatException ex = Refused("{'descr': '|O', 'fortran_order': False, 'shape': (3, 12), }");
            Assert.Equal(NpzErrorCode.UnsupportedDType, ex.Code);
            Assert.Contains(Member, ex.Message, StringComparison.Ordinal);
            Assert.Contains("unpickle", ex.Message, StringComparison.Ordinal);
        }

        // ---- NpyDType ----

        [Theory]
        [InlineData("<f4", "Float", 4, false)]
        [InlineData(">f4", "Float", 4, true)]
        [InlineData("<f8", "Float", 8, false)]
        [InlineData(">f8", "Float", 8, true)]
        [InlineData("<f2", "Float", 2, false)]
        [InlineData("|u1", "UInt", 1, false)]
        [InlineData("<u2", "UInt", 2, false)]
        [InlineData("|i1", "Int", 1, false)]
        [InlineData("<i2", "Int", 2, false)]
        [InlineData("<i4", "Int", 4, false)]
        [InlineData(">i8", "Int", 8, true)]
        [InlineData("|b1", "Bool", 1, false)]
        public void Supported_dtypes_parse(string descr, string kind, int size, bool bigEndian)
        {
            Assert.True(NpyDType.TryParse(descr, out NpyDType dtype, out string reason), reason);
            Assert.Equal(kind, dtype.Kind.ToString());
            Assert.Equal(size, dtype.ItemSize);
            Assert.Equal(bigEndian, dtype.BigEndian);
            Assert.Equal(descr, dtype.Descr);
            Assert.Equal(descr == "<f4" && BitConverter.IsLittleEndian, dtype.IsNativeFloat32);
        }

        [Theory]
        [InlineData("|O", "never unpickles")]
        [InlineData("O", "'O'")]
        [InlineData("<U5", "'<U5'")]
        [InlineData("<c8", "'<c8'")]
        [InlineData("|V8", "'|V8'")]
        [InlineData("<f16", "'<f16'")]
        [InlineData("<i3", "'<i3'")]
        [InlineData("|b2", "'|b2'")]
        [InlineData("<M8[ns]", "'<M8[ns]'")]
        [InlineData("<f", "'<f'")]
        [InlineData("<", "'<'")]
        [InlineData("", "''")]
        [InlineData("<f+4", "'<f+4'")]
        public void Unsupported_dtypes_are_refused_with_a_message(string descr, string messagePart)
        {
            Assert.False(NpyDType.TryParse(descr, out _, out string reason));
            Assert.Contains(messagePart, reason, StringComparison.Ordinal);
        }

        [Fact]
        public void Conversions_to_float32_are_exact_for_each_supported_dtype()
        {
            AssertConverts("<f4", BitConverter.GetBytes(1.5f), 1.5f);
            AssertConverts(">f4", Reverse(BitConverter.GetBytes(-2.25f)), -2.25f);
            AssertConverts("<f8", BitConverter.GetBytes(3.125), 3.125f);
            AssertConverts(">f8", Reverse(BitConverter.GetBytes(-0.5)), -0.5f);
            AssertConverts("<f2", new byte[] { 0x00, 0x3E }, 1.5f);          // half 1.5
            AssertConverts("<f2", new byte[] { 0x01, 0x00 }, 5.9604645e-8f); // smallest subnormal half
            AssertConverts("<f2", new byte[] { 0x00, 0xFC }, float.NegativeInfinity);
            AssertConverts("|u1", new byte[] { 200 }, 200f);
            AssertConverts("|i1", new byte[] { 0xFF }, -1f);
            AssertConverts("<i2", BitConverter.GetBytes((short)-1234), -1234f);
            AssertConverts(">i2", Reverse(BitConverter.GetBytes((short)-1234)), -1234f);
            AssertConverts("<u2", BitConverter.GetBytes((ushort)65535), 65535f);
            AssertConverts("<i4", BitConverter.GetBytes(-123456), -123456f);
            AssertConverts(">i8", Reverse(BitConverter.GetBytes(-9876543210L)), -9876543210f);
            AssertConverts("<u8", BitConverter.GetBytes(ulong.MaxValue), 18446744073709551615f);
            AssertConverts("|b1", new byte[] { 1 }, 1f);
            AssertConverts("|b1", new byte[] { 0 }, 0f);
        }

        private static void AssertConverts(string descr, byte[] bytes, float expected)
        {
            Assert.True(NpyDType.TryParse(descr, out NpyDType dtype, out string reason), reason);
            var result = new float[1];
            dtype.ConvertToSingle(bytes, result);
            Assert.Equal(expected, result[0]);
        }

        private static byte[] Reverse(byte[] b)
        {
            Array.Reverse(b);
            return b;
        }
    }
}
