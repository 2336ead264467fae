using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;

namespace ClusterPS.Commands
{
    /// <summary>
    /// What an object on the pipeline stands for, decided in one place for every command that reads
    /// batch files: a ClusterPS object (rebuilt when it arrives deserialized: PowerShell's SSH
    /// remoting deserializes with its built-in type table, so ClusterPS's own types are not rebuilt
    /// there), a path (a string, with wildcards), a file or folder (FileInfo, DirectoryInfo, PathInfo,
    /// or anything else with a PSPath or FullName, taken literally), for each element of an array
    /// given to -InputObject, a deserialized ClusterPS object too damaged to rebuild, or nothing a
    /// ClusterPS command reads. A batch or cluster stands for exactly the file its full Path names,
    /// never a same-named file in the current location.
    /// </summary>
    internal abstract class PipedObject
    {
        /// <summary>What <paramref name="piped"/> stands for: one answer, or one per element of an array given to -InputObject.</summary>
        public static IEnumerable<PipedObject> Expand(PSObject piped)
        {
            if (piped.BaseObject is IEnumerable items && !(piped.BaseObject is string) && !(piped.BaseObject is IDictionary))
            {
                foreach (object item in items)
                {
                    if (item == null) continue;
                    foreach (PipedObject each in Expand(PSObject.AsPSObject(item))) yield return each;
                }
            }
            else
            {
                yield return Classify(piped);
            }
        }

        private static PipedObject Classify(PSObject piped)
        {
            switch (piped.BaseObject)
            {
                case IClusterData data:
                    return new Data(data);
                case string path:
                    return new PathText(path, literal: false);
                case FileSystemInfo item:
                    return new PathText(item.FullName, literal: true);
                case PathInfo item:
                    return new PathText(item.ProviderPath, literal: true);
            }

            try
            {
                if (ClusterTypeConverter.TryRebuild(piped, out IClusterData? rebuilt)) return new Data(rebuilt!);
            }
            catch (PSInvalidCastException ex)
            {
                return new Damaged(piped, ex);
            }

            object? pathValue = piped.Properties["PSPath"]?.Value ?? piped.Properties["FullName"]?.Value;
            return pathValue == null ? new Unsupported(piped) : new PathText(pathValue.ToString(), literal: true);
        }

        public sealed class Data : PipedObject
        {
            public Data(IClusterData value) => Value = value;

            public IClusterData Value { get; }
        }

        public sealed class PathText : PipedObject
        {
            public PathText(string path, bool literal)
            {
                Path = path;
                Literal = literal;
            }

            public string Path { get; }
            public bool Literal { get; }
        }

        /// <summary>A deserialized ClusterPS object that cannot be rebuilt (its serialized fields are damaged).</summary>
        public sealed class Damaged : PipedObject
        {
            public Damaged(PSObject item, PSInvalidCastException problem)
            {
                Item = item;
                Problem = problem;
            }

            public PSObject Item { get; }
            public PSInvalidCastException Problem { get; }
        }

        /// <summary>Something no ClusterPS command reads.</summary>
        public sealed class Unsupported : PipedObject
        {
            public Unsupported(PSObject item) => Item = item;

            public PSObject Item { get; }
        }
    }
}
