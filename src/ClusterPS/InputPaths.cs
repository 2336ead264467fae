using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;

namespace ClusterPS.Commands
{
    /// <summary>
    /// Input paths as every reading command resolves them: through the session (relative paths follow
    /// the current location), FileSystem only, directories expanded to their .npz files in plane then
    /// batch order. Errors and warnings are written through the calling cmdlet.
    /// </summary>
    internal static class InputPaths
    {
        /// <summary>
        /// The file system paths an input stands for (wildcards expanded unless <paramref name="literal"/>);
        /// null after writing a Get-Item-like error for a missing path; empty after an error for a path
        /// of another provider.
        /// </summary>
        public static IReadOnlyList<string>? Resolve(PSCmdlet cmdlet, string input, bool literal)
        {
            ProviderInfo provider;
            IReadOnlyList<string> paths;
            try
            {
                if (literal)
                {
                    string path = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(input, out provider, out _);
                    if (!File.Exists(path) && !Directory.Exists(path))
                    {
                        throw new ItemNotFoundException($"Cannot find path '{path}' because it does not exist.");
                    }

                    paths = new[] { path };
                }
                else
                {
                    paths = cmdlet.SessionState.Path.GetResolvedProviderPathFromPSPath(input, out provider);
                    if (paths.Count == 0) throw new ItemNotFoundException($"Cannot find path '{input}' because it does not exist.");
                }
            }
            catch (Exception ex) when (ex is ItemNotFoundException || ex is System.Management.Automation.DriveNotFoundException || ex is ProviderNotFoundException)
            {
                cmdlet.WriteError(new ErrorRecord(ex, "PathNotFound", ErrorCategory.ObjectNotFound, input));
                return null;
            }

            if (provider.Name != "FileSystem")
            {
                cmdlet.WriteError(new ErrorRecord(new ArgumentException($"'{input}' is not a file system path; batch files must be files."),
                    "NotFileSystemPath", ErrorCategory.InvalidArgument, input));
                return Array.Empty<string>();
            }

            return paths;
        }

        /// <summary>
        /// The .npz files of a directory (the extension in any case), in plane then batch order. An
        /// empty result gets a warning, with a hint when sub-folders hold batches and -Recurse is off.
        /// </summary>
        public static IReadOnlyList<string> ExpandDirectory(PSCmdlet cmdlet, string directory, bool recurse)
        {
            try
            {
                List<string> files = NpzFiles(directory, recurse)
                    .Select(f => new { Path = f, Name = Path.GetFileName(f) })
                    .OrderBy(f => (int?)BatchFileName.PlaneOf(f.Name) ?? int.MaxValue)
                    .ThenBy(f => BatchFileName.BatchNumberOf(f.Name) ?? int.MaxValue)
                    .ThenBy(f => f.Path, StringComparer.Ordinal)
                    .Select(f => f.Path)
                    .ToList();
                if (files.Count == 0)
                {
                    bool deeper = !recurse && NpzFiles(directory, recurse: true).Any();
                    cmdlet.WriteWarning($"'{directory}' holds no .npz batch files" + (deeper ? "; its sub-folders do: add -Recurse." : "."));
                }

                return files;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                cmdlet.WriteError(new ErrorRecord(ex, "DirectoryUnreadable", ErrorCategory.ReadError, directory));
                return Array.Empty<string>();
            }
        }

        private static IEnumerable<string> NpzFiles(string directory, bool recurse) =>
            Directory.EnumerateFiles(directory, "*", recurse ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly)
                .Where(f => f.EndsWith(".npz", StringComparison.OrdinalIgnoreCase));
    }
}
