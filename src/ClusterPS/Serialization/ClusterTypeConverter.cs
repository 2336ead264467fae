using System;
using System.Collections;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Runtime.InteropServices;

namespace ClusterPS.Commands
{
    /// <summary>
    /// Turns deserialized ClusterPS objects (from Receive-Job, Invoke-Command, Import-Clixml) back into
    /// live ones. module/ClusterPS.Types.ps1xml names this converter for each ClusterPS type and sets
    /// TargetTypeForDeserialization on each <c>Deserialized.ClusterPS.*</c> type, so PowerShell's
    /// deserializer calls it in any session that imported the module: statistics and histograms
    /// merge and print, batches and clusters stand for their own files again, and findings keep
    /// their view.
    /// </summary>
    public sealed class ClusterTypeConverter : PSTypeConverter
    {
        private const string Deserialized = "Deserialized.";

        public override bool CanConvertFrom(object sourceValue, Type destinationType) => LiveTypeOf(sourceValue) == destinationType;

        public override object ConvertFrom(object sourceValue, Type destinationType, IFormatProvider formatProvider, bool ignoreCase)
        {
            var source = (PSObject)sourceValue;
            try
            {
                if (destinationType == typeof(ClusterStatistics)) return Statistics(source);
                if (destinationType == typeof(ClusterBatch)) return Batch(source);
                if (destinationType == typeof(Cluster)) return Cluster(source);
                if (destinationType == typeof(AuditFinding)) return Finding(source);
                if (destinationType == typeof(ClusterHistogram)) return Histogram(source);
            }
            catch (Exception ex) when (ex is FormatException || ex is OverflowException || ex is ArgumentException || ex is InvalidCastException || ex is PSInvalidCastException)
            {
                string of = source.Properties["Path"]?.Value is string path ? " of " + path : "";
                throw new PSInvalidCastException($"This {destinationType.Name}{of} cannot be rebuilt from its serialized form: {ex.Message}", ex);
            }

            throw new PSInvalidCastException($"ClusterPS cannot rebuild a {destinationType.Name}.");
        }

        /// <summary>
        /// Also registered for the <c>Deserialized.ClusterPS.*</c> type names: PowerShell's SSH remoting
        /// deserializes with its built-in type table only, so objects from <c>Invoke-Command -HostName</c>
        /// arrive un-rebuilt; this lets parameter binding rebuild them for any parameter that takes
        /// their live type (or an interface of it, such as IClusterData), and casts work too.
        /// </summary>
        public override bool CanConvertTo(object sourceValue, Type destinationType) =>
            LiveTypeOf(sourceValue) is Type live && destinationType.IsAssignableFrom(live) && destinationType != typeof(object);

        public override object ConvertTo(object sourceValue, Type destinationType, IFormatProvider formatProvider, bool ignoreCase) =>
            ConvertFrom(sourceValue, LiveTypeOf(sourceValue) ?? throw new PSInvalidCastException("Not a deserialized ClusterPS object."), formatProvider, ignoreCase);

        /// <summary>Rebuilds a deserialized ClusterPS object; false for anything else.</summary>
        internal static bool TryRebuild(PSObject value, out IClusterData? rebuilt)
        {
            Type? live = LiveTypeOf(value);
            rebuilt = live != null && typeof(IClusterData).IsAssignableFrom(live)
                ? (IClusterData)new ClusterTypeConverter().ConvertFrom(value, live, CultureInfo.InvariantCulture, true)
                : null;
            return rebuilt != null;
        }

        private static Type? LiveTypeOf(object value) =>
            value is PSObject source
                ? Rebuilt.FirstOrDefault(t => source.TypeNames.Contains(Deserialized + t.FullName))
                : null;

        private static readonly Type[] Rebuilt = { typeof(ClusterStatistics), typeof(ClusterBatch), typeof(Cluster), typeof(AuditFinding), typeof(ClusterHistogram) };

        private static ClusterStatistics Statistics(PSObject source)
        {
            var statistics = new ClusterStatistics();
            bool singleFile = Get<bool>(source, nameof(ClusterMembers.SingleFileSource));
            foreach (string named in Get<string[]>(source, nameof(ClusterMembers.NamedSources)) ?? Array.Empty<string>()) statistics.AddSource(named, singleFile);
            foreach (string tally in Get<string[]>(source, nameof(ClusterMembers.Tallies)) ?? Array.Empty<string>()) statistics.Add(FileTally.Parse(tally));
            return statistics;
        }

        private static ClusterBatch Batch(PSObject source)
        {
            string path = Required<string>(source, nameof(ClusterBatch.Path));
            string? shape = Get<string>(source, nameof(ClusterBatch.ImageShape));
            string? plane = Get<string>(source, nameof(ClusterBatch.Plane));
            return new ClusterBatch(
                path,
                Get<string>(source, nameof(ClusterBatch.Name)) ?? System.IO.Path.GetFileName(path),
                string.IsNullOrEmpty(plane) ? (Plane?)null : (Plane)Enum.Parse(typeof(Plane), plane, ignoreCase: true),
                Get<int?>(source, nameof(ClusterBatch.BatchNumber)),
                Get<int>(source, nameof(ClusterBatch.Count)),
                string.IsNullOrEmpty(shape) ? null : ImageShape.Parse(shape!),
                ClusterLayout.FromDefinition(Required<string>(source, nameof(ClusterMembers.LayoutDefinition))),
                Get<long>(source, nameof(ClusterBatch.Length)),
                Get<bool>(source, nameof(ClusterBatch.Compressed)),
                BatchFileStamp.Parse(Required<string>(source, nameof(ClusterMembers.FileStamp))));
        }

        /// <summary>
        /// A cluster from its Path, Index and Source (see ClusterMembers.Source), or from the
        /// SourceBatch and Row that ClusterPS 0.2.0 and 0.2.1 wrote instead of Source.
        /// </summary>
        private static Cluster Cluster(PSObject source)
        {
            string path = Required<string>(source, nameof(ClusterPS.Cluster.Path));
            string? travelled = Get<string>(source, nameof(ClusterMembers.Source));
            (ClusterBatch batch, string rowText) = travelled != null
                ? FromSource(travelled, path)
                : (BatchOf(Required<string>(source, FormerBatch), -1, path), Required<string>(source, FormerRow));
            byte[] row = Convert.FromBase64String(rowText);
            if (row.Length % sizeof(float) != 0) throw new FormatException("its metadata row is not a whole number of float32 values");
            return new Cluster(batch, Get<int>(source, nameof(ClusterPS.Cluster.Index)), MemoryMarshal.Cast<byte, float>(row).ToArray());
        }

        /// <summary>A Source line split into its batch and its metadata row (base64, which holds no ';').</summary>
        private static (ClusterBatch Batch, string Row) FromSource(string travelled, string path)
        {
            int cut = travelled.LastIndexOf(';');
            if (cut < 0) throw new FormatException("its Source holds no metadata row");
            return (BatchOf(travelled, cut, path), travelled.Substring(cut + 1));
        }

        private const string FormerBatch = "SourceBatch", FormerRow = "Row";

        /// <summary>
        /// The batch that the first <paramref name="length"/> characters of <paramref name="text"/>
        /// (all of it when negative) describe: the clusters of one batch arrive together, so the last
        /// one is reused.
        /// </summary>
        private static ClusterBatch BatchOf(string text, int length, string path)
        {
            ReadOnlySpan<char> batchText = length < 0 ? text.AsSpan() : text.AsSpan(0, length);
            (string Text, string Path, ClusterBatch Batch)? last = _lastBatch;
            if (last != null && last.Value.Path == path && batchText.SequenceEqual(last.Value.Text.AsSpan())) return last.Value.Batch;
            string key = batchText.ToString();
            ClusterBatch batch = ClusterBatch.Parse(key, path);
            _lastBatch = (key, path, batch);
            return batch;
        }

        [ThreadStatic]
        private static (string Text, string Path, ClusterBatch Batch)? _lastBatch;

        private static AuditFinding Finding(PSObject source) => new AuditFinding(
            Required<string>(source, nameof(AuditFinding.Severity)),
            Required<string>(source, nameof(AuditFinding.Rule)),
            Get<string>(source, nameof(AuditFinding.Path)),
            Get<int?>(source, nameof(AuditFinding.Index)),
            Get<int>(source, nameof(AuditFinding.Count)),
            Get<string>(source, nameof(AuditFinding.Message)) ?? "");

        private static ClusterHistogram Histogram(PSObject source) => ClusterHistogram.FromParts(
            Required<string>(source, nameof(ClusterHistogram.Property)),
            Required<string>(source, nameof(ClusterHistogram.Group)),
            Required<double[]>(source, nameof(ClusterHistogram.Edges)),
            Required<long[]>(source, nameof(ClusterHistogram.Counts)),
            Get<long>(source, nameof(ClusterHistogram.Underflow)),
            Get<long>(source, nameof(ClusterHistogram.Overflow)),
            Get<long>(source, nameof(ClusterHistogram.Missing)));

        private static T Required<T>(PSObject source, string name) =>
            Get<T>(source, name) ?? throw new ArgumentException($"it has no {name}");

        private static T Get<T>(PSObject source, string name)
        {
            object? value = source.Properties[name]?.Value;
            if (value == null) return default!;
            if (value is PSObject pso && !(pso.BaseObject is PSCustomObject)) value = pso.BaseObject;
            if (value is T typed) return typed;
            return LanguagePrimitives.ConvertTo<T>(value is IList list && typeof(T).IsArray ? list.Cast<object>().ToArray() : value);
        }
    }
}
