using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using ClusterPS.Npz;

namespace ClusterPS
{
    /// <summary>
    /// The dataset audit: reads every byte of every file (verifying CRC-32s), applies the per-file
    /// and per-cluster rules, and at the end the dataset-wide ones (mixed shapes and dtypes,
    /// batch-number gaps). Memory stays bounded: images are streamed and duplicates are found by
    /// 128-bit hashes, not by keeping pixels. A rule that fails for many clusters of one file gives
    /// one finding naming the first cluster and the count.
    /// </summary>
    public sealed class DatasetAuditor
    {
        public const string Error = "Error";
        public const string Warning = "Warning";
        public const string Info = "Info";
        public const int MaxBatchClusters = 1000;

        private readonly ClusterLayout? _layout;
        private readonly Dictionary<Hash128, (string File, int Index)> _seen = new Dictionary<Hash128, (string, int)>();
        private readonly HashSet<string> _audited = new HashSet<string>(StringComparer.Ordinal);
        private readonly Trait _imageShapes = new Trait("MixedImageShapes", "images of shape {0}");
        private readonly Trait _dtypes = new Trait("MixedDTypes", "arrays of dtype {0}");
        private readonly Trait _columnCounts = new Trait("MixedLayouts", "{0} metadata columns");
        private readonly Dictionary<Plane, SortedSet<int>> _batchNumbers = new Dictionary<Plane, SortedSet<int>>();
        private readonly SortedSet<string> _folders = new SortedSet<string>(StringComparer.Ordinal);

        /// <param name="layout">The layout to read with; null detects it by column count.</param>
        public DatasetAuditor(ClusterLayout? layout) => _layout = layout;

        /// <summary>Audits one file; returns its findings. A file already audited is skipped (it would duplicate itself).</summary>
        public IReadOnlyList<AuditFinding> AuditFile(string path, Func<bool>? stopping = null)
        {
            var findings = new FileFindings(path);
            if (!_audited.Add(path)) return findings.ToList();
            AddFolder(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)) ?? ".");
            RecordBatchNumber(path);
            try
            {
                using BatchFile file = BatchFile.OpenUnchecked(path, _layout);
                Record(file);
                if (file.LayoutProblem != null)
                {
                    // Without -Layout no built-in layout has the file's column count; with it, the given one does not fit.
                    findings.Add(Error, _layout == null ? "UnknownLayout" : "LayoutMismatch", null,
                        file.LayoutProblem + (_layout == null ? "; pass -Layout to audit its metadata" : "; its metadata was not audited"));
                }

                if (file.Count > MaxBatchClusters)
                {
                    findings.Add(Warning, "OversizedBatch", null, $"it holds {file.Count:N0} clusters, more than the {MaxBatchClusters:N0} a batch should have");
                }

                if (file.MetadataDType != "<f4" || (file.ImageDType != null && file.ImageDType != "<f4"))
                {
                    findings.Add(Info, "NotFloat32", null,
                        $"its arrays are stored as metadata '{file.MetadataDType}'" + (file.ImageDType != null ? $", images '{file.ImageDType}'" : "") + "; the seed writes '<f4'");
                }

                if (file.ColumnLayout != null) CheckMetadata(file, file.ColumnLayout, findings);
                CheckImages(file, findings, stopping);
            }
            catch (NpzFormatException ex)
            {
                findings.Add(Error, RuleFor(ex.Code), null, ex.Reason);
            }

            return findings.ToList();
        }

        /// <summary>Names a folder to look for leftovers of killed writes in (the folders of audited files are looked at anyway).</summary>
        public void AddFolder(string directory) => _folders.Add(System.IO.Path.GetFullPath(directory));

        /// <summary>
        /// The dataset-wide findings, once every file has been audited: each file whose image shape,
        /// dtypes or column count differs from the rest of the dataset's (one finding per odd file,
        /// naming the majority), gaps in each plane's batch numbers, and the temporary files that
        /// killed exports left in the audited folders.
        /// </summary>
        public IEnumerable<AuditFinding> Finish()
        {
            foreach (AuditFinding finding in StaleTempFiles()) yield return finding;

            foreach (Trait trait in new[] { _imageShapes, _dtypes, _columnCounts })
            {
                foreach (AuditFinding finding in trait.Findings()) yield return finding;
            }

            foreach (KeyValuePair<Plane, SortedSet<int>> plane in _batchNumbers.OrderBy(p => p.Key))
            {
                int max = plane.Value.Max;
                List<int> missing = Enumerable.Range(0, max + 1).Where(n => !plane.Value.Contains(n)).ToList();
                if (missing.Count > 0)
                {
                    yield return new AuditFinding(Warning, "BatchNumberGap", null, null, missing.Count,
                        $"plane {plane.Key} has batches up to {max:D4} but lacks " + Abbreviate(missing.Select(n => n.ToString("D4", CultureInfo.InvariantCulture))));
                }
            }
        }

        /// <summary>One Warning per leftover temporary file of a batch file (see <see cref="AtomicFile.Leftovers"/>; any age, as reporting one harms nothing).</summary>
        private IEnumerable<AuditFinding> StaleTempFiles()
        {
            var findings = new List<AuditFinding>();
            foreach (string folder in _folders)
            {
                try
                {
                    foreach (System.IO.FileInfo file in AtomicFile.Leftovers(folder, TimeSpan.Zero, t => t.EndsWith(".npz", StringComparison.OrdinalIgnoreCase)))
                    {
                        string age = (DateTime.UtcNow - file.LastWriteTimeUtc).TotalMinutes.ToString("N0", CultureInfo.InvariantCulture);
                        findings.Add(new AuditFinding(Warning, "StaleTempFile", file.FullName, null, 1,
                            $"{file.Name}: a temporary file left by a write of {AtomicFile.TargetOf(file.Name)} that never finished (last written {age} min ago, held by no writer); "
                            + "it can be deleted, and Export-ClusterBatch -Force into this folder removes its own once they are "
                            + AtomicFile.StaleAfter.TotalMinutes.ToString(CultureInfo.InvariantCulture) + " minutes old"));
                    }
                }
                catch (Exception ex) when (ex is System.IO.IOException || ex is UnauthorizedAccessException)
                {
                    // A folder that cannot be listed has no leftovers to report; its files' own findings say why.
                }
            }

            return findings;
        }

        private void Record(BatchFile file)
        {
            if (file.Batch.ImageShape != null) _imageShapes.Add(file.Path, file.Batch.ImageShape.ToString());
            _dtypes.Add(file.Path, file.MetadataDType + (file.ImageDType != null ? " (metadata), " + file.ImageDType + " (images)" : ""));
            _columnCounts.Add(file.Path, file.Columns.ToString(CultureInfo.InvariantCulture));
        }

        /// <summary>Batch numbers come from the file name, readable or not: a broken batch is not a missing one.</summary>
        private void RecordBatchNumber(string path)
        {
            string name = System.IO.Path.GetFileName(path);
            (Plane? plane, int? number) = BatchFileName.Parse(name);
            if (plane == null || number == null) return;
            if (!_batchNumbers.TryGetValue(plane.Value, out SortedSet<int>? numbers)) _batchNumbers[plane.Value] = numbers = new SortedSet<int>();
            numbers.Add(number.Value);
        }

        private static void CheckMetadata(BatchFile file, ClusterLayout layout, FileFindings findings)
        {
            Plane? namePlane = BatchFileName.PlaneOf(file.Batch.Name);
            int cols = file.Columns;
            float[] meta = file.Metadata;
            for (int r = 0; r < file.Count; r++)
            {
                var row = new ReadOnlySpan<float>(meta, r * cols, cols);
                int bad = IndexOfNonFinite(row);
                if (bad >= 0)
                {
                    findings.Add(Error, "NonFiniteMetadata", r, $"cluster {r} has {ClusterLayout.Format(row[bad])} in metadata column {bad}");
                }

                foreach (ClusterField flag in ClusterLayout.Flags)
                {
                    int col = layout.Column(flag);
                    if (col >= 0 && !MetadataRules.IsFlag(row[col]))
                    {
                        findings.Add(Error, "FlagNotBinary", r, $"cluster {r} has {flag} = {ClusterLayout.Format(row[col])} (column {col}); flags must be 0 or 1");
                    }
                }

                int planeCol = layout.Column(ClusterField.PlaneId);
                if (planeCol >= 0)
                {
                    float id = row[planeCol];
                    Plane? plane = MetadataRules.PlaneOf(id);
                    if (plane == null)
                    {
                        findings.Add(Error, "InvalidPlaneId", r, $"cluster {r} has plane id {ClusterLayout.Format(id)} (column {planeCol}); plane ids are 0, 1 or 2");
                    }
                    else if (namePlane != null && plane != namePlane)
                    {
                        findings.Add(Error, "PlaneMismatch", r, $"cluster {r} says plane {plane} (column {planeCol}) but the file name says plane {namePlane}");
                    }
                }

                if (layout.Has(ClusterField.DirectionX) && layout.Has(ClusterField.DirectionY) && layout.Has(ClusterField.DirectionZ))
                {
                    double dx = row[layout.Column(ClusterField.DirectionX)];
                    double dy = row[layout.Column(ClusterField.DirectionY)];
                    double dz = row[layout.Column(ClusterField.DirectionZ)];
                    double length = Math.Sqrt(dx * dx + dy * dy + dz * dz);
                    if (!MetadataRules.IsUnitOrZero(length))
                    {
                        findings.Add(Warning, "DirectionNotUnit", r, $"cluster {r} has a direction of length {length:G6}; directions are unit vectors (or zero when unknown)");
                    }
                }

                int nu = layout.Column(ClusterField.NuEnergy);
                if (nu >= 0 && MetadataRules.IsBadNuEnergy(row[nu]))
                {
                    findings.Add(Warning, "InvalidEnergySentinel", r, $"cluster {r} has neutrino energy {ClusterLayout.Format(row[nu])}; unknown energies are written as -1");
                }

                int pe = layout.Column(ClusterField.ParticleEnergy);
                if (pe >= 0 && MetadataRules.IsBadParticleEnergy(row[pe]))
                {
                    findings.Add(Warning, "InvalidEnergySentinel", r, $"cluster {r} has a negative particle energy ({ClusterLayout.Format(row[pe])})");
                }
            }
        }

        private void CheckImages(BatchFile file, FileFindings findings, Func<bool>? stopping)
        {
            int cols = file.Columns;
            using MD5 md5 = MD5.Create();
            var rowBytes = new byte[cols * 4];
            if (file.Batch.ImageShape == null)
            {
                for (int r = 0; r < file.Count; r++) CheckDuplicate(file, md5, r, rowBytes, default, findings);
                return;
            }

            using NpyArray images = file.OpenImages();
            int pixels = file.Batch.ImageShape.Pixels;
            // Sized by the image shape, which no data vouches for when there are no clusters.
            var pixelBytes = file.Count == 0 ? Array.Empty<byte>() : new byte[pixels * 4];
            int chunk = Math.Max(1, (1 << 19) / (pixels * 4));
            for (int start = 0; start < file.Count; start += chunk)
            {
                if (stopping != null && stopping()) return;
                int n = Math.Min(chunk, file.Count - start);
                ReadOnlySpan<float> rows = images.ReadRows(n);
                for (int k = 0; k < n; k++)
                {
                    ReadOnlySpan<float> image = rows.Slice(k * pixels, pixels);
                    int bad = IndexOfNonFinite(image);
                    if (bad >= 0)
                    {
                        int t = bad / file.Batch.ImageShape.Channels, c = bad % file.Batch.ImageShape.Channels;
                        findings.Add(Error, "NonFiniteImage", start + k, $"cluster {start + k} has {ClusterLayout.Format(image[bad])} at tick {t}, channel {c}");
                    }

                    System.Runtime.InteropServices.MemoryMarshal.AsBytes(image).CopyTo(pixelBytes);
                    CheckDuplicate(file, md5, start + k, rowBytes, pixelBytes, findings);
                }
            }

            images.ReadToEnd(); // verifies the CRC-32 of the whole member
        }

        private void CheckDuplicate(BatchFile file, MD5 md5, int r, byte[] rowBytes, byte[]? pixelBytes, FileFindings findings)
        {
            Buffer.BlockCopy(file.Metadata, r * file.Columns * 4, rowBytes, 0, rowBytes.Length);
            md5.Initialize();
            md5.TransformBlock(rowBytes, 0, rowBytes.Length, null, 0);
            md5.TransformFinalBlock(pixelBytes ?? Array.Empty<byte>(), 0, pixelBytes?.Length ?? 0);
            var hash = new Hash128(md5.Hash!);
            if (_seen.TryGetValue(hash, out (string File, int Index) first))
            {
                string where = first.File == file.Path ? $"cluster {first.Index} of this file" : $"{System.IO.Path.GetFileName(first.File)} cluster {first.Index}";
                findings.Add(Warning, "DuplicateCluster", r, $"cluster {r} is identical (image and metadata) to {where}");
            }
            else
            {
                _seen[hash] = (file.Path, r);
            }
        }

        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        private static int IndexOfNonFinite(ReadOnlySpan<float> values)
        {
            for (int i = 0; i < values.Length; i++)
            {
                if (float.IsNaN(values[i]) || float.IsInfinity(values[i])) return i;
            }

            return -1;
        }

        private static string RuleFor(NpzErrorCode code)
        {
            switch (code)
            {
                case NpzErrorCode.ChecksumMismatch: return "CrcMismatch";
                case NpzErrorCode.RowCountMismatch: return "RowCountMismatch";
                case NpzErrorCode.InvalidShape:
                case NpzErrorCode.SizeMismatch: return "ShapeMismatch";
                default: return "UnreadableFile";
            }
        }


        private static string Abbreviate(IEnumerable<string> items)
        {
            List<string> list = items.ToList();
            return list.Count <= 10 ? string.Join(", ", list) : string.Join(", ", list.Take(10)) + $" and {list.Count - 10} more";
        }

        /// <summary>A file's findings, one per rule: the first cluster is named and later ones counted.</summary>
        private sealed class FileFindings
        {
            private readonly string _path;
            private readonly Dictionary<string, (string Severity, int? Index, int Count, string Message)> _byRule =
                new Dictionary<string, (string, int?, int, string)>();
            private readonly List<string> _order = new List<string>();

            public FileFindings(string path) => _path = path;

            public void Add(string severity, string rule, int? index, string message)
            {
                if (_byRule.TryGetValue(rule, out var existing))
                {
                    _byRule[rule] = (existing.Severity, existing.Index, existing.Count + 1, existing.Message);
                    return;
                }

                _order.Add(rule);
                _byRule[rule] = (severity, index, 1, message);
            }

            public List<AuditFinding> ToList() => _order.Select(rule =>
            {
                var f = _byRule[rule];
                string message = f.Count > 1 ? $"{f.Message} (and {f.Count - 1:N0} more clusters in this file)" : f.Message;
                return new AuditFinding(f.Severity, rule, _path, f.Index, f.Count, $"{System.IO.Path.GetFileName(_path)}: {message}");
            }).ToList();
        }

        /// <summary>
        /// A property every file of a dataset should share (image shape, dtypes, column count): the
        /// value of each file, and a finding for each file that differs from the most common value.
        /// </summary>
        private sealed class Trait
        {
            private readonly string _rule;
            private readonly string _describe;
            private readonly List<(string Path, string Value)> _files = new List<(string, string)>();

            public Trait(string rule, string describe)
            {
                _rule = rule;
                _describe = describe;
            }

            public void Add(string path, string value) => _files.Add((path, value));

            public IEnumerable<AuditFinding> Findings()
            {
                var groups = _files.GroupBy(f => f.Value).OrderByDescending(g => g.Count()).ToList();
                if (groups.Count < 2) yield break;
                string common = string.Format(CultureInfo.InvariantCulture, _describe, groups[0].Key);
                foreach ((string path, string value) in groups.Skip(1).SelectMany(g => g))
                {
                    yield return new AuditFinding(Warning, _rule, path, null, 0,
                        $"{System.IO.Path.GetFileName(path)}: it has {string.Format(CultureInfo.InvariantCulture, _describe, value)}, "
                        + $"while {groups[0].Count()} of the dataset's {_files.Count} files have {common}");
                }
            }
        }

        private readonly struct Hash128 : IEquatable<Hash128>
        {
            private readonly ulong _a, _b;

            public Hash128(byte[] bytes)
            {
                _a = BitConverter.ToUInt64(bytes, 0);
                _b = BitConverter.ToUInt64(bytes, 8);
            }

            public bool Equals(Hash128 other) => _a == other._a && _b == other._b;
            public override bool Equals(object? obj) => obj is Hash128 h && Equals(h);
            public override int GetHashCode() => _a.GetHashCode();
        }
    }
}
