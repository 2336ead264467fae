using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;

namespace ClusterPS.Commands
{
    /// <summary>
    /// The one way ClusterPS commands turn what the user typed into file-system paths: through the
    /// session (so relative paths follow the current location and PSDrives work), refusing any
    /// provider other than FileSystem, for inputs and outputs alike.
    /// </summary>
    internal static class SessionPaths
    {
        /// <summary>
        /// The existing files or folders an input path stands for (wildcards expanded unless
        /// <paramref name="literal"/>). Writes a Get-Item-like error and returns none when it names
        /// nothing, or a non-FileSystem error when it is on another provider.
        /// </summary>
        public static IReadOnlyList<string> ResolveInput(PSCmdlet cmdlet, string input, bool literal)
        {
            ProviderInfo provider;
            IReadOnlyList<string> paths;
            try
            {
                paths = literal || !HasWildcards(input) ? Named(cmdlet, input, literal, out provider) : Globbed(cmdlet, input, out provider);
            }
            catch (Exception ex) when (ex is ItemNotFoundException || ex is System.Management.Automation.DriveNotFoundException || ex is ProviderNotFoundException)
            {
                cmdlet.WriteError(new ErrorRecord(ex, "PathNotFound", ErrorCategory.ObjectNotFound, input));
                return Array.Empty<string>();
            }

            if (!IsFileSystem(provider))
            {
                cmdlet.WriteError(NotFileSystem(input, "batch files must be files"));
                return Array.Empty<string>();
            }

            return paths;
        }

        /// <summary>
        /// The file-system path an output parameter names, which need not exist yet. -Path may use a
        /// wildcard that matches exactly one existing item; -LiteralPath is taken as written. Any other
        /// provider, or an ambiguous wildcard, is a terminating error: nothing is written.
        /// </summary>
        public static string ResolveOutput(PSCmdlet cmdlet, string path, bool literal, string what)
        {
            ProviderInfo provider;
            string resolved;
            try
            {
                if (!literal && WildcardPattern.ContainsWildcardCharacters(path))
                {
                    var matches = cmdlet.SessionState.Path.GetResolvedProviderPathFromPSPath(path, out provider);
                    if (matches.Count != 1)
                    {
                        cmdlet.ThrowTerminatingError(new ErrorRecord(
                            new ArgumentException($"'{path}' matches {matches.Count} items; name one {what}, or use -LiteralPath for a name with wildcard characters."),
                            "AmbiguousOutputPath", ErrorCategory.InvalidArgument, path));
                    }

                    resolved = matches[0];
                }
                else
                {
                    resolved = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out provider, out _);
                }
            }
            catch (Exception ex) when (ex is ItemNotFoundException || ex is System.Management.Automation.DriveNotFoundException || ex is ProviderNotFoundException)
            {
                cmdlet.ThrowTerminatingError(new ErrorRecord(ex, "OutputPathNotFound", ErrorCategory.ObjectNotFound, path));
                throw; // not reached: ThrowTerminatingError throws
            }

            if (!IsFileSystem(provider)) cmdlet.ThrowTerminatingError(NotFileSystem(path, what + " is written to the file system"));
            return resolved;
        }

        /// <summary>
        /// The .npz files of a directory (the extension in any case), in plane then batch order. An
        /// empty result gets a warning, with a hint when sub-folders hold batches and -Recurse is off;
        /// an unreadable directory gets an error and null.
        /// </summary>
        public static IReadOnlyList<string>? ExpandDirectory(PSCmdlet cmdlet, string directory, bool recurse)
        {
            try
            {
                List<string> files = NpzFiles(directory, recurse)
                    .Select(f => new { Path = f, Name = BatchFileName.Parse(Path.GetFileName(f)) })
                    .OrderBy(f => (int?)f.Name.Plane ?? int.MaxValue)
                    .ThenBy(f => f.Name.BatchNumber ?? int.MaxValue)
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
                return null;
            }
        }

        private static IEnumerable<string> NpzFiles(string directory, bool recurse) =>
            Directory.EnumerateFiles(directory, "*", recurse ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly)
                .Where(f => f.EndsWith(".npz", StringComparison.OrdinalIgnoreCase));

        /// <summary>
        /// The one item a path without wildcards names, resolved like a literal path: this skips the
        /// provider's globbing, about a millisecond for a directory. A -Path on another provider is
        /// globbed all the same, so that it fails as it always did (not found, or not a file system path).
        /// </summary>
        private static IReadOnlyList<string> Named(PSCmdlet cmdlet, string input, bool literal, out ProviderInfo provider)
        {
            string path = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(input, out provider, out _);
            if (!IsFileSystem(provider)) return literal ? new[] { path } : Globbed(cmdlet, input, out provider);
            if (!File.Exists(path) && !Directory.Exists(path)) throw new ItemNotFoundException($"Cannot find path '{path}' because it does not exist.");
            return new[] { path };
        }

        private static IReadOnlyList<string> Globbed(PSCmdlet cmdlet, string input, out ProviderInfo provider)
        {
            IReadOnlyList<string> paths = cmdlet.SessionState.Path.GetResolvedProviderPathFromPSPath(input, out provider);
            if (paths.Count == 0) throw new ItemNotFoundException($"Cannot find path '{input}' because it does not exist.");
            return paths;
        }

        /// <summary>Whether a -Path needs globbing: wildcard characters, or a backtick that escapes one.</summary>
        private static bool HasWildcards(string path) => WildcardPattern.ContainsWildcardCharacters(path) || path.IndexOf('`') >= 0;

        private static bool IsFileSystem(ProviderInfo provider) => provider.Name == "FileSystem";

        private static ErrorRecord NotFileSystem(string path, string why) =>
            new ErrorRecord(new ArgumentException($"'{path}' is not a file system path; {why}."), "NotFileSystemPath", ErrorCategory.InvalidArgument, path);
    }
}
