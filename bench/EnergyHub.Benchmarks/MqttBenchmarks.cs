using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using EnergyHub.Protocols.Mqtt;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnergyHub.Benchmarks;

/// <summary>MQTT publishes per second through the site's bus (MQTTnet) to a real mosquitto on 127.0.0.1 (started here; needs Debian's mosquitto).</summary>
[Config(typeof(TransportJob))]
public class MqttBenchmarks
{
    private const int Batch = 1000;
    private Process _broker = null!;
    private MqttBus _bus = null!;
    private readonly byte[] _payload = new byte[64];

    /// <summary>Quality of service of the published messages (QoS 1: each acknowledged before the next).</summary>
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
        _bus = new MqttBus(new MqttBusOptions { Host = "127.0.0.1", Port = port, ClientId = "bench" }, NullLogger.Instance).Start();
        _bus.WaitConnectedAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token).GetAwaiter().GetResult();
    }

    [Benchmark(Description = "publish 64 B", OperationsPerInvoke = Batch)]
    public async Task Publish()
    {
        for (var i = 0; i < Batch; i++)
        {
            await _bus.PublishAsync(new MqttMessage("bench/power", _payload, Qos), CancellationToken.None);
        }
    }

    [GlobalCleanup]
    public async Task Stop()
    {
        await _bus.DisposeAsync();
        _broker.Kill();
        _broker.Dispose();
    }
}
