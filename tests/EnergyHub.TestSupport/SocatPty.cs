using System.Diagnostics;

namespace EnergyHub.TestSupport;

/// <summary>Two linked pseudo-terminals made by socat (a serial cable in software): what is written to A is read from B.</summary>
public sealed class SocatPty : IDisposable
{
    private readonly Process _socat;
    private readonly string _dir = Directory.CreateTempSubdirectory("energyhub-pty-").FullName;

    /// <summary>Starts socat and waits until both ends exist.</summary>
    public SocatPty()
    {
        _socat = Process.Start(new ProcessStartInfo("socat", ["pty,raw,echo=0,link=" + A, "pty,raw,echo=0,link=" + B]) { RedirectStandardError = true })
            ?? throw new InvalidOperationException("socat is not installed (.ci/run installs it)");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!(File.Exists(A) && File.Exists(B)) && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(20);
        }
        Thread.Sleep(100);
    }

    /// <summary>One end, for the code under test.</summary>
    public string A => Path.Combine(_dir, "a");

    /// <summary>The other end, for the scripted peer.</summary>
    public string B => Path.Combine(_dir, "b");

    /// <inheritdoc />
    public void Dispose()
    {
        _socat.Kill();
        _socat.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
