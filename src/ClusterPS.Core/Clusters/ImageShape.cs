using System;
using System.Globalization;

namespace ClusterPS
{
    /// <summary>The shape of one cluster image: time ticks × channels (128×16 in the seed data, 128×32 in newer data).</summary>
    public sealed class ImageShape : IEquatable<ImageShape>
    {
        public ImageShape(int ticks, int channels)
        {
            Ticks = ticks;
            Channels = channels;
        }

        public int Ticks { get; }
        public int Channels { get; }
        public int Pixels => Ticks * Channels;

        /// <summary>Parses "128x16" (also "128×16" or "128,16"); PowerShell uses this to compare with strings.</summary>
        public static ImageShape Parse(string text)
        {
            string[] parts = text.Split(new[] { 'x', 'X', '×', ',' }, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2
                && int.TryParse(parts[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int t)
                && int.TryParse(parts[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int c))
            {
                return new ImageShape(t, c);
            }

            throw new FormatException($"'{text}' is not an image shape such as 128x16.");
        }

        public bool Equals(ImageShape? other) => other != null && other.Ticks == Ticks && other.Channels == Channels;
        public override bool Equals(object? obj) => Equals(obj as ImageShape);
        public override int GetHashCode() => Ticks * 397 ^ Channels;
        public override string ToString() => string.Format(CultureInfo.InvariantCulture, "{0}x{1}", Ticks, Channels);
    }
}
