using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.ExceptionServices;
using System.Threading;
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
    /// <remarks>
    /// Up to one worker per processor (or as many as the owner asks for) runs while work is queued,
    /// each taking the next piece as it finishes one, so the work of a directory is not handed from
    /// thread to thread piece by piece (waking a pool thread per file left one core idle most of
    /// the time on a 2-core machine).
    /// A caller that has to wait for a result does queued work itself meanwhile: the oldest piece
    /// when no worker has taken it yet, else any other.
    /// </remarks>
    public sealed class OrderedWorkQueue<T> : IDisposable
    {
        private readonly Queue<Item> _pending = new Queue<Item>();
        private readonly ConcurrentQueue<Item> _unstarted = new ConcurrentQueue<Item>();
        private readonly int _capacity;
        private int _workers;

        /// <param name="capacity">How many pieces of work may run ahead (at least 1).</param>
        /// <param name="workers">How many worker threads may run at once besides the caller (at least 1): by default one per processor.</param>
        public OrderedWorkQueue(int capacity, int? workers = null)
        {
            _capacity = Math.Max(1, capacity);
            MaxWorkers = Math.Max(1, workers ?? Environment.ProcessorCount);
        }

        /// <summary>How many worker threads may run at once besides the caller.</summary>
        internal int MaxWorkers { get; }

        /// <summary>Queues <paramref name="work"/>; returns the results that are due, in order.</summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        public IEnumerable<WorkResult<T>> Add(Func<T> work)
        {
            var item = new Item(work);
            _pending.Enqueue(item);
            _unstarted.Enqueue(item);
            StartWorker();
            var due = new List<WorkResult<T>>();
            while (_pending.Count > 0 && (_pending.Count > _capacity || _pending.Peek().IsDone) && !FailsAfter(due))
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
            _pending.Enqueue(Item.Done(value));
            var due = new List<WorkResult<T>>();
            while (_pending.Count > 0 && _pending.Peek().IsDone && !FailsAfter(due)) due.Add(Take());
            return due;
        }

        /// <summary>Waits for and returns every remaining result, in order.</summary>
        public IEnumerable<WorkResult<T>> Drain()
        {
            while (_pending.Count > 0) yield return Take();
        }

        /// <summary>Drops work not started yet, waits for work still running (it stops early when the command is stopping) and drops its results.</summary>
        public void Dispose()
        {
            while (_unstarted.TryDequeue(out Item? item)) item.Cancel();
            while (_pending.Count > 0) _pending.Dequeue().Wait();
        }

        /// <summary>
        /// Whether the next result would rethrow a failure while results due before it are still to
        /// be handed back: those go back first, and the failure comes out of the next call.
        /// </summary>
        private bool FailsAfter(List<WorkResult<T>> due) => due.Count > 0 && _pending.Peek().Failed;

        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        private WorkResult<T> Take()
        {
            Item head = _pending.Peek();
            if (head.TryStart()) head.Run();
            while (!head.IsDone && RunOneUnstarted())
            {
                // Waiting for a worker to finish the head: do other queued work meanwhile.
            }

            head.Wait();
            _pending.Dequeue();
            return head.Result();
        }

        /// <summary>Runs one piece of work that no thread has started; false when there is none.</summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        private bool RunOneUnstarted()
        {
            while (_unstarted.TryDequeue(out Item? item))
            {
                if (!item.TryStart()) continue;
                item.Run();
                return true;
            }

            return false;
        }

        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        private void StartWorker()
        {
            if (Interlocked.Increment(ref _workers) > MaxWorkers)
            {
                Interlocked.Decrement(ref _workers);
                return;
            }

            Task.Run(WorkerLoop);
        }

        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        private void WorkerLoop()
        {
            while (true)
            {
                while (RunOneUnstarted())
                {
                }

                Interlocked.Decrement(ref _workers);
                // Work queued after the last look but before the count went down would find no
                // worker to start: look once more, and carry on if there is some and room to run it.
                if (_unstarted.IsEmpty) return;
                if (Interlocked.Increment(ref _workers) > MaxWorkers)
                {
                    Interlocked.Decrement(ref _workers);
                    return;
                }
            }
        }

        /// <summary>One piece of work and its outcome. States: queued, running, done (or cancelled).</summary>
        private sealed class Item
        {
            private const int Queued = 0, Running = 1, Finished = 2;

            private readonly Func<T>? _work;
            private int _state;
            private T _value = default!;
            private Npz.NpzFormatException? _error;
            private ExceptionDispatchInfo? _failure;

            public Item(Func<T> work) => _work = work;

            private Item(T value)
            {
                _value = value;
                _state = Finished;
            }

            public static Item Done(T value) => new Item(value);

            public bool IsDone => Volatile.Read(ref _state) == Finished;

            /// <summary>Done, with an exception other than a format error (which <see cref="Result"/> rethrows).</summary>
            public bool Failed => IsDone && _failure != null;

            /// <summary>Claims the work for the calling thread; false when another thread has it.</summary>
            public bool TryStart() => Interlocked.CompareExchange(ref _state, Running, Queued) == Queued;

            [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
            public void Run()
            {
                try
                {
                    _value = _work!();
                }
                catch (Npz.NpzFormatException ex)
                {
                    _error = ex;
                }
                catch (Exception ex)
                {
                    _failure = ExceptionDispatchInfo.Capture(ex);
                }
                finally
                {
                    Finish();
                }
            }

            /// <summary>Marks work that was never started as done with no result.</summary>
            public void Cancel()
            {
                if (TryStart()) Finish();
            }

            [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
            /// <remarks>
            /// Spins about 20 µs (a file's work often ends by then), then blocks. Not SpinWait.SpinOnce:
            /// after 20 rounds it sleeps a whole millisecond at a time, ten times a file's work here.
            /// </remarks>
            public void Wait()
            {
                for (int i = 0; i < 20 && !IsDone; i++) Thread.SpinWait(30);
                if (IsDone) return;
                lock (this)
                {
                    while (!IsDone) Monitor.Wait(this);
                }
            }

            public WorkResult<T> Result()
            {
                _failure?.Throw();
                return new WorkResult<T>(_value, _error);
            }

            [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
            private void Finish()
            {
                lock (this)
                {
                    Volatile.Write(ref _state, Finished);
                    Monitor.PulseAll(this);
                }
            }
        }
    }
}
