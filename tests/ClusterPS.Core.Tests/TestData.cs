using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace ClusterPS.Tests
{
    /// <summary>Where the test data lives: the csproj copies tests/data/** to data/ and samples/*.npz to samples/.</summary>
    internal static class TestData
    {
        public static string Root { get; } = Path.Combine(AppContext.BaseDirectory, "data");
        public static string Golden { get; } = Path.Combine(Root, "golden");
        public static string Broken { get; } = Path.Combine(Root, "broken");
        public static string Samples { get; } = Path.Combine(AppContext.BaseDirectory, "samples");
        public static string SamplesExpectedJson { get; } = Path.Combine(Root, "samples_expected.json");

        public static string GoldenFile(string relative) => Path.Combine(Golden, relative.Replace('/', Path.DirectorySeparatorChar));

        public static IReadOnlyList<string> SampleFiles() =>
            Directory.GetFiles(Samples, "clusters_plane*_batch*.npz").OrderBy(p => p, StringComparer.Ordinal).ToList();

        public static JsonDocument ReadJson(string path) => JsonDocument.Parse(File.ReadAllBytes(path));

        /// <summary>A float32 value printed by Python as a double: parse as double, then cast (exact for float32 values).</summary>
        public static float F32(JsonElement e) => (float)e.GetDouble();
    }

    /// <summary>A scratch folder under the system temp directory, deleted on Dispose.</summary>
    internal sealed class TempDir : IDisposable
    {
        public TempDir()
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "clusterps-tests-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Path);
        }

        public string Path { get; }

        public string File(string name) => System.IO.Path.Combine(Path, name);

        /// <summary>Copies <paramref name="source"/> into the folder (optionally under another name) and returns the new path.</summary>
        public string Copy(string source, string? name = null)
        {
            string target = File(name ?? System.IO.Path.GetFileName(source));
            System.IO.File.Copy(source, target);
            return target;
        }

        public void Dispose()
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
