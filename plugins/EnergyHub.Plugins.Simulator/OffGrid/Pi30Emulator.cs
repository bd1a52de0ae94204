using System.Globalization;
using System.Text;
using EnergyHub.Protocols.Pi30;

namespace EnergyHub.Plugins.Simulator.OffGrid;

/// <summary>
/// An Axpert as seen over PI30: answers QPIGS, QMOD, QPIRI, QPIWS and QMCHGCR from a <see cref="LeadAcidBank"/> and
/// its <see cref="FirmwareCharger"/>, and applies PBFT, PCVV and MCHGC to the charger (ACK), NAK for anything else or
/// out of range. Serves any stream, e.g. one end of a socat pty pair.
/// </summary>
public sealed class Pi30Emulator(LeadAcidBank bank, FirmwareCharger charger)
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
    private const double BatteryRatingV = 48.0;
    private const double RatedPowerW = 4000;
    private readonly List<string> _received = [];

    /// <summary>PV power now, W.</summary>
    public double PvPowerW { get; private set; }

    /// <summary>AC load now, W.</summary>
    public double LoadW { get; private set; }

    /// <summary>Every command received, in order.</summary>
    public IReadOnlyList<string> Received
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    /// <summary>
    /// Lets <paramref name="step"/> pass: PV beyond the load charges the bank through the firmware charger, load
    /// beyond the PV discharges it.
    /// </summary>
    public void Advance(TimeSpan step, double pvW, double loadW)
    {
        lock (_received)
        {
            PvPowerW = pvW;
            LoadW = loadW;
            var surplusW = pvW - loadW;
            var volts = Math.Max(bank.VoltageV, 1);
            bank.Step(step, charger.Limit(Math.Max(0, surplusW) / volts), charger.TargetV, Math.Max(0, -surplusW) / volts);
            charger.Observe(bank);
        }
    }

    /// <summary>The reply payload (without "(" and CRC) to one command.</summary>
    public string Reply(string command)
    {
        lock (_received)
        {
            _received.Add(command);
            return Answer(command);
        }
    }

    private string Answer(string command) => command switch
        {
            "QPIGS" => Status(),
            "QMOD" => "B",
            "QPIRI" => string.Create(Invariant,
                $"230.0 21.7 230.0 50.0 21.7 5000 {RatedPowerW:0} {BatteryRatingV:00.0} 46.0 42.0 {charger.CvVoltageV:00.0} {charger.FloatVoltageV:00.0} 1 10 060 1 2 3 6 01 0 0 54.0 0 1"),
            "QPIWS" => new string('0', 36),
            "QMCHGCR" => "010 020 030 040 050 060 070 080 090 100 110 120",
            _ when Volts(command, "PBFT", Pi30Setters.FloatVoltage) is { } v => Apply(() => charger.FloatVoltageV = v),
            _ when Volts(command, "PCVV", Pi30Setters.BulkVoltage) is { } v => Apply(() => charger.CvVoltageV = v),
            _ when command.StartsWith("MCHGC", StringComparison.Ordinal) => "ACK",
            _ => "NAK",
        };

    /// <summary>Answers framed requests on <paramref name="stream"/> until cancelled or the stream ends.</summary>
    public async Task ServeAsync(Stream stream, CancellationToken cancellationToken)
    {
        var request = new List<byte>();
        var one = new byte[1];
        while (!cancellationToken.IsCancellationRequested && await stream.ReadAsync(one, cancellationToken).ConfigureAwait(false) == 1)
        {
            request.Add(one[0]);
            if (one[0] != 0x0D)
            {
                continue;
            }
            var command = request.Count >= 3 ? Encoding.ASCII.GetString([.. request], 0, request.Count - 3) : "";
            request.Clear();
            await stream.WriteAsync(Pi30.Frame("(" + Reply(command)), cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private string Status()
    {
        var volts = bank.VoltageV;
        var charging = Math.Max(0, bank.CurrentA);
        var discharging = Math.Max(0, -bank.CurrentA);
        var status = $"000{(LoadW > 0 ? 1 : 0)}0{(charging > 0 ? 1 : 0)}{(charging > 0 ? 1 : 0)}0";
        return string.Create(Invariant,
            $"000.0 00.0 230.0 50.0 {LoadW * 1.1:0000} {LoadW:0000} {LoadW / RatedPowerW * 100:000} 425 {volts:00.00} {charging:000} {bank.SocPct:000} 0040 " +
            $"{PvPowerW / Math.Max(volts, 1):0000} 100.0 {volts:00.00} {discharging:00000} {status} 00 00 {PvPowerW:00000} {(charger.Current == FirmwareCharger.Stage.Float ? 1 : 0)}10");
    }

    /// <summary>The voltage of a PBFT/PCVV command when <paramref name="validate"/> (the client's own range check) accepts it.</summary>
    private static double? Volts(string command, string prefix, Func<double, double, string> validate)
    {
        if (!command.StartsWith(prefix, StringComparison.Ordinal) || !double.TryParse(command[prefix.Length..], NumberStyles.Float, Invariant, out var volts))
        {
            return null;
        }
        try
        {
            validate(volts, BatteryRatingV);
            return volts;
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    private static string Apply(Action change)
    {
        change();
        return "ACK";
    }
}
