using System.Diagnostics;
using System.Text;
using EnergyHub.Protocols.Mqtt;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnergyHub.Benchmarks.SideBySide;

/// <summary>
/// MQTT publish rate and latency to one mosquitto, four publishers side by side: the site's bus (MQTTnet),
/// mosquitto_pub -l and python paho-mqtt, at QoS 0 and QoS 1 (at most 20 in flight each). One receiver (the bus)
/// counts what arrives and takes the latency from the send time in each 64-byte payload.
/// </summary>
internal static class MqttSideBySide
{
    public sealed record Result(string Publisher, int Qos, int Sent, int Received, double Seconds, double P50Ms, double P99Ms)
    {
        public double PerSecond => Seconds > 0 ? (Received - 1) / Seconds : double.NaN;
    }

    public static async Task<IReadOnlyList<Result>> RunAsync(int count)
    {
        var port = Peers.FreePort();
        var config = Path.Combine(Path.GetTempPath(), $"energyhub-side-by-side-{port}.conf");
        await File.WriteAllTextAsync(config, $"listener {port} 127.0.0.1\nallow_anonymous true\nmax_queued_messages 0\nmax_inflight_messages 20\n");
        using var broker = Peers.Start("mosquitto", ["-c", config]);
        await using var receiver = new MqttBus(new MqttBusOptions { Host = "127.0.0.1", Port = port, ClientId = "side-by-side-receiver" }, NullLogger.Instance).Start();
        using (var ready = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            await receiver.WaitConnectedAsync(ready.Token);
        }
        var sink = new Sink();
        await receiver.SubscribeAsync("bench/#", sink.OnMessage, CancellationToken.None);
        await using var bus = new MqttBus(new MqttBusOptions { Host = "127.0.0.1", Port = port, ClientId = "side-by-side-bus" }, NullLogger.Instance).Start();
        using (var ready = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            await bus.WaitConnectedAsync(ready.Token);
        }

        var results = new List<Result>();
        foreach (var qos in new[] { 0, 1 })
        {
            results.Add(await MeasureAsync("EnergyHub bus (MQTTnet)", qos, count, sink, () => PublishThroughBusAsync(bus, qos, count)));
            results.Add(await MeasureAsync("mosquitto_pub -l", qos, count, sink, () => PublishWithMosquittoPubAsync(port, qos, count)));
            results.Add(await MeasureAsync("python paho-mqtt", qos, count, sink, () => Peers.RunAsync("/usr/bin/python3",
                Path.Combine(Peers.RepoRoot, "bench", "peers", "paho_publish.py"), "--port", port.ToString(), "--count", count.ToString(), "--qos", qos.ToString())));
        }
        broker.Kill();
        return results;
    }

    private static async Task<Result> MeasureAsync(string publisher, int qos, int count, Sink sink, Func<Task> publish)
    {
        sink.Reset(count);
        var clock = Stopwatch.StartNew();
        await publish();
        await sink.WaitAsync(TimeSpan.FromSeconds(10));
        // From the first message's arrival to the last's: a peer's process start-up (python, mosquitto_pub) is not counted.
        var seconds = (sink.LastArrival - sink.FirstArrival).TotalSeconds;
        var latencies = sink.LatenciesMs();
        Console.Error.WriteLine($"  {publisher} QoS {qos}: {sink.Received}/{count} in {clock.Elapsed.TotalSeconds:0.00} s");
        return new Result(publisher, qos, count, sink.Received, seconds, Percentile(latencies, 0.50), Percentile(latencies, 0.99));
    }

    private static async Task PublishThroughBusAsync(MqttBus bus, int qos, int count)
    {
        using var window = new SemaphoreSlim(20);
        var pending = new List<Task>(count);
        for (var i = 0; i < count; i++)
        {
            await window.WaitAsync();
            var message = new MqttMessage("bench/bus", Payload(), qos == 0 ? MqttQos.AtMostOnce : MqttQos.AtLeastOnce);
            pending.Add(Task.Run(async () =>
            {
                try
                {
                    await bus.PublishAsync(message, CancellationToken.None);
                }
                finally
                {
                    window.Release();
                }
            }));
        }
        await Task.WhenAll(pending);
    }

    private static async Task PublishWithMosquittoPubAsync(int port, int qos, int count)
    {
        using var process = Peers.Start("mosquitto_pub", ["-h", "127.0.0.1", "-p", port.ToString(), "-t", "bench/mosquitto_pub", "-q", qos.ToString(), "-l"], stdin: true);
        var writer = process.StandardInput;
        for (var i = 0; i < count; i++)
        {
            await writer.WriteLineAsync(Encoding.ASCII.GetString(Payload().Span).TrimEnd());
        }
        writer.Close();
        await process.WaitForExitAsync();
    }

    private static ReadOnlyMemory<byte> Payload() =>
        Encoding.ASCII.GetBytes(UnixNanoseconds().ToString().PadRight(64));

    private static long UnixNanoseconds() => (DateTime.UtcNow - DateTime.UnixEpoch).Ticks * 100;

    private static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private sealed class Sink
    {
        private readonly Lock _gate = new();
        private List<double> _latencies = [];
        private int _expected;
        private Stopwatch _clock = new();
        private TaskCompletionSource _done = new();

        public int Received { get; private set; }
        public TimeSpan FirstArrival { get; private set; }
        public TimeSpan LastArrival { get; private set; }

        public void Reset(int expected)
        {
            lock (_gate)
            {
                (_latencies, _expected, Received, FirstArrival, LastArrival) = (new List<double>(expected), expected, 0, TimeSpan.Zero, TimeSpan.Zero);
                _done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _clock = Stopwatch.StartNew();
            }
        }

        public Task OnMessage(MqttMessage message)
        {
            var now = UnixNanoseconds();
            lock (_gate)
            {
                if (long.TryParse(message.Text.Trim(), out var sent))
                {
                    _latencies.Add((now - sent) / 1e6);
                }
                Received++;
                LastArrival = _clock.Elapsed;
                if (Received == 1)
                {
                    FirstArrival = LastArrival;
                }
                if (Received >= _expected)
                {
                    _done.TrySetResult();
                }
            }
            return Task.CompletedTask;
        }

        // Until all arrived, or nothing more arrives for a second (QoS 0 may lose some), at most the timeout.
        public async Task WaitAsync(TimeSpan timeout)
        {
            var deadline = Stopwatch.StartNew();
            var seen = -1;
            while (deadline.Elapsed < timeout && !_done.Task.IsCompleted)
            {
                await Task.WhenAny(_done.Task, Task.Delay(1000));
                if (Received == seen)
                {
                    return;
                }
                seen = Received;
            }
        }

        public IReadOnlyList<double> LatenciesMs()
        {
            lock (_gate)
            {
                return [.. _latencies.Order()];
            }
        }
    }
}
