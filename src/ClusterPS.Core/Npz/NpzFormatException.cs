using System;

namespace ClusterPS.Npz
{
    /// <summary>What is wrong with a file, as a stable identifier that scripts and tests can match.</summary>
    public enum NpzErrorCode
    {
        NotAZipFile,
        Truncated,
        CorruptZip,
        CorruptData,
        ChecksumMismatch,
        MissingMember,
        InvalidNpyHeader,
        UnsupportedDType,
        InvalidShape,
        SizeMismatch,
        RowCountMismatch,
        InflateLimit,
        LayoutMismatch,
        Unreadable,
        NotARegularFile,
        FileChanged,
    }

    /// <summary>
    /// The one exception the core library lets escape for bad input: every failure of the
    /// container, the decoder or the array headers is translated into it at the reader's boundary.
    /// Its message names the file and says what is wrong in a user's words.
    /// </summary>
    public sealed class NpzFormatException : Exception
    {
        public NpzFormatException(string path, NpzErrorCode code, string reason, Exception? inner = null)
            : base($"Cannot read '{path}': {reason}", inner)
        {
            Path = path;
            Code = code;
            Reason = reason;
        }

        public string Path { get; }
        public NpzErrorCode Code { get; }
        public string Reason { get; }

        /// <summary>A stable error id for PowerShell's ErrorRecord, e.g. "ClusterPS.MissingMember".</summary>
        public string ErrorId => "ClusterPS." + Code;
    }
}
