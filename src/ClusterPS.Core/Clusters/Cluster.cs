using System;

namespace ClusterPS
{
    /// <summary>
    /// One cluster: its decoded metadata, and its image, which is read from the file only when
    /// <see cref="Image"/> or <see cref="Charge"/> is first asked for.
    /// </summary>
    /// <remarks>
    /// The public properties are the flat scalars that tables, CSV and JSON show: one number or word
    /// per column, nothing that reads pixels. The structured and expensive members (Batch, Position,
    /// Direction, Momentum, ImageShape, Image, Charge, Metadata) are internal here; PowerShell users
    /// reach them as hidden properties that module/ClusterPS.Types.ps1xml defines, which Export-Csv,
    /// ConvertTo-Json and Select-Object * skip and which never cross a serialization boundary.
    /// </remarks>
    public sealed class Cluster : IClusterData
    {
        private readonly float[] _row;
        private readonly ImageSource? _images;
        private readonly int _slot;
        private double? _charge;
        private float[,]? _image;

        /// <summary>A cluster rebuilt from its batch, index and metadata row (a deserialized cluster): its image is read from the file when asked for.</summary>
        internal Cluster(ClusterBatch batch, int index, float[] row)
            : this(batch, index, row, batch.ImageShape == null ? null : new ImageSource(batch.Path, batch.ImageShape, batch.Stamp, new[] { index }), 0, null)
        {
        }

        internal Cluster(ClusterBatch batch, int index, float[] row, ImageSource? images, int slot, double? charge)
        {
            Batch = batch;
            Index = index;
            _row = row;
            _images = images;
            _slot = slot;
            _charge = charge;
        }

        /// <summary>The batch file the cluster was read from.</summary>
        internal ClusterBatch Batch { get; }

        /// <summary>The batch file's full path.</summary>
        public string Path => Batch.Path;

        /// <summary>The batch file's name.</summary>
        public string Name => Batch.Name;

        /// <summary>The cluster's row in its batch (0-based).</summary>
        public int Index { get; }

        public bool IsMarley => Flag(ClusterField.IsMarley) == true;
        public bool IsMainTrack => Flag(ClusterField.IsMainTrack) == true;

        /// <summary>True position (x, y, z) in cm.</summary>
        internal ClusterVector? Position => Vector(ClusterField.PositionX, ClusterField.PositionY, ClusterField.PositionZ);

        /// <summary>True direction (x, y, z), a unit vector (or zero when unknown).</summary>
        internal ClusterVector? Direction => Vector(ClusterField.DirectionX, ClusterField.DirectionY, ClusterField.DirectionZ);

        /// <summary>True momentum (x, y, z); only layouts that carry it (Momentum15) have one.</summary>
        internal ClusterVector? Momentum => Vector(ClusterField.MomentumX, ClusterField.MomentumY, ClusterField.MomentumZ);

        /// <summary>True position in cm, one coordinate per property (null when the layout lacks it).</summary>
        public float? PositionX => Value(ClusterField.PositionX);
        public float? PositionY => Value(ClusterField.PositionY);
        public float? PositionZ => Value(ClusterField.PositionZ);

        /// <summary>True direction (a unit vector), one component per property.</summary>
        public float? DirectionX => Value(ClusterField.DirectionX);
        public float? DirectionY => Value(ClusterField.DirectionY);
        public float? DirectionZ => Value(ClusterField.DirectionZ);

        /// <summary>True momentum, one component per property; null unless the layout carries it (Momentum15).</summary>
        public float? MomentumX => Value(ClusterField.MomentumX);
        public float? MomentumY => Value(ClusterField.MomentumY);
        public float? MomentumZ => Value(ClusterField.MomentumZ);

        /// <summary>True neutrino energy in MeV, or null when the file says -1 (not available).</summary>
        public float? NuEnergy
        {
            get
            {
                float? e = Value(ClusterField.NuEnergy);
                return e.HasValue ? MetadataRules.NuEnergyOf(e.Value) : null;
            }
        }

        /// <summary>True particle energy in MeV.</summary>
        public float ParticleEnergy => Value(ClusterField.ParticleEnergy) ?? float.NaN;

        /// <summary>
        /// 0 = U, 1 = V, 2 = X: from the metadata, or from the file name when the layout has no plane
        /// column. Null when the plane column holds no plane id (say 2.5: it is never truncated into
        /// one); <see cref="Metadata"/> still has the raw value.
        /// </summary>
        public int? PlaneId => (int?)WirePlane;

        /// <summary>'U', 'V' or 'X', by the same rule as <see cref="PlaneId"/>.</summary>
        public string? Plane => WirePlane?.ToString();

        /// <summary>'ES' (elastic scattering), 'CC' (charged current) or 'Unknown' when the layout does not record it.</summary>
        public string Interaction
        {
            get
            {
                bool? es = Flag(ClusterField.IsES);
                return es == null ? "Unknown" : es.Value ? "ES" : "CC";
            }
        }

        /// <summary>
        /// The image as [tick, channel], read on first use; null for a cluster from a file without
        /// images. A method as well as the hidden Image property, because PowerShell turns an
        /// exception in a property getter into $null: this throws the file's NpzFormatException
        /// (a changed, missing or damaged file) where scripts can catch it.
        /// </summary>
        public float[,]? GetImage() => Image;

        /// <summary>The image as [tick, channel], read on first use.</summary>
        internal float[,]? Image
        {
            get
            {
                if (_image != null || _images == null) return _image;
                var image = new float[_images.Shape.Ticks, _images.Shape.Channels];
                ReadOnlySpan<float> pixels = _images.Pixels(_slot);
                for (int t = 0, k = 0; t < image.GetLength(0); t++)
                {
                    for (int c = 0; c < image.GetLength(1); c++) image[t, c] = pixels[k++];
                }

                return _image = image;
            }
        }

        internal ImageShape? ImageShape => _images?.Shape;

        /// <summary>The sum of the image's pixels, accumulated in double precision.</summary>
        internal double Charge => _charge ??= _images == null ? 0 : PixelMath.Sum(_images.Pixels(_slot));

        public string? Layout => Batch.Layout;

        /// <summary>The raw metadata row, in the file's own column order.</summary>
        internal float[] Metadata => _row;

        /// <summary>The image pixels without copying them into a 2-D array (C order, ticks × channels).</summary>
        internal ReadOnlySpan<float> Pixels => _images == null ? default : _images.Pixels(_slot);

        internal bool HasImage => _images != null;

        /// <summary>The cluster's plane by <see cref="MetadataRules"/>: the one the -Plane filter and the statistics see.</summary>
        internal Plane? WirePlane => MetadataRules.PlaneOf(_row, ColumnLayout, Batch.WirePlane);

        /// <summary>The layout the row is read with (a cluster comes only from a batch that has one).</summary>
        internal ClusterLayout ColumnLayout => Batch.ColumnLayout ?? throw new InvalidOperationException($"{Batch.Name} was read without a layout.");

        internal float? Value(ClusterField field) => ColumnLayout.ValueOf(_row, field);

        private bool? Flag(ClusterField field)
        {
            float? v = Value(field);
            return v.HasValue ? MetadataRules.IsSet(v.Value) : (bool?)null;
        }

        private ClusterVector? Vector(ClusterField x, ClusterField y, ClusterField z)
        {
            float? vx = Value(x);
            float? vy = Value(y);
            float? vz = Value(z);
            return vx.HasValue && vy.HasValue && vz.HasValue ? new ClusterVector(vx.Value, vy.Value, vz.Value) : null;
        }

        public override string ToString() => $"{Batch.Name}[{Index}]";
    }
}
