namespace EnergyHub.Plugins.Shelly;

/// <summary>
/// A bidirectional import/export pair integrated from a signed total power, as a utility meter that nets the phases
/// counts (es-ESS <c>Metering = Net</c>): between two samples the power is taken to move in a straight line, and where
/// it changes sign the interval is split at the zero crossing. A gap longer than <paramref name="maxGap"/> (the device
/// was offline, EnergyHub was stopped) is not counted: what flowed then is unknown, and multiplying the power after the
/// gap by its length would invent energy.
/// </summary>
/// <param name="maxGap">The longest time between two samples that is integrated.</param>
public sealed class NetEnergyCounter(TimeSpan maxGap)
{
    private (DateTimeOffset At, double PowerW)? _last;

    /// <summary>Energy imported (+ power), Wh.</summary>
    public double ImportWh { get; private set; }

    /// <summary>Energy exported (− power), Wh.</summary>
    public double ExportWh { get; private set; }

    /// <summary>Starts from counters kept from an earlier run; the next sample starts a new interval.</summary>
    public void Restore(double importWh, double exportWh)
    {
        (ImportWh, ExportWh, _last) = (importWh, exportWh, null);
    }

    /// <summary>Adds the power <paramref name="powerW"/> measured at <paramref name="at"/>; a sample not later than the last is ignored.</summary>
    public void Add(DateTimeOffset at, double powerW)
    {
        if (_last is { } last)
        {
            if (at <= last.At)
            {
                return;
            }
            if (at - last.At <= maxGap)
            {
                Integrate(last.PowerW, powerW, (at - last.At).TotalHours);
            }
        }
        _last = (at, powerW);
    }

    private void Integrate(double fromW, double toW, double hours)
    {
        if (fromW * toW < 0)
        {
            var before = fromW / (fromW - toW); // the share of the interval before the zero crossing
            Count(fromW / 2 * hours * before);
            Count(toW / 2 * hours * (1 - before));
        }
        else
        {
            Count((fromW + toW) / 2 * hours);
        }
    }

    private void Count(double wh)
    {
        if (wh >= 0)
        {
            ImportWh += wh;
        }
        else
        {
            ExportWh -= wh;
        }
    }
}
