using System;
using System.Collections.Generic;
using System.Runtime.ExceptionServices;
using System.Threading.Tasks;

namespace ClusterPS
{
    /// <summary>The outcome of one queued piece of work: its value, or the format error it raised.</summary>
    public readonly struct WorkResult<T>
    {
        internal WorkResult(T value, Npz.NpzFormatException? error)
        {
            Value = value;
            Error = error;
        }

        public T Value { get; }
        public Npz.NpzFormatException? Error { get; }
    }

    /// <summary>
    /// Runs per-file work (open, read, sum) on worker threads a few files ahead of the caller,
    /// and hands the results back in the order the work was added, on the caller's thread, so
    /// that a command can write objects and errors in order while the next files are read.
    /// Format errors are returned as results; any other exception is rethrown to the caller.
    /// </summary>
    public sealed class OrderedWorkQueue<T> : IDisposable
    {
        private readonly Queue<Task<T>> _pending = new Queue<Task<T>>();
        private readonly int _capacity;

        /// <param name="capacity">How many pieces of work may run ahead (at least 1).</param>
        public OrderedWorkQueue(int capacity) => _capacity = Math.Max(1, capacity);

        /// <summary>Starts <paramref name="work"/>; returns the results that are due, in order.</summary>
        public IEnumerable<WorkResult<T>> Add(Func<T> work)
        {
            _pending.Enqueue(Task.Run(work));
            var due = new List<WorkResult<T>>();
            while (_pending.Count > 0 && (_pending.Count > _capacity || _pending.Peek().IsCompleted))
            {
                due.Add(Take());
            }

            return due;
        }

        /// <summary>
        /// Adds a result that needs no work, in order behind the work already queued: returned at
        /// once when nothing is pending, so in-order input that needs no reading costs no hand-off.
        /// </summary>
        public IEnumerable<WorkResult<T>> AddDone(T value)
        {
            if (_pending.Count == 0) return new[] { new WorkResult<T>(value, null) };
            _pending.Enqueue(Task.FromResult(value));
            var due = new List<WorkResult<T>>();
            while (_pending.Count > 0 && _pending.Peek().IsCompleted) due.Add(Take());
            return due;
        }

        /// <summary>Waits for and returns every remaining result, in order.</summary>
        public IEnumerable<WorkResult<T>> Drain()
        {
            while (_pending.Count > 0) yield return Take();
        }

        /// <summary>Waits for work still running (it stops early when the command is stopping) and drops its results.</summary>
        public void Dispose()
        {
            while (_pending.Count > 0)
            {
                try
                {
                    _pending.Dequeue().Wait();
                }
                catch (AggregateException)
                {
                    // The command is ending; errors of work nobody will see are dropped.
                }
            }
        }

        private WorkResult<T> Take()
        {
            Task<T> task = _pending.Dequeue();
            try
            {
                return new WorkResult<T>(task.GetAwaiter().GetResult(), null);
            }
            catch (Npz.NpzFormatException ex)
            {
                return new WorkResult<T>(default!, ex);
            }
            catch (Exception ex)
            {
                ExceptionDispatchInfo.Capture(ex).Throw();
                throw;
            }
        }
    }
}
