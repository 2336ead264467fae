using System;
using System.Collections.Generic;
using System.Linq;
using ClusterPS.Render;

namespace ClusterPS.Report
{
    /// <summary>One example cluster of the report's gallery: its image and its caption.</summary>
    public sealed class GalleryImage
    {
        internal GalleryImage(string path, string group, float[,] image, string[] caption)
        {
            Path = path;
            Group = group;
            Image = image;
            Caption = caption;
        }

        /// <summary>The batch file the cluster came from.</summary>
        public string Path { get; }
        public string Group { get; }
        public float[,] Image { get; }
        public string[] Caption { get; }
    }

    /// <summary>
    /// What a dataset report shows, gathered file by file: the reference statistics, the audit's
    /// findings, the files that could not be read, histograms of energies, charge and positions
    /// per class (Marley and background), and a few example images per class. Each file's images
    /// are read once, streaming: charges and gallery pictures come from the same pass, and only the
    /// gallery's images are kept.
    /// </summary>
    public sealed class DatasetReport
    {
        /// <summary>Example images kept per class.</summary>
        public const int GalleryPerGroup = 6;

        /// <summary>Example images taken from one file per class, so that the gallery shows several files.</summary>
        public const int GalleryPerFile = 2;

        /// <summary>Bins of the report's histograms.</summary>
        public const int Bins = 30;

        /// <summary>The properties charted, in order.</summary>
        public static readonly IReadOnlyList<string> ChartedProperties =
            new[] { "ParticleEnergy", "NuEnergy", HistogramField.Charge, "PositionX", "PositionY", "PositionZ" };

        private readonly DatasetAuditor _auditor;
        private readonly List<AuditFinding> _findings = new List<AuditFinding>();
        private readonly List<KeyValuePair<string, string>> _unreadable = new List<KeyValuePair<string, string>>();
        private readonly List<HistogramBuilder> _builders;
        private readonly List<GalleryImage> _gallery = new List<GalleryImage>();
        private readonly IReadOnlyList<string> _groups = HistogramField.GroupNames(HistogramGroupBy.Marley);
        private IReadOnlyList<IReadOnlyList<ClusterHistogram>>? _histograms;

        /// <param name="layout">The layout to audit with (null: detected per file).</param>
        public DatasetReport(ClusterLayout? layout)
        {
            _auditor = new DatasetAuditor(layout);
            _builders = ChartedProperties.Select(p => new HistogramBuilder(p, HistogramGroupBy.Marley, Bins)).ToList();
        }

        public ClusterStatistics Statistics { get; } = new ClusterStatistics();
        public IReadOnlyList<AuditFinding> Findings => _findings;

        /// <summary>Files that could not be read, with why.</summary>
        public IReadOnlyList<KeyValuePair<string, string>> Unreadable => _unreadable;

        public IReadOnlyList<GalleryImage> Gallery => _gallery;

        /// <summary>Per charted property, its histograms (one per class that has clusters); after <see cref="Finish"/>.</summary>
        public IReadOnlyList<IReadOnlyList<ClusterHistogram>> Histograms =>
            _histograms ?? throw new InvalidOperationException("The report is not finished.");

        /// <summary>Runs the audit over a file (readable or not) and keeps its findings.</summary>
        public void Audit(string path, Func<bool>? stopping = null) => _findings.AddRange(_auditor.AuditFile(path, stopping));

        /// <summary>Records a file that could not be read.</summary>
        public void AddUnreadable(string path, string message) => _unreadable.Add(new KeyValuePair<string, string>(path, message));

        /// <summary>Counts, bins and samples a readable file.</summary>
        public void Add(BatchFile file, Func<bool>? stopping = null)
        {
            Statistics.Add(file);
            double[] charges = ChargeScan.All(file, stopping, (row, pixels) => Sample(file, row, pixels));
            foreach (HistogramBuilder builder in _builders) builder.Add(builder.Read(file, stopping, charges));
        }

        /// <summary>Ends the report: the dataset-wide audit findings and the histograms.</summary>
        public void Finish()
        {
            _findings.AddRange(_auditor.Finish());
            _histograms = _builders.Select(b => b.Finish()).ToList();
        }

        /// <summary>Keeps a row's image when its class still needs examples.</summary>
        private void Sample(BatchFile file, int row, ReadOnlySpan<float> pixels)
        {
            var metadata = new ReadOnlySpan<float>(file.Metadata, row * file.Columns, file.Columns);
            string group = _groups[HistogramField.GroupOf(HistogramGroupBy.Marley, metadata, file.ColumnLayout!, file.Batch.WirePlane)];
            if (_gallery.Count(g => g.Group == group) >= GalleryPerGroup
                || _gallery.Count(g => g.Group == group && g.Path == file.Path) >= GalleryPerFile) return;
            ImageShape shape = file.Batch.ImageShape!;
            var image = new float[shape.Ticks, shape.Channels];
            for (int t = 0, k = 0; t < shape.Ticks; t++)
            {
                for (int c = 0; c < shape.Channels; c++) image[t, c] = pixels[k++];
            }

            var cluster = new Cluster(file.Batch, row, metadata.ToArray(), null, 0, PixelMath.Sum(pixels));
            _gallery.Add(new GalleryImage(file.Path, group, image, ClusterCaption.Lines(cluster)));
        }
    }
}
