using System.Diagnostics;
using EnergyHub.Protocols.Modbus;

namespace EnergyHub.Benchmarks.SideBySide;

/// <summary>
/// Modbus TCP reads per second (FC03, 10 registers, one request at a time) against the same pymodbus server: our
/// client and pymodbus's own client. The server bounds both; the question is whether ours adds anything.
/// </summary>
internal static class ModbusSideBySide
{
    public sealed record Result(string Client, int Reads, double Seconds)
    {
        public double PerSecond => Reads / Seconds;
    }

    public static async Task<IReadOnlyList<Result>> RunAsync(double seconds)
    {
        var port = Peers.FreePort();
        using var server = Peers.Start("/usr/bin/python3", [Path.Combine(Peers.RepoRoot, "tests", "EnergyHub.Protocols.Tests", "Peers", "modbus_server.py"), "--port", port.ToString()]);
        while (await server.StandardOutput.ReadLineAsync() is { } line && line != "READY")
        {
        }
        var results = new List<Result>();
        await using (var transport = new ModbusTcpTransport("127.0.0.1", port))
        {
            var client = new ModbusClient(transport);
            await client.ReadHoldingRegistersAsync(1, 0, 10, CancellationToken.None); // connect outside the clock
            var (reads, clock) = (0, Stopwatch.StartNew());
            while (clock.Elapsed.TotalSeconds < seconds)
            {
                await client.ReadHoldingRegistersAsync(1, 0, 10, CancellationToken.None);
                reads++;
            }
            results.Add(new Result("EnergyHub ModbusClient", reads, clock.Elapsed.TotalSeconds));
        }
        var theirs = await Peers.RunAsync("/usr/bin/python3", Path.Combine(Peers.RepoRoot, "bench", "peers", "pymodbus_reads.py"),
            "--port", port.ToString(), "--seconds", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        results.Add(new Result("pymodbus ModbusTcpClient", int.Parse(theirs.Trim()), seconds));
        server.Kill();
        return results;
    }
}
