using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text.RegularExpressions;
using ClusterPS.Render;
using Xunit;

namespace ClusterPS.Tests
{
    /// <summary>The viridis map, the terminal rendering and the PNG rendering of cluster images.</summary>
    public class RenderTests
    {
        private static readonly Regex Sgr = new Regex("\u001b\\[[0-9;]*m");
        private static readonly Rgb Darkest = Viridis.Entry(0);
        private static readonly Rgb Brightest = Viridis.Entry(255);

        // ---- viridis ----

        [Fact]
        public void Viridis_endpoints_and_middle_are_matplotlibs()
        {
            Assert.Equal("#440154", Viridis.Entry(0).ToHex());
            Assert.Equal("#fde725", Viridis.Entry(255).ToHex());
            Assert.Equal("#21918c", Viridis.Entry(128).ToHex()); // matplotlib: to_hex(viridis(0.5))
            Assert.Equal("#440154", Viridis.Map(0).ToHex());
            Assert.Equal("#fde725", Viridis.Map(1).ToHex());
            Assert.Equal("#21918c", Viridis.Map(0.5).ToHex());
        }

        [Fact]
        public void Viridis_has_256_entries_and_clamps_out_of_range_values()
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => Viridis.Entry(256));
            Assert.Throws<ArgumentOutOfRangeException>(() => Viridis.Entry(-1));
            Assert.Equal(Darkest, Viridis.Map(-3));
            Assert.Equal(Darkest, Viridis.Map(double.NaN));
            Assert.Equal(Brightest, Viridis.Map(7));
            Assert.Equal(254, Viridis.Index(254.5 / 256));
            Assert.Equal(255, Viridis.Index(255.5 / 256));
            Assert.Equal(128, Viridis.Index(0.5));
        }

        [Fact]
        public void Viridis_gets_brighter_from_start_to_end()
        {
            double Luma(Rgb c) => 0.2126 * c.R + 0.7152 * c.G + 0.0722 * c.B;
            for (int i = 1; i < Viridis.Size; i++) Assert.True(Luma(Viridis.Entry(i)) >= Luma(Viridis.Entry(i - 1)) - 0.5, $"entry {i}");
        }

        // ---- intensity scale ----

        [Fact]
        public void Scale_runs_from_zero_to_the_maximum_and_an_all_zero_image_is_darkest()
        {
            var image = new float[4, 2];
            image[1, 1] = 50;
            IntensityScale scale = IntensityScale.Of(image);
            Assert.Equal(0, scale.Min);
            Assert.Equal(50, scale.Max);
            Assert.Equal(0.5, scale.Normalize(25));

            IntensityScale zero = IntensityScale.Of(new float[4, 2]);
            Assert.Equal(0, zero.Normalize(0));
            Assert.Equal(Darkest, zero.Color(0));
        }

        [Fact]
        public void Scale_starts_at_a_negative_minimum_and_ignores_nan_and_infinity()
        {
            var image = new float[2, 2] { { -10, 30 }, { float.NaN, float.PositiveInfinity } };
            IntensityScale scale = IntensityScale.Of(image);
            Assert.Equal(-10, scale.Min);
            Assert.Equal(30, scale.Max);
            Assert.Equal(0.25, scale.Normalize(0));
            Assert.Equal(0, scale.Normalize(double.NaN));
            Assert.Equal(1, scale.Normalize(double.PositiveInfinity));
        }

        // ---- terminal ----

        /// <summary>A 128×16 image, zero but for tick 0 / channel 3 (100, the maximum) and tick 127 / channel 15 (50).</summary>
        private static float[,] Synthetic(int ticks = 128, int channels = 16)
        {
            var image = new float[ticks, channels];
            image[0, 3] = 100;
            image[ticks - 1, channels - 1] = 50;
            return image;
        }

        /// <summary>The plot rows of a rendering, top first: the lines between "tick" and the channel axis.</summary>
        private static List<string> GridRows(string text)
        {
            List<string> lines = text.Split('\n').ToList();
            int first = lines.IndexOf("tick") + 1;
            int axis = lines.FindIndex(first, l => l.EndsWith("  channel", StringComparison.Ordinal)) - 1;
            Assert.True(first > 0 && axis > first, "the rendering has a 'tick' line and a channel axis below the plot");
            return lines.GetRange(first, axis - first);
        }

        /// <summary>The visible characters of an ANSI line with the 24-bit foreground and background each is drawn in.</summary>
        private static List<(char Glyph, Rgb? Fg, Rgb? Bg)> Cells(string line)
        {
            var cells = new List<(char, Rgb?, Rgb?)>();
            Rgb? fg = null, bg = null;
            for (int i = 0; i < line.Length;)
            {
                Match m = Sgr.Match(line, i);
                if (m.Success && m.Index == i)
                {
                    int[] codes = m.Value.Substring(2, m.Value.Length - 3).Split(';').Select(int.Parse).ToArray();
                    if (codes.Length == 1 && codes[0] == 0) fg = bg = null;
                    else if (codes.Length == 5 && codes[0] == 38) fg = new Rgb((byte)codes[2], (byte)codes[3], (byte)codes[4]);
                    else if (codes.Length == 5 && codes[0] == 48) bg = new Rgb((byte)codes[2], (byte)codes[3], (byte)codes[4]);
                    i += m.Length;
                }
                else
                {
                    cells.Add((line[i], fg, bg));
                    i++;
                }
            }

            return cells;
        }

        [Fact]
        public void Color_rendering_puts_tick_0_on_the_bottom_row_as_the_background_of_upper_half_blocks()
        {
            string text = TerminalRenderer.Render(Synthetic(), new[] { "title" }, color: true);
            List<string> rows = GridRows(text);
            Assert.Equal(64, rows.Count);

            var bottom = Cells(rows[^1]);
            int channel3 = TerminalRenderer.LeftMargin + 2 * 3;
            for (int c = 0; c < 16; c++)
            {
                foreach (int col in new[] { TerminalRenderer.LeftMargin + 2 * c, TerminalRenderer.LeftMargin + 2 * c + 1 })
                {
                    Assert.Equal('▀', bottom[col].Glyph);
                    Assert.Equal(Darkest, bottom[col].Fg); // tick 1 is zero everywhere
                    Assert.Equal(c == 3 ? Brightest : Darkest, bottom[col].Bg);
                }
            }

            Assert.Equal(Brightest, bottom[channel3 + 1].Bg);

            // Tick 127 (the upper half of the top row), channel 15: half the maximum.
            var top = Cells(rows[0]);
            int channel15 = TerminalRenderer.LeftMargin + 2 * 15;
            Assert.Equal(Viridis.Map(0.5), top[channel15].Fg);
            Assert.Equal(Darkest, top[channel15].Bg);
            Assert.Equal(Darkest, top[channel15 - 2].Fg);
        }

        [Fact]
        public void Plain_rendering_has_no_escape_and_the_same_geometry()
        {
            string text = TerminalRenderer.Render(Synthetic(), new[] { "title" }, color: false);
            Assert.DoesNotContain('\u001b', text);
            List<string> rows = GridRows(text);
            Assert.Equal(64, rows.Count);

            string bottom = rows[^1];
            int channel3 = TerminalRenderer.LeftMargin + 2 * 3;
            Assert.Equal("@@", bottom.Substring(channel3, 2));
            Assert.Equal(new string(' ', 6), bottom.Substring(TerminalRenderer.LeftMargin, 6));
            Assert.Equal(new string(' ', 24), bottom.Substring(channel3 + 2));
            Assert.Equal(TerminalRenderer.PlainChar(0.5), rows[0][TerminalRenderer.LeftMargin + 2 * 15]);
            Assert.StartsWith("  0 +", bottom, StringComparison.Ordinal);
            Assert.StartsWith(" 16 +", rows[^9], StringComparison.Ordinal);
            Assert.All(rows.Take(rows.Count - 1), r => Assert.DoesNotContain('@', r));
        }

        [Fact]
        public void Plain_rendering_takes_the_brighter_of_the_two_ticks_of_a_row()
        {
            var image = new float[4, 1];
            image[0, 0] = 10;
            image[1, 0] = 100;
            image[3, 0] = 10;
            List<string> rows = GridRows(TerminalRenderer.Render(image, null, color: false));
            Assert.Equal(2, rows.Count);
            Assert.Equal("@@", rows[1].Substring(TerminalRenderer.LeftMargin));
            Assert.Equal(new string(TerminalRenderer.PlainChar(0.1), 2), rows[0].Substring(TerminalRenderer.LeftMargin));
        }

        [Fact]
        public void Plain_ramp_is_blank_only_for_zero()
        {
            Assert.Equal(' ', TerminalRenderer.PlainChar(0));
            Assert.Equal('.', TerminalRenderer.PlainChar(1e-6));
            Assert.Equal('@', TerminalRenderer.PlainChar(1));
        }

        [Theory]
        [InlineData(16, true)]
        [InlineData(16, false)]
        [InlineData(32, true)]
        [InlineData(32, false)]
        public void Every_line_fits_in_80_columns(int channels, bool color)
        {
            string title = "clusters_planeX_batch0000.npz [17] " + new string('x', 100);
            string text = TerminalRenderer.Render(Synthetic(128, channels), new[] { title, "plane X | Marley | main track | ES" }, color);
            foreach (string line in text.Split('\n')) Assert.InRange(Sgr.Replace(line, "").Length, 0, 80);
            if (channels == 16) Assert.Equal(TerminalRenderer.LeftMargin + 32, GridRows(text).Max(r => Sgr.Replace(r, "").Length));
            if (channels == 32) Assert.Equal(TerminalRenderer.LeftMargin + 64, GridRows(text).Max(r => Sgr.Replace(r, "").Length));
        }

        [Fact]
        public void All_zero_image_renders_as_the_darkest_colour()
        {
            string text = TerminalRenderer.Render(new float[128, 16], null, color: true);
            foreach (string row in GridRows(text))
            {
                foreach (var cell in Cells(row).Skip(TerminalRenderer.LeftMargin))
                {
                    Assert.Equal(Darkest, cell.Fg);
                    Assert.Equal(Darkest, cell.Bg);
                }
            }

            Assert.EndsWith(" 0", Sgr.Replace(text, "").TrimEnd(), StringComparison.Ordinal);
            Assert.DoesNotContain("NaN", text, StringComparison.Ordinal);
        }

        [Fact]
        public void Odd_tick_count_draws_the_top_tick_as_a_lower_half_block()
        {
            var image = new float[3, 2];
            image[2, 1] = 1;
            List<string> rows = GridRows(TerminalRenderer.Render(image, null, color: true));
            Assert.Equal(2, rows.Count);
            var top = Cells(rows[0]);
            Assert.Equal('▄', top[TerminalRenderer.LeftMargin].Glyph);
            Assert.Equal(Brightest, top[TerminalRenderer.LeftMargin + 2].Fg);
            Assert.Null(top[TerminalRenderer.LeftMargin + 2].Bg);
        }

        [Fact]
        public void Channel_axis_labels_every_fourth_channel_and_the_last()
        {
            string text = TerminalRenderer.Render(Synthetic(), null, color: false);
            string labels = text.Split('\n').Single(l => l.EndsWith("channel", StringComparison.Ordinal));
            int At(int channel) => TerminalRenderer.LeftMargin + 2 * channel;
            Assert.Equal("0", labels.Substring(At(0), 1));
            Assert.Equal("4", labels.Substring(At(4), 1));
            Assert.Equal("12", labels.Substring(At(12), 2));
            Assert.Equal("15", labels.Substring(At(15), 2));
        }

        // ---- PNG ----

        [Theory]
        [InlineData(1)]
        [InlineData(4)]
        [InlineData(6)]
        public void Png_without_extras_is_channels_times_scale_by_ticks_times_scale(int scale)
        {
            byte[] png = PngRenderer.Render(Synthetic(), new PngRenderOptions { PixelScale = scale });
            (int width, int height) = Png.Size(png);
            Assert.Equal(16 * scale, width);
            Assert.Equal(128 * scale, height);
        }

        [Fact]
        public void Png_puts_tick_0_at_the_bottom_in_the_decoded_file()
        {
            byte[] png = PngRenderer.Render(Synthetic(), new PngRenderOptions { PixelScale = 2 });
            (int width, int height, byte[] rgb) = Png.Decode(png);
            Rgb At(int x, int y) => new Rgb(rgb[3 * (y * width + x)], rgb[3 * (y * width + x) + 1], rgb[3 * (y * width + x) + 2]);

            // Tick 0, channel 3: pixels x 6-7, y 254-255 (the bottom two rows).
            Assert.Equal(Brightest, At(6, 255));
            Assert.Equal(Brightest, At(7, 254));
            Assert.Equal(Darkest, At(6, 253));
            Assert.Equal(Darkest, At(5, 255));
            Assert.Equal(Darkest, At(8, 255));
            // Tick 127, channel 15: the top right block.
            Assert.Equal(Viridis.Map(0.5), At(31, 0));
            Assert.Equal(Darkest, At(0, 0));
        }

        [Fact]
        public void Png_colour_bar_adds_width_only_and_runs_from_max_at_the_top_to_min_at_the_bottom()
        {
            PixelBuffer plain = PngRenderer.Draw(Synthetic(), new PngRenderOptions { PixelScale = 4 });
            PixelBuffer bar = PngRenderer.Draw(Synthetic(), new PngRenderOptions { PixelScale = 4, ColorBar = true });
            Assert.Equal(plain.Height, bar.Height);
            Assert.True(bar.Width > plain.Width + 12, $"colour bar width {bar.Width}");

            // The strip starts after a gap of 2 × scale and is 3 × scale wide.
            int x = 64 + 8 + 6;
            Assert.Equal(Brightest, bar[x, 0]);
            Assert.Equal(Darkest, bar[x, bar.Height - 1]);
            Assert.Equal(PngRenderer.Paper, bar[64 + 4, 100]);

            (int width, int height) = Png.Size(bar.ToPng());
            Assert.Equal((bar.Width, bar.Height), (width, height));
        }

        [Fact]
        public void Png_labels_add_margins_and_draw_text_in_ink()
        {
            var options = new PngRenderOptions { PixelScale = 6, Labels = true, ColorBar = true, Title = new[] { "clusters_planeX_batch0000.npz [17]", "plane X | Marley | main track | ES | E 12.5 MeV | Enu - | charge 300" } };
            PixelBuffer buffer = PngRenderer.Draw(Synthetic(), options);
            Assert.True(buffer.Width > 16 * 6 + 60);
            Assert.True(buffer.Height > 128 * 6 + 40);

            int ink = 0;
            for (int y = 0; y < 30; y++)
            {
                for (int x = 0; x < buffer.Width; x++) if (buffer[x, y].Equals(PngRenderer.Ink)) ink++;
            }

            Assert.True(ink > 50, "the title is drawn at the top");
        }

        [Fact]
        public void Png_refuses_a_scale_out_of_range_and_an_empty_image()
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => PngRenderer.Draw(Synthetic(), new PngRenderOptions { PixelScale = 0 }));
            Assert.Throws<ArgumentOutOfRangeException>(() => PngRenderer.Draw(Synthetic(), new PngRenderOptions { PixelScale = 65 }));
            Assert.Throws<ArgumentException>(() => PngRenderer.Draw(new float[0, 16], new PngRenderOptions()));
        }

        [Fact]
        public void Png_of_an_all_zero_image_is_darkest()
        {
            PixelBuffer buffer = PngRenderer.Draw(new float[8, 2], new PngRenderOptions { PixelScale = 1 });
            for (int y = 0; y < 8; y++) for (int x = 0; x < 2; x++) Assert.Equal(Darkest, buffer[x, y]);
        }

        [Fact]
        public void Font_draws_lower_case_as_upper_case_and_unknown_characters_as_a_question_mark()
        {
            for (int y = 0; y < BitmapFont.GlyphHeight; y++)
            {
                for (int x = 0; x < BitmapFont.GlyphWidth; x++)
                {
                    Assert.Equal(BitmapFont.IsLit('M', x, y), BitmapFont.IsLit('m', x, y));
                    Assert.Equal(BitmapFont.IsLit('?', x, y), BitmapFont.IsLit('€', x, y));
                }
            }

            Assert.All("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ.-_[]|", c => Assert.True(BitmapFont.HasGlyph(c)));
            Assert.Equal(5 * 6 - 1, BitmapFont.Measure("HELLO", 1));
        }

        // ---- caption ----

        [Fact]
        public void Caption_names_the_file_index_and_key_metadata()
        {
            using BatchFile file = BatchFile.Open(Path.Combine(TestData.Samples, "clusters_planeX_batch0000.npz"));
            IReadOnlyList<Cluster> clusters = ClusterSelector.Select(file, new ClusterFilter());
            Cluster unknownNu = clusters.First(c => c.NuEnergy == null);
            string[] lines = ClusterCaption.Lines(unknownNu);
            Assert.Equal($"clusters_planeX_batch0000.npz [{unknownNu.Index}]", lines[0]);
            Assert.StartsWith("plane X | ", lines[1], StringComparison.Ordinal);
            Assert.Contains("| Enu - |", lines[1], StringComparison.Ordinal);
            Assert.Contains(unknownNu.IsMarley ? "| Marley |" : "| non-Marley |", lines[1], StringComparison.Ordinal);
            Assert.Contains("| " + unknownNu.Interaction + " |", lines[1], StringComparison.Ordinal);
            Assert.All(lines, l => Assert.InRange(l.Length, 1, 80));
        }

        /// <summary>Just enough PNG reading to check the renderer's files.</summary>
        private static class Png
        {
            private static readonly byte[] Signature = { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A };

            /// <summary>Width and height from the IHDR chunk, after checking the signature.</summary>
            public static (int Width, int Height) Size(byte[] png)
            {
                Assert.True(png.Length > 33, "a PNG has a signature and an IHDR chunk");
                Assert.Equal(Signature, png.Take(8).ToArray());
                Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4));
                return (BigEndian(png, 16), BigEndian(png, 20));
            }

            /// <summary>Decodes an 8-bit RGB, non-interlaced PNG into RGB bytes, rows top first.</summary>
            public static (int Width, int Height, byte[] Rgb) Decode(byte[] png)
            {
                (int width, int height) = Size(png);
                Assert.Equal(8, png[24]); // bit depth
                Assert.Equal(2, png[25]); // colour type RGB
                Assert.Equal(0, png[28]); // no interlace

                var idat = new MemoryStream();
                for (int pos = 8; pos < png.Length;)
                {
                    int length = BigEndian(png, pos);
                    string type = System.Text.Encoding.ASCII.GetString(png, pos + 4, 4);
                    if (type == "IDAT") idat.Write(png, pos + 8, length);
                    pos += 12 + length;
                }

                idat.Position = 0;
                var raw = new MemoryStream();
                using (var z = new ZLibStream(idat, CompressionMode.Decompress)) z.CopyTo(raw);
                byte[] data = raw.ToArray();

                int stride = 3 * width;
                Assert.Equal(height * (stride + 1), data.Length);
                var rgb = new byte[height * stride];
                for (int y = 0; y < height; y++)
                {
                    byte filter = data[y * (stride + 1)];
                    for (int i = 0; i < stride; i++)
                    {
                        int a = i >= 3 ? rgb[y * stride + i - 3] : 0;
                        int b = y > 0 ? rgb[(y - 1) * stride + i] : 0;
                        int c = i >= 3 && y > 0 ? rgb[(y - 1) * stride + i - 3] : 0;
                        int x = data[y * (stride + 1) + 1 + i];
                        int predictor = filter switch
                        {
                            0 => 0,
                            1 => a,
                            2 => b,
                            3 => (a + b) / 2,
                            4 => Paeth(a, b, c),
                            _ => throw new InvalidDataException($"filter {filter}"),
                        };
                        rgb[y * stride + i] = (byte)(x + predictor);
                    }
                }

                return (width, height, rgb);
            }

            private static int Paeth(int a, int b, int c)
            {
                int p = a + b - c;
                int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
                return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
            }

            private static int BigEndian(byte[] bytes, int offset) =>
                (bytes[offset] << 24) | (bytes[offset + 1] << 16) | (bytes[offset + 2] << 8) | bytes[offset + 3];
        }
    }
}
