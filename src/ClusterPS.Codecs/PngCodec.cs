using System.IO;
using StbImageWriteSharp;

namespace ClusterPS.Codecs
{
    /// <summary>PNG encoding, through StbImageWriteSharp.</summary>
    public static class PngCodec
    {
        /// <summary>Writes 8-bit RGB pixels (row-major, top row first) as a PNG.</summary>
        public static void WriteRgb(Stream output, byte[] rgb, int width, int height) =>
            new ImageWriter().WritePng(rgb, width, height, ColorComponents.RedGreenBlue, output);
    }
}
