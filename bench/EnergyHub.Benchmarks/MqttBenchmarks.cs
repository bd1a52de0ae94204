using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using EnergyHub.Protocols.Mqtt;

namespace EnergyHub.Benchmarks;

/// <summary>MQTT publishes per second to a real mosquitto on 127.0.0.1 (started here; needs Debian's mosquitto).</summary>
[Config(typeof(TransportJob))]
public class MqttBenchmarks
{
    private const int Batch = 1000;
    private Process _broker = null!;
    private MqttClient _client = null!;
    private readonly byte[] _payload = new byte[64];

    /// <summary>Quality of service of the published messages.</summary>
    [Params(MqttQos.AtMostOnce, MqttQos.AtLeastOnce)]
    public MqttQos Qos { get; set; }

    [GlobalSetup]
    public void Start()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var config = Path.Combine(Path.GetTempPath(), $"energyhub-bench-{port}.conf");
        File.WriteAllText(config, $"listener {port} 127.0.0.1\nallow_anonymous true\nmax_queued_messages 0\n");
        _broker = Process.Start(new ProcessStartInfo("mosquitto", ["-c", config]) { RedirectStandardError = true })!;
        _client = new MqttClient(new MqttClientOptions { Host = "127.0.0.1", Port = port, ClientId = "bench" });
        _client.Start();
        _client.WaitUntilConnectedAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token).GetAwaiter().GetResult();
    }

    [Benchmark(Description = "publish 64 B", OperationsPerInvoke = Batch)]
    public Task Publish()
    {
        Task last = Task.CompletedTask;
        for (var i = 0; i < Batch; i++)
        {
            last = _client.PublishAsync(new MqttMessage("bench/power", _payload, Qos));
        }
        return last;
    }

    [GlobalCleanup]
    public async Task Stop()
    {
        await _client.DisposeAsync();
        _broker.Kill();
        _broker.Dispose();
    }
}
