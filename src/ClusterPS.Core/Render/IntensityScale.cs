using System;
using System.Globalization;

namespace ClusterPS.Render
{
    /// <summary>
    /// The linear map from pixel values to [0, 1] used by every rendering: from 0 (or the image's
    /// minimum when it is negative) to the image's maximum. NaN and infinite pixels do not set the
    /// range. An image with no range (all zero, or empty) maps everything to 0, the darkest colour.
    /// </summary>
    public readonly struct IntensityScale
    {
        public IntensityScale(double min, double max)
        {
            Min = min;
            Max = max;
        }

        /// <summary>The value shown as the darkest colour.</summary>
        public double Min { get; }

        /// <summary>The value shown as the brightest colour.</summary>
        public double Max { get; }

        /// <summary>The scale of an image: from min(0, smallest pixel) to the largest pixel.</summary>
        public static IntensityScale Of(float[,] image)
        {
            if (image == null) throw new ArgumentNullException(nameof(image));
            double min = 0, max = 0;
            foreach (float v in image)
            {
                if (float.IsNaN(v) || float.IsInfinity(v)) continue;
                if (v < min) min = v;
                if (v > max) max = v;
            }

            return new IntensityScale(min, max);
        }

        /// <summary><paramref name="value"/> mapped to [0, 1]; 0 when the scale has no range or the value is NaN.</summary>
        public double Normalize(double value)
        {
            if (double.IsNaN(value)) return 0;
            if (double.IsPositiveInfinity(value)) return 1;
            double range = Max - Min;
            if (!(range > 0)) return 0;
            double t = (value - Min) / range;
            return t <= 0 ? 0 : t >= 1 ? 1 : t;
        }

        /// <summary>The colour of <paramref name="value"/>.</summary>
        public Rgb Color(double value) => Viridis.Map(Normalize(value));

        /// <summary>A short invariant-culture form of a scale value, as the renderings print it.</summary>
        public static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

        public override string ToString() => $"{Format(Min)}..{Format(Max)}";
    }
}
