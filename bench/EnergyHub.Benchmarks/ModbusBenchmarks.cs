using System.Net;
using BenchmarkDotNet.Attributes;
using EnergyHub.Protocols.Modbus;

namespace EnergyHub.Benchmarks;

/// <summary>Modbus TCP reads per second: our client against our server over 127.0.0.1, one request at a time.</summary>
[Config(typeof(TransportJob))]
public class ModbusBenchmarks
{
    private ModbusTcpServer _server = null!;
    private ModbusTcpTransport _transport = null!;
    private ModbusClient _client = null!;

    /// <summary>Registers per read.</summary>
    [Params(10, 125)]
    public int Registers { get; set; }

    [GlobalSetup]
    public void Start()
    {
        _server = new ModbusTcpServer(new ModbusRegisterMap(1000, 1000), new IPEndPoint(IPAddress.Loopback, 0)).Start();
        _transport = new ModbusTcpTransport("127.0.0.1", _server.Endpoint.Port);
        _client = new ModbusClient(_transport);
    }

    [Benchmark(Description = "FC03 read over TCP")]
    public Task<ushort[]> Read() => _client.ReadHoldingRegistersAsync(1, 0, Registers, CancellationToken.None);

    [GlobalCleanup]
    public async Task Stop()
    {
        await _transport.DisposeAsync();
        await _server.DisposeAsync();
    }
}
