using EnergyHub.Devices;
using EnergyHub.Protocols.Modbus;
using EnergyHub.Readings;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Plugins.GoodWe;

/// <summary>
/// A GoodWe inverter over Modbus TCP: one connection for polling and commands (the core serializes them), telemetry
/// from the family's runtime block, and limits written in the configured <see cref="GoodWeLimitMode"/> and confirmed by
/// reading them back; a mismatch fails the command instead of being assumed done. The connection is shared with every
/// device at the same gateway address and closes when the last of them does.
/// </summary>
/// <remarks>
/// Roles: every family is an inverter; a DT with a meter block and every ET are the site's grid meter; an ET is also a
/// battery, and one whose EMS registers (47511–47512) answer takes battery modes. With <c>Model = Auto</c> the roles are
/// confirmed on the first read (until then it may be any of them).
/// </remarks>
public sealed class GoodWeInverter : IInverter, IMeter, IBattery, IBatteryControl, IActivePowerLimiter, IExportLimiter, IConfiguredAbilities, ISafeState, IAsyncDisposable
{
    private readonly GoodWeOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Plugins.SharedLease<ModbusTcpTransport> _connection;
    private readonly ModbusClient _client;
    private readonly byte _unit;
    private GoodWeFamily _family;
    private bool _hasMeter = true;
    private bool _hasEms = true;

    /// <summary>Creates the driver; nothing is sent until the first read.</summary>
    public GoodWeInverter(GoodWeOptions options, Plugins.DeviceContext context)
    {
        _options = options;
        _logger = context.Logger;
        _time = context.Time;
        Id = context.Id;
        _family = options.Model;
        _unit = (byte)options.UnitId;
        // Several inverters behind one gateway (each its own UnitId) share its one connection; the transport serializes them.
        _connection = context.Shared.Lease($"modbus-tcp://{options.Host}:{options.Port}",
            () => new ModbusTcpTransport(options.Host, options.Port, new ModbusTcpOptions { Timeout = TimeSpan.FromSeconds(3) }, context.Time));
        _client = new ModbusClient(_connection.Value);
    }

    /// <inheritdoc />
    public string Id { get; }

    /// <inheritdoc />
    public string DisplayName => $"GoodWe {(_family == GoodWeFamily.Auto ? "" : _family.ToString().ToUpperInvariant() + " ")}at {_options.Host}";

    /// <inheritdoc />
    public double RatedPowerW => _options.RatedPowerW;

    /// <inheritdoc />
    public MeterRole Role => MeterRole.Grid;

    /// <inheritdoc />
    public double? CapacityWh => _options.BatteryCapacityWh;

    /// <summary>The family in use (detected on the first read when configured as Auto).</summary>
    public GoodWeFamily Family => _family;

    /// <inheritdoc />
    public async ValueTask<DeviceReading> ReadAsync(CancellationToken cancellationToken)
    {
        if (_family == GoodWeFamily.Auto)
        {
            _family = await DetectAsync(cancellationToken).ConfigureAwait(false);
        }
        var limit = await ReadLimitPctAsync(cancellationToken).ConfigureAwait(false);
        if (_family == GoodWeFamily.Dt)
        {
            var runtime = await _client.ReadHoldingRegistersAsync(_unit, GoodWeRegisters.DtRuntime, GoodWeRegisters.DtRuntimeCount, cancellationToken).ConfigureAwait(false);
            var (inverter, mode, _) = GoodWeRegisters.DecodeDt(runtime);
            MeterReading? meter = null;
            if (_hasMeter)
            {
                try
                {
                    meter = GoodWeRegisters.DecodeDtMeter(await _client.ReadHoldingRegistersAsync(_unit, GoodWeRegisters.DtMeter, GoodWeRegisters.DtMeterCount, cancellationToken).ConfigureAwait(false));
                }
                catch (ModbusException ex) when (ex.Code == ModbusExceptionCode.IllegalDataAddress)
                {
                    _hasMeter = false;
                    _logger.LogInformation("{Device}: no meter block (30195): this model reports no grid power", Id);
                }
            }
            _logger.LogDebug("{Device}: work mode {Mode}", Id, GoodWeRegisters.DtWorkMode(mode));
            return new DeviceReading { Timestamp = _time.GetUtcNow(), Inverter = inverter with { ActivePowerLimitPct = limit }, Meter = meter };
        }
        var et = await _client.ReadHoldingRegistersAsync(_unit, GoodWeRegisters.EtRuntime, GoodWeRegisters.EtRuntimeCount, cancellationToken).ConfigureAwait(false);
        var battery = await _client.ReadHoldingRegistersAsync(_unit, GoodWeRegisters.EtBattery, GoodWeRegisters.EtBatteryCount, cancellationToken).ConfigureAwait(false);
        var (etInverter, grid, bat) = GoodWeRegisters.DecodeEt(et, battery);
        var emsMode = await ReadEmsModeAsync(cancellationToken).ConfigureAwait(false);
        return new DeviceReading
        {
            Timestamp = _time.GetUtcNow(), Inverter = etInverter with { ActivePowerLimitPct = limit }, Meter = grid, Battery = bat is null ? null : bat with { Mode = emsMode },
        };
    }

    private async Task<BatteryMode?> ReadEmsModeAsync(CancellationToken cancellationToken)
    {
        if (!_hasEms)
        {
            return null;
        }
        try
        {
            var ems = await _client.ReadHoldingRegistersAsync(_unit, GoodWeRegisters.EtEmsMode, 1, cancellationToken).ConfigureAwait(false);
            return GoodWeRegisters.DecodeEms(ems[0]);
        }
        catch (ModbusException ex) when (ex.Code == ModbusExceptionCode.IllegalDataAddress)
        {
            _hasEms = false;
            _logger.LogInformation("{Device}: no EMS mode register (47511): this firmware takes no battery modes", Id);
            return null;
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Writes the EMS mode and its power (47511–47512) in one request and reads both back. The EMS modes have no target
    /// state of charge: grid charging runs until the caller changes the mode (the battery scheduler does at the target).
    /// </remarks>
    /// <exception cref="InvalidOperationException">On a DT, or an ET whose firmware refused the EMS registers; nothing was sent.</exception>
    public async Task SetBatteryModeAsync(BatteryMode mode, double? powerW, double? targetSocPct, CancellationToken cancellationToken)
    {
        var values = GoodWeRegisters.EncodeEms(mode, powerW);
        if (_family == GoodWeFamily.Auto)
        {
            _family = await DetectAsync(cancellationToken).ConfigureAwait(false);
        }
        if (_family == GoodWeFamily.Dt || !_hasEms)
        {
            throw new InvalidOperationException($"{Id} is a GoodWe {_family.ToString().ToUpperInvariant()} without EMS battery modes; nothing was sent");
        }
        await WriteVerifiedAsync(GoodWeRegisters.EtEmsMode, values, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>LimitMode = ActivePct</c> limits AC output (<see cref="IActivePowerLimiter"/>); <c>ExportPct</c> and
    /// <c>ExportW</c> cap export at the grid connection (<see cref="IExportLimiter"/>), which is another quantity. Only an
    /// ET is a battery; a DT is a grid meter while its meter block answers.
    /// </summary>
    public bool Has(Type ability) =>
        ability == typeof(IActivePowerLimiter) ? _options.LimitMode == GoodWeLimitMode.ActivePct
        : ability == typeof(IExportLimiter) ? _options.LimitMode != GoodWeLimitMode.ActivePct
        : ability == typeof(IBattery) ? _family != GoodWeFamily.Dt
        : ability == typeof(IBatteryControl) ? _family != GoodWeFamily.Dt && _hasEms
        : ability != typeof(IMeter) || _hasMeter;

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">With <c>LimitMode</c> other than <c>ActivePct</c> (the gate never asks then).</exception>
    public async Task SetActivePowerLimitAsync(double percent, CancellationToken cancellationToken)
    {
        if (_options.LimitMode != GoodWeLimitMode.ActivePct)
        {
            throw new InvalidOperationException($"LimitMode = {_options.LimitMode} caps export, not AC output; nothing was sent");
        }
        if (!double.IsFinite(percent) || percent is < 0 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(percent), percent, "an active power limit must be 0–100 %; nothing was sent");
        }
        await WriteVerifiedAsync((ushort)_options.ExportSwitchRegister, [1], cancellationToken).ConfigureAwait(false);
        await WriteVerifiedAsync((ushort)_options.ActivePowerLimitRegister, [(ushort)Math.Round(percent)], cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public string SafeStateDescription => (_options.LimitMode == GoodWeLimitMode.ActivePct ? "limit lifted (100 %)" : "export cap lifted (rated power)")
        + (_family == GoodWeFamily.Dt || !_hasEms ? "" : ", battery in self-use (EMS Auto)");

    /// <inheritdoc />
    /// <remarks>
    /// An ET's battery is put back into self-use when it is in one of the EMS modes EnergyHub sets (a grid charge left
    /// behind by a crash included); a mode only the installer or another controller sets is left alone.
    /// </remarks>
    public async Task EnterSafeStateAsync(CancellationToken cancellationToken)
    {
        if (_family == GoodWeFamily.Auto)
        {
            _family = await DetectAsync(cancellationToken).ConfigureAwait(false);
        }
        if (_family == GoodWeFamily.Et && await ReadEmsModeAsync(cancellationToken).ConfigureAwait(false) is BatteryMode.Hold or BatteryMode.ChargeFromGrid or BatteryMode.Discharge)
        {
            await SetBatteryModeAsync(BatteryMode.Auto, null, null, cancellationToken).ConfigureAwait(false);
        }
        if (_options.LimitMode == GoodWeLimitMode.ActivePct)
        {
            await SetActivePowerLimitAsync(100, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await SetExportLimitAsync(_options.RatedPowerW, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    /// <remarks>With <c>LimitMode = ExportPct</c> the cap is written in % of rated power (registers 292/293), otherwise in W.</remarks>
    public async Task SetExportLimitAsync(double watts, CancellationToken cancellationToken)
    {
        if (!double.IsFinite(watts) || watts < 0 || watts > 65535 && _options.ExportWRegister != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(watts), watts, "an export limit must be 0 W or more (at most 65535 W in a 16-bit register); nothing was sent");
        }
        if (_options.LimitMode == GoodWeLimitMode.ExportPct)
        {
            var percent = Math.Min(100, watts / _options.RatedPowerW * 100);
            await WriteVerifiedAsync((ushort)_options.ExportSwitchRegister, [1], cancellationToken).ConfigureAwait(false);
            await WriteVerifiedAsync((ushort)_options.ExportPctRegister, [(ushort)Math.Round(percent)], cancellationToken).ConfigureAwait(false);
            await WriteVerifiedAsync((ushort)_options.ExportPctX10Register, [(ushort)Math.Round(percent * 10)], cancellationToken).ConfigureAwait(false);
            return;
        }
        if (_family == GoodWeFamily.Auto)
        {
            _family = await DetectAsync(cancellationToken).ConfigureAwait(false);
        }
        var w = (uint)Math.Round(watts);
        if (_options.ExportWRegister != 0)
        {
            await WriteVerifiedAsync((ushort)_options.ExportWRegister, [(ushort)w], cancellationToken).ConfigureAwait(false);
        }
        else if (_family == GoodWeFamily.Et)
        {
            await WriteVerifiedAsync(GoodWeRegisters.EtExportEnable, [1], cancellationToken).ConfigureAwait(false);
            await WriteVerifiedAsync(GoodWeRegisters.EtExportW, [(ushort)Math.Min(w, 65535)], cancellationToken).ConfigureAwait(false);
        }
        else if (_options.ThreePhase)
        {
            await WriteVerifiedAsync(GoodWeRegisters.DtExportEnable, [1], cancellationToken).ConfigureAwait(false);
            await WriteVerifiedAsync(GoodWeRegisters.DtExportPct, [(ushort)GoodWeRegisters.Percent(watts, _options.RatedPowerW)], cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await WriteVerifiedAsync(GoodWeRegisters.DtExportEnable, [1], cancellationToken).ConfigureAwait(false);
            await WriteVerifiedAsync(GoodWeRegisters.DtExportW, Registers.FromU32(w), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task WriteVerifiedAsync(ushort register, ushort[] values, CancellationToken cancellationToken)
    {
        if (values.Length == 1)
        {
            await _client.WriteSingleRegisterAsync(_unit, register, values[0], cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await _client.WriteMultipleRegistersAsync(_unit, register, values, cancellationToken).ConfigureAwait(false);
        }
        var back = await _client.ReadHoldingRegistersAsync(_unit, register, values.Length, cancellationToken).ConfigureAwait(false);
        if (!back.SequenceEqual(values))
        {
            throw new IOException($"GoodWe at {_options.Host}: wrote {string.Join(",", values)} to register {register} but read back {string.Join(",", back)}; the limit is not in force");
        }
    }

    private async Task<double?> ReadLimitPctAsync(CancellationToken cancellationToken)
    {
        var register = _options.LimitMode == GoodWeLimitMode.ExportPct ? _options.ExportPctRegister : _options.ActivePowerLimitRegister;
        if (_options.LimitMode == GoodWeLimitMode.ExportW)
        {
            return null;
        }
        try
        {
            return (await _client.ReadHoldingRegistersAsync(_unit, (ushort)register, 1, cancellationToken).ConfigureAwait(false))[0];
        }
        catch (ModbusException ex) when (ex.Code == ModbusExceptionCode.IllegalDataAddress)
        {
            return null;
        }
    }

    private async Task<GoodWeFamily> DetectAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _client.ReadHoldingRegistersAsync(_unit, GoodWeRegisters.DtRuntime, 1, cancellationToken).ConfigureAwait(false);
            _logger.LogInformation("{Device}: detected the DT register family (30100 answers)", Id);
            return GoodWeFamily.Dt;
        }
        catch (ModbusException ex) when (ex.Code == ModbusExceptionCode.IllegalDataAddress)
        {
            _logger.LogInformation("{Device}: detected the ET register family (30100 is refused)", Id);
            return GoodWeFamily.Et;
        }
    }

    /// <summary>Releases the gateway connection; it closes once no other device behind the same gateway uses it.</summary>
    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
