using System.ComponentModel.DataAnnotations;
using EnergyHub.Options;
using EnergyHub.Services;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Plugins.Simulator.Emulators;

/// <summary>The <c>[AmberEmulator]</c> section.</summary>
public sealed class AmberEmulatorOptions : ServiceOptions
{
    /// <summary>Port on 127.0.0.1; point an amber device's BaseUrl at http://127.0.0.1:PORT/v1/.</summary>
    [Range(1024, 65535)]
    public int Port { get; init; } = 18081;

    /// <summary>The key the emulator accepts.</summary>
    public string ApiKey { get; init; } = "psk_simulated";

    /// <summary>Which recorded forecast to serve: scenario1 … scenario5.</summary>
    public string Snapshot { get; init; } = "scenario1";
}

/// <summary>The <c>[PseEmulator]</c> section.</summary>
public sealed class PseEmulatorOptions : ServiceOptions
{
    /// <summary>Port on 127.0.0.1; point a pse device's BaseUrl at http://127.0.0.1:PORT/api/.</summary>
    [Range(1024, 65535)]
    public int Port { get; init; } = 18082;

    /// <summary>An hourly CSV (datetime_utc, price per MWh), e.g. shared/data/de-dayahead-price-solar-hourly-2024-2026.csv.</summary>
    [Required]
    public string DataFile { get; init; } = "";

    /// <summary>Multiplies the file's prices (4.25 turns EUR/MWh into roughly PLN/MWh).</summary>
    [Range(0.0, 1000.0)]
    public double CurrencyFactor { get; init; } = 4.25;
}

/// <summary>Runs an <see cref="HttpEmulator"/> while the service is switched on: started on the first tick, stopped on shutdown.</summary>
public sealed class EmulatorService(string name, int port, Func<HttpEmulator> create, ILogger logger) : IService
{
    private HttpEmulator? _emulator;

    /// <inheritdoc />
    public string Name => name;

    /// <inheritdoc />
    public Task ExecuteAsync(ServiceTick tick, CancellationToken cancellationToken)
    {
        if (_emulator is null)
        {
            _emulator = create();
            _emulator.Start(port);
            logger.LogInformation("{Service} serving on {Address}", name, _emulator.BaseAddress);
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task StopAsync(ServiceTick tick, CancellationToken cancellationToken)
    {
        if (_emulator is { } emulator)
        {
            _emulator = null;
            await emulator.DisposeAsync().ConfigureAwait(false);
        }
    }
}
