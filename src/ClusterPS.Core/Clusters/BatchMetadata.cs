using System;

namespace ClusterPS
{
    /// <summary>
    /// What a batch file's metadata read produced, as a value: the batch, its metadata rows under a
    /// layout, and the dtypes. It holds no file handle, so it stays valid after the file is closed
    /// and can be handed from a worker thread to the pipeline (see <see cref="BatchFile.ReadMetadata"/>).
    /// </summary>
    public sealed class BatchMetadata
    {
        internal BatchMetadata(ClusterBatch batch, float[] values, int columns, string metadataDType, string? imageDType)
        {
            Batch = batch;
            Values = values;
            Columns = columns;
            MetadataDType = metadataDType;
            ImageDType = imageDType;
        }

        public ClusterBatch Batch { get; }
        public string Path => Batch.Path;
        public int Count => Batch.Count;

        /// <summary>The layout the rows are read with (null only for a file opened unchecked whose layout could not be chosen).</summary>
        public ClusterLayout? ColumnLayout => Batch.ColumnLayout;

        /// <summary>The metadata rows, C order: row r's column c is at r × <see cref="Columns"/> + c.</summary>
        public ReadOnlyMemory<float> Rows => new ReadOnlyMemory<float>(Values, 0, Count * Columns);

        public int Columns { get; }

        /// <summary>The element type of the metadata and image arrays, e.g. '&lt;f4'.</summary>
        public string MetadataDType { get; }
        public string? ImageDType { get; }

        /// <summary>The rows' array (<see cref="Count"/> × <see cref="Columns"/> values; a pooled one may be longer), for the library's own loops; never written to after the read.</summary>
        internal float[] Values { get; }
    }
}
