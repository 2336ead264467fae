// The NumSharp side of the ClusterPS benchmark (SPEC section 7, bench/README.md).
//
//   dotnet run -c Release --project bench/NumSharpBench -- DIR [--runs K] [--charge-cut C]
//                                                          [--workload statistics|charge|all]
//
// In this one process, for the batch files of DIR: one warm-up run of each workload, then the
// best of K timed runs, done the way a NumSharp user would write them with np.load_npz:
//   statistics   per file npz["metadata"], vectorised counts (clusters, planes, ES/CC, Marley,
//                main track)
//   charge       per file npz["images"], per-cluster sums, sums >= C, count passing and Marley
//                among passing
// Prints one JSON object: times (best and all runs), counts, and the process's peak working set.
// A workload that NumSharp cannot run on these files (its reader throws, say) is recorded in the
// JSON as an error instead of ending the process.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using NumSharp;
using NumSharp.IO;

internal static class Program
{
    private static int Main(string[] args)
    {
        string? dir = null;
        int runs = 5;
        double? cut = null;
        string workload = "all";
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--runs": runs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--charge-cut": cut = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--workload": workload = args[++i]; break;
                default: dir = args[i]; break;
            }
        }

        if (dir == null || !Directory.Exists(dir))
        {
            Console.Error.WriteLine("usage: NumSharpBench DIR [--runs K] [--charge-cut C] [--workload statistics|charge|all]");
            return 2;
        }

        if (cut == null)
        {
            string cutFile = Path.Combine(dir, "charge_cut.txt");
            cut = double.Parse(File.ReadAllText(cutFile).Trim(), CultureInfo.InvariantCulture);
        }

        // Plane then batch order, as the other sides read them (the order does not change counts).
        string[] files = Directory.GetFiles(dir, "*.npz").OrderBy(f => Path.GetFileName(f), StringComparer.Ordinal).ToArray();
        var result = new Dictionary<string, object?>
        {
            ["side"] = "NumSharp",
            ["numsharp_version"] = typeof(np).Assembly.GetName().Version?.ToString(),
            ["dotnet"] = Environment.Version.ToString(),
            ["dataset"] = Path.GetFullPath(dir),
            ["files"] = files.Length,
            ["runs"] = runs,
            ["charge_cut"] = cut.Value,
        };

        if (workload is "all" or "statistics")
        {
            result["statistics"] = Measure(() => Statistics(files), runs);
        }

        if (workload is "all" or "charge")
        {
            double c = cut.Value;
            result["charge"] = Measure(() => Charge(files, c), runs);
        }

        using Process self = Process.GetCurrentProcess();
        self.Refresh();
        result["peak_working_set_bytes"] = self.PeakWorkingSet64;
        Console.WriteLine(JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
        return 0;
    }

    /// <summary>One warm-up, then the best of <paramref name="runs"/>; an exception is recorded, not thrown.</summary>
    private static Dictionary<string, object?> Measure(Func<Dictionary<string, long>> work, int runs)
    {
        var times = new List<double>();
        Dictionary<string, long>? counts = null;
        try
        {
            counts = work();
            for (int i = 0; i < runs; i++)
            {
                var sw = Stopwatch.StartNew();
                counts = work();
                sw.Stop();
                times.Add(sw.Elapsed.TotalSeconds);
            }
        }
        catch (Exception ex)
        {
            return new Dictionary<string, object?>
            {
                ["error"] = $"{ex.GetType().FullName}: {ex.Message}",
                ["times"] = times,
                ["counts"] = counts,
            };
        }

        return new Dictionary<string, object?>
        {
            ["best"] = times.Min(),
            ["times"] = times,
            ["counts"] = counts,
        };
    }

    private static Dictionary<string, long> Statistics(string[] files)
    {
        long clusters = 0, u = 0, v = 0, x = 0, es = 0, cc = 0, marley = 0, main = 0;
        foreach (string f in files)
        {
            // The analyzer shipped with NumSharp 0.70 asks for every temporary to be disposed so its
            // pooled buffer is returned at once: done here with using declarations.
            using NpzFile npz = np.load_npz(f);
            NDArray m = npz["metadata"]; // owned (cached) by the archive
            int n = (int)m.shape[0];
            clusters += n;
            using NDArray plane = m[":, 10"];
            using (NDArray isU = plane == 0f) u += np.count_nonzero(isU);
            using (NDArray isV = plane == 1f) v += np.count_nonzero(isV);
            using (NDArray isX = plane == 2f) x += np.count_nonzero(isX);
            using NDArray esCol = m[":, 11"];
            using NDArray isEs = esCol == 1f;
            long nEs = np.count_nonzero(isEs);
            es += nEs;
            cc += n - nEs;
            using NDArray marleyCol = m[":, 0"];
            using NDArray isMarley = marleyCol == 1f;
            marley += np.count_nonzero(isMarley);
            using NDArray mainCol = m[":, 1"];
            using NDArray isMain = mainCol == 1f;
            main += np.count_nonzero(isMain);
        }

        return new Dictionary<string, long>
        {
            ["clusters"] = clusters, ["U"] = u, ["V"] = v, ["X"] = x,
            ["ES"] = es, ["CC"] = cc, ["marley"] = marley, ["main_track"] = main,
        };
    }

    private static Dictionary<string, long> Charge(string[] files, double cut)
    {
        long clusters = 0, passing = 0, passingMarley = 0;
        foreach (string f in files)
        {
            using NpzFile npz = np.load_npz(f);
            NDArray images = npz["images"];
            NDArray m = npz["metadata"];
            int n = (int)images.shape[0];
            clusters += n;
            // images.sum((1, 2)): NumSharp's sum takes one axis, so flatten each image first.
            using NDArray flat = images.reshape(n, (int)(images.shape[1] * images.shape[2]));
            using NDArray sums = np.sum(flat, 1);
            using NDArray pass = sums >= cut;
            passing += np.count_nonzero(pass);
            using NDArray marleyCol = m[":, 0"];
            using NDArray isMarley = marleyCol == 1f;
            using NDArray both = np.logical_and(pass, isMarley);
            passingMarley += np.count_nonzero(both);
        }

        return new Dictionary<string, long>
        {
            ["clusters"] = clusters, ["pass"] = passing, ["pass_marley"] = passingMarley,
        };
    }
}
