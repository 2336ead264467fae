using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using ClusterPS.Npz;
using Xunit;

namespace ClusterPS.Tests
{
    /// <summary>The read-ahead queue: results in the order work was added, whichever thread ran it and however long it took.</summary>
    public class OrderedWorkQueueTests
    {
        [Fact]
        public void Results_come_back_in_order_whatever_the_work_takes()
        {
            var random = new Random(7);
            int[] delays = Enumerable.Range(0, 300).Select(_ => random.Next(0, 3) == 0 ? random.Next(0, 400) : 0).ToArray();
            var got = new List<int>();
            using (var queue = new OrderedWorkQueue<int>(4))
            {
                for (int i = 0; i < delays.Length; i++)
                {
                    int n = i;
                    got.AddRange(queue.Add(() => { Spin(delays[n]); return n; }).Select(r => r.Value));
                }

                got.AddRange(queue.Drain().Select(r => r.Value));
            }

            Assert.Equal(Enumerable.Range(0, delays.Length), got);
        }

        [Fact]
        public void No_more_workers_run_than_asked_for()
        {
            // Each piece waits (up to 50 ms) for others to join it, so any thread allowed to run does.
            ThreadPool.GetMinThreads(out int minWorkers, out int minIo);
            ThreadPool.SetMinThreads(Math.Max(minWorkers, 4), minIo);
            int running = 0, most = 0;
            var got = new List<int>();
            using (var queue = new OrderedWorkQueue<int>(16, workers: 1))
            {
                for (int i = 0; i < 16; i++)
                {
                    int n = i;
                    got.AddRange(queue.Add(() =>
                    {
                        int now = Interlocked.Increment(ref running);
                        int seen;
                        while (now > (seen = Volatile.Read(ref most)) && Interlocked.CompareExchange(ref most, now, seen) != seen) { }
                        var clock = System.Diagnostics.Stopwatch.StartNew();
                        while (Volatile.Read(ref running) < 3 && clock.ElapsedMilliseconds < 50) Thread.Sleep(1);
                        now = Volatile.Read(ref running);
                        while (now > (seen = Volatile.Read(ref most)) && Interlocked.CompareExchange(ref most, now, seen) != seen) { }
                        Interlocked.Decrement(ref running);
                        return n;
                    }).Select(r => r.Value));
                }

                got.AddRange(queue.Drain().Select(r => r.Value));
            }

            Assert.Equal(Enumerable.Range(0, 16), got);
            Assert.InRange(most, 1, 2); // the one worker, and the caller while it waits
            using var limited = new OrderedWorkQueue<int>(4, workers: 1);
            using var usual = new OrderedWorkQueue<int>(4);
            Assert.Equal(1, limited.MaxWorkers);
            Assert.Equal(Environment.ProcessorCount, usual.MaxWorkers);
        }

        [Fact]
        public void No_more_than_the_capacity_waits_undelivered()
        {
            using var queue = new OrderedWorkQueue<int>(3);
            int delivered = 0;
            for (int i = 0; i < 50; i++)
            {
                delivered += queue.Add(() => 1).Count();
                Assert.True(i + 1 - delivered <= 3, $"{i + 1 - delivered} results wait after {i + 1} additions");
            }

            Assert.Equal(50, delivered + queue.Drain().Count());
        }

        /// <summary>Run from a thread of its own, as PowerShell's pipeline thread is.</summary>
        [Fact]
        public void Work_is_shared_between_threads()
        {
            var threads = new HashSet<int>();
            var producer = new Thread(() =>
            {
                using var queue = new OrderedWorkQueue<int>(8);
                for (int i = 0; i < 200; i++)
                {
                    _ = queue.Add(() =>
                    {
                        lock (threads) threads.Add(Environment.CurrentManagedThreadId);
                        Spin(200);
                        return 0;
                    }).Count();
                }

                _ = queue.Drain().Count();
            });
            // xUnit's runner blocks pool threads of its own (this test's among them): make room for the workers.
            ThreadPool.GetMinThreads(out int workers, out int io);
            ThreadPool.SetMinThreads(Math.Max(workers, 8), io);
            producer.Start();
            producer.Join();

            Assert.True(threads.Count >= Math.Min(2, Environment.ProcessorCount), $"only {threads.Count} thread(s) ran the work");
        }

        [Fact]
        public void A_format_error_is_that_work_s_result_and_the_rest_goes_on()
        {
            using var queue = new OrderedWorkQueue<int>(2);
            var results = new List<WorkResult<int>>();
            for (int i = 0; i < 10; i++)
            {
                int n = i;
                results.AddRange(queue.Add(() => n == 4 ? throw new NpzFormatException("f4.npz", NpzErrorCode.Truncated, "cut short") : n));
            }

            results.AddRange(queue.Drain());
            Assert.Equal(10, results.Count);
            Assert.Equal("f4.npz", results[4].Error!.Path);
            Assert.All(results.Where((_, i) => i != 4), r => Assert.Null(r.Error));
            Assert.Equal(new[] { 0, 1, 2, 3, 5, 6, 7, 8, 9 }, results.Where((_, i) => i != 4).Select(r => r.Value));
        }

        [Fact]
        public void Any_other_exception_reaches_the_caller_in_order()
        {
            using var queue = new OrderedWorkQueue<int>(2);
            var values = new List<int>();
            var ex = Assert.Throws<InvalidOperationException>(() =>
            {
                for (int i = 0; i < 10; i++)
                {
                    int n = i;
                    values.AddRange(queue.Add(() => n == 3 ? throw new InvalidOperationException("bug") : n).Select(r => r.Value));
                }

                values.AddRange(queue.Drain().Select(r => r.Value));
            });
            Assert.Equal("bug", ex.Message);
            Assert.Equal(new[] { 0, 1, 2 }, values);
        }

        [Fact]
        public void Results_due_before_a_failure_come_back_before_it_is_rethrown()
        {
            // Every piece done before the next Add: that Add hands back 0, 1 and 2, and the failure
            // of piece 3 comes out of the call after it, not in their place.
            using var queue = new OrderedWorkQueue<int>(16);
            var values = new List<int>();
            int finished = 0;
            for (int i = 0; i < 4; i++)
            {
                int n = i;
                values.AddRange(queue.Add(() =>
                {
                    Interlocked.Increment(ref finished);
                    return n == 3 ? throw new InvalidOperationException("bug") : n;
                }).Select(r => r.Value));
            }

            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (Volatile.Read(ref finished) < 4 && clock.ElapsedMilliseconds < 5000) Thread.Sleep(1);
            Thread.Sleep(20); // each piece is marked done just after it ran
            values.AddRange(queue.AddDone(99).Select(r => r.Value));
            Assert.Equal(new[] { 0, 1, 2 }, values);
            Assert.Equal("bug", Assert.Throws<InvalidOperationException>(() => queue.Drain().ToList()).Message);
        }

        [Fact]
        public void AddDone_keeps_its_place_behind_queued_work()
        {
            using var queue = new OrderedWorkQueue<string>(4);
            var got = new List<string>();
            got.AddRange(queue.Add(() => { Spin(2000); return "read"; }).Select(r => r.Value));
            got.AddRange(queue.AddDone("done").Select(r => r.Value));
            got.AddRange(queue.Drain().Select(r => r.Value));
            Assert.Equal(new[] { "read", "done" }, got);
            Assert.Equal(new[] { "now" }, queue.AddDone("now").Select(r => r.Value));
        }

        [Fact]
        public void Dispose_drops_work_not_started_and_waits_for_running_work()
        {
            int started = 0, finished = 0;
            var queue = new OrderedWorkQueue<int>(1000);
            for (int i = 0; i < 500; i++)
            {
                _ = queue.Add(() =>
                {
                    Interlocked.Increment(ref started);
                    Spin(300);
                    Interlocked.Increment(ref finished);
                    return 0;
                }).Count();
            }

            queue.Dispose();
            Assert.Equal(Volatile.Read(ref started), Volatile.Read(ref finished));
            Thread.Sleep(50);
            Assert.Equal(Volatile.Read(ref started), Volatile.Read(ref finished));
            Assert.True(started < 500, "every piece of work ran although the queue was disposed");
        }

        /// <summary>Busy work of about <paramref name="microseconds"/> µs.</summary>
        private static void Spin(int microseconds)
        {
            if (microseconds == 0) return;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (clock.Elapsed.TotalMilliseconds * 1000 < microseconds)
            {
            }
        }
    }
}
