using EnergyHub.Devices;
using EnergyHub.Protocols.Pi30;
using EnergyHub.Readings;

namespace EnergyHub.Plugins.Axpert;

/// <summary>
/// An Axpert/Voltronic off-grid inverter: QPIGS every poll (PV, battery + charging, AC load), QPIRI once for its
/// ratings, and the charger settings through validated setters. It has no active-power limit: asking for one is a
/// <see cref="NotSupportedException"/>, which the command gate reports as such.
/// </summary>
public sealed class AxpertInverter : IInverter, IBattery, IChargeCurrentLimiter, IFloatVoltageSetter, IAsyncDisposable
{
    private readonly AxpertLink _link;
    private readonly TimeProvider _time;
    private Pi30Replies.Ratings? _ratings;
    private IReadOnlyList<int>? _chargeCurrents;

    /// <summary>Creates the driver; nothing is opened until the first read.</summary>
    public AxpertInverter(AxpertOptions options, Plugins.DeviceContext context)
    {
        Id = context.Id;
        _time = context.Time;
        _link = AxpertLink.Open(options.Device, options.Transport == AxpertTransport.Hid, options.BaudRate, options.ReplyTimeout, context.Logger);
    }

    /// <inheritdoc />
    public string Id { get; }

    /// <inheritdoc />
    public string DisplayName => "Axpert inverter";

    /// <inheritdoc />
    public double RatedPowerW { get; private set; }

    /// <inheritdoc />
    public double? CapacityWh => null;

    /// <summary>The settings read at the first poll (bulk and float voltages, limits, priorities).</summary>
    public Pi30Replies.Ratings? Ratings => _ratings;

    /// <inheritdoc />
    public async ValueTask<DeviceReading> ReadAsync(CancellationToken cancellationToken)
    {
        if (_ratings is null)
        {
            var qpiri = await _link.QueryAsync("QPIRI", cancellationToken).ConfigureAwait(false);
            _ratings = Pi30Replies.ParseRatings(qpiri);
            var fields = qpiri.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            RatedPowerW = double.Parse(fields[6], System.Globalization.CultureInfo.InvariantCulture);
        }
        return Qpigs.Parse(await _link.QueryAsync("QPIGS", cancellationToken).ConfigureAwait(false)).ToReading(_time.GetUtcNow());
    }

    /// <inheritdoc />
    public async Task SetMaxChargeCurrentAsync(double amps, CancellationToken cancellationToken)
    {
        _chargeCurrents ??= Pi30Setters.ParseAllowedCurrents(await _link.QueryAsync("QMCHGCR", cancellationToken).ConfigureAwait(false));
        await _link.SetAsync(Pi30Setters.MaxChargingCurrent((int)Math.Round(amps), [.. _chargeCurrents]), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sets the float voltage (PBFT), checked against the battery rating.</summary>
    public Task SetFloatVoltageAsync(double volts, CancellationToken cancellationToken) =>
        _link.SetAsync(Pi30Setters.FloatVoltage(volts, _ratings?.BatteryRatingV ?? throw new InvalidOperationException("read the inverter once before setting voltages")), cancellationToken);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _link.DisposeAsync();
}
