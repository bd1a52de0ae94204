using EnergyHub.TestSupport;
namespace EnergyHub.Protocols.Tests.Support;

/// <summary>Two linked pseudo-terminals made by socat: what is written to one is read from the other, like a serial cable.</summary>
public sealed class PtyPair : IDisposable
{
    private readonly Peer _socat;
    private readonly string _dir;

    private PtyPair(Peer socat, string dir)
    {
        _socat = socat;
        _dir = dir;
    }

    public string A => Path.Combine(_dir, "a");
    public string B => Path.Combine(_dir, "b");

    public static async Task<PtyPair> Create()
    {
        var dir = Directory.CreateTempSubdirectory("energyhub-pty-").FullName;
        var socat = Peer.Start("socat", "-d", "-d",
            $"pty,raw,echo=0,link={Path.Combine(dir, "a")}", $"pty,raw,echo=0,link={Path.Combine(dir, "b")}");
        var pair = new PtyPair(socat, dir);
        await socat.WaitFor("starting data transfer loop");
        return pair;
    }

    public void Dispose()
    {
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
