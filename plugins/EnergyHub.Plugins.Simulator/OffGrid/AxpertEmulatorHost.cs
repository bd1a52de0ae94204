using System.Diagnostics;
using EnergyHub.Plugins.Simulator.Site;
using EnergyHub.Protocols.Serial;

namespace EnergyHub.Plugins.Simulator.OffGrid;

/// <summary>
/// A <see cref="Pi30Emulator"/> on a socat pty pair: an <c>axpert</c> device with <c>Transport = Serial</c> and
/// <c>Device = </c><see cref="Link"/> talks to it. Its bank is charged by a share of a sim-site's PV and discharged
/// by a share of its house load.
/// </summary>
public sealed class AxpertEmulatorHost : IAsyncDisposable
{
    private readonly Process _socat;
    private readonly SerialLine _port;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;
    private DateTimeOffset? _last;

    /// <summary>Starts socat with its device end at <paramref name="link"/> and serves PI30 on the other end.</summary>
    /// <exception cref="InvalidOperationException">socat is missing or the pty did not appear.</exception>
    public AxpertEmulatorHost(string link, double capacityAh, double initialSocPct)
    {
        Link = link;
        var own = link + ".emulator";
        foreach (var stale in new[] { link, own })
        {
            File.Delete(stale);
        }
        _socat = Process.Start(new ProcessStartInfo("socat", ["pty,raw,echo=0,link=" + link, "pty,raw,echo=0,link=" + own]) { RedirectStandardError = true })
            ?? throw new InvalidOperationException("socat could not be started; install it (apt-get install socat)");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!(File.Exists(link) && File.Exists(own)))
        {
            if (DateTime.UtcNow > deadline || _socat.HasExited)
            {
                throw new InvalidOperationException($"socat did not create {link}; check that its folder exists and is writable");
            }
            Thread.Sleep(20);
        }
        Emulator = new Pi30Emulator(new LeadAcidBank(capacityAh, 24, initialSocPct), FirmwareCharger.Axpert48V());
        _port = SerialLine.Open(own, new SerialSettings(2400));
        _serving = Task.Run(() => Emulator.ServeAsync(_port, _stop.Token));
    }

    /// <summary>The pty an axpert device opens.</summary>
    public string Link { get; }

    /// <summary>The emulated inverter.</summary>
    public Pi30Emulator Emulator { get; }

    /// <summary>Moves the bank on to <paramref name="now"/> with the site's current PV and load, scaled.</summary>
    public void Advance(DateTimeOffset now, SiteSample site, double pvScale, double loadScale)
    {
        var step = _last is { } last ? now - last : TimeSpan.Zero;
        _last = now;
        if (step > TimeSpan.Zero)
        {
            Emulator.Advance(step < TimeSpan.FromMinutes(5) ? step : TimeSpan.FromMinutes(5), site.PvAvailableW * pvScale, site.HouseLoadW * loadScale);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _socat.Kill();
        await Task.WhenAny(_serving, Task.Delay(1000)).ConfigureAwait(false);
        _port.Dispose();
        _socat.Dispose();
        _stop.Dispose();
    }
}
