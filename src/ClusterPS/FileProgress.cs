using System.Diagnostics;
using System.Management.Automation;

namespace ClusterPS.Commands
{
    /// <summary>Progress over a list of files, written no more than four times a second.</summary>
    internal sealed class FileProgress
    {
        private readonly Cmdlet _cmdlet;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private long _last = -1000;

        public FileProgress(Cmdlet cmdlet) => _cmdlet = cmdlet;

        /// <summary>Reports that <paramref name="done"/> of <paramref name="total"/> files are done and <paramref name="current"/> is next.</summary>
        public void Report(string activity, int done, int total, string current)
        {
            long now = _clock.ElapsedMilliseconds;
            if (total < 2 || now - _last < 250) return;
            _last = now;
            _cmdlet.WriteProgress(new ProgressRecord(1, activity, $"{done} of {total} files: {System.IO.Path.GetFileName(current)}")
            {
                PercentComplete = (int)(100L * done / total),
            });
        }

        /// <summary>Closes the progress bar, if one was shown.</summary>
        public void Complete(string activity)
        {
            if (_last >= 0) _cmdlet.WriteProgress(new ProgressRecord(1, activity, "Done") { RecordType = ProgressRecordType.Completed });
        }
    }
}
