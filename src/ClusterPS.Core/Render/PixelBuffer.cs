using System;
using System.IO;

namespace ClusterPS.Render
{
    /// <summary>An RGB picture in memory, rows top first, three bytes a pixel; encodes itself as PNG.</summary>
    public sealed class PixelBuffer
    {
        /// <summary>The largest picture a buffer holds (pixels), far above any cluster rendering.</summary>
        public const long MaxPixels = 64L * 1024 * 1024;

        public PixelBuffer(int width, int height, Rgb background)
        {
            if (width < 1 || height < 1 || (long)width * height > MaxPixels)
            {
                throw new ArgumentOutOfRangeException(nameof(width), $"A {width}x{height} picture is too small or too large to draw.");
            }

            Width = width;
            Height = height;
            Pixels = new byte[3 * width * height];
            Fill(0, 0, width, height, background);
        }

        public int Width { get; }
        public int Height { get; }

        /// <summary>R, G, B bytes, row by row from the top.</summary>
        public byte[] Pixels { get; }

        public Rgb this[int x, int y]
        {
            get
            {
                int k = Offset(x, y);
                return new Rgb(Pixels[k], Pixels[k + 1], Pixels[k + 2]);
            }
        }

        /// <summary>Paints a rectangle; the parts outside the picture are skipped.</summary>
        public void Fill(int x, int y, int width, int height, Rgb color)
        {
            int x0 = Math.Max(0, x), y0 = Math.Max(0, y);
            int x1 = Math.Min(Width, x + width), y1 = Math.Min(Height, y + height);
            for (int row = y0; row < y1; row++)
            {
                for (int k = 3 * (row * Width + x0), end = 3 * (row * Width + x1); k < end; k += 3)
                {
                    Pixels[k] = color.R;
                    Pixels[k + 1] = color.G;
                    Pixels[k + 2] = color.B;
                }
            }
        }

        /// <summary>The picture as a PNG file (8-bit RGB), encoded by StbImageWriteSharp.</summary>
        public byte[] ToPng()
        {
            using var stream = new MemoryStream();
            Codecs.PngCodec.WriteRgb(stream, Pixels, Width, Height);
            return stream.ToArray();
        }

        private int Offset(int x, int y)
        {
            if (x < 0 || x >= Width || y < 0 || y >= Height) throw new ArgumentOutOfRangeException(nameof(x), $"({x}, {y}) is outside the {Width}x{Height} picture.");
            return 3 * (y * Width + x);
        }
    }
}
