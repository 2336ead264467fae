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
    /// or anything else with a PSPath or FullName, taken literally), or several of these (an array
    /// given to -InputObject). A batch or cluster stands for exactly the file its full Path names,
    /// never a same-named file in the current location.
    /// </summary>
    internal abstract class PipedObject
    {
        public static PipedObject? Classify(PSObject piped)
        {
            object value = piped.BaseObject;
            switch (value)
            {
                case IClusterData data:
                    return new Data(data);
                case string path:
                    return new PathText(path, literal: false);
                case FileSystemInfo item:
                    return new PathText(item.FullName, literal: true);
                case PathInfo item:
                    return new PathText(item.ProviderPath, literal: true);
                case IEnumerable items when !(value is IDictionary):
                    return new Many(items.Cast<object>().Where(i => i != null).Select(PSObject.AsPSObject).ToList());
            }

            if (ClusterTypeConverter.TryRebuild(piped, out IClusterData? rebuilt)) return new Data(rebuilt!);
            object? pathValue = piped.Properties["PSPath"]?.Value ?? piped.Properties["FullName"]?.Value;
            return pathValue == null ? null : new PathText(pathValue.ToString(), literal: true);
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

        public sealed class Many : PipedObject
        {
            public Many(IReadOnlyList<PSObject> items) => Items = items;

            public IReadOnlyList<PSObject> Items { get; }
        }
    }
}
