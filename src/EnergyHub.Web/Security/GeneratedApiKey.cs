using System.Security.Cryptography;
using EnergyHub.Core.Config;

namespace EnergyHub.Web.Security;

/// <summary>
/// The key every write needs. <c>[Web] ApiKey</c> when set; otherwise one generated at the first start into
/// <c>DataDir/api-key</c> (mode 0600, 32 random bytes, base64url) and read back from there on every later start, so
/// no local user or page can write without it (evcc likewise requires an admin password because its page can write).
/// </summary>
public static class GeneratedApiKey
{
    /// <summary>The file in the DataDir that holds a generated key.</summary>
    public const string FileName = "api-key";

    /// <summary>The configured key, or the one generated before into <paramref name="dataDir"/>; null when there is neither (nothing is created).</summary>
    public static (string Key, string? File)? Existing(WebOptions web, string dataDir)
    {
        if (web.ApiKey.Length > 0)
        {
            return (web.ApiKey, null);
        }
        var path = Path.Combine(dataDir, FileName);
        return File.Exists(path) && File.ReadAllText(path).Trim() is { Length: >= 16 } kept ? (kept, path) : null;
    }

    /// <summary>The key to check writes against, and where it was generated (null when it is the configured one).</summary>
    public static (string Key, string? File) Resolve(WebOptions web, string dataDir)
    {
        if (Existing(web, dataDir) is { } existing)
        {
            return existing;
        }
        var path = Path.Combine(dataDir, FileName);
        Directory.CreateDirectory(dataDir);
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using (var writer = new StreamWriter(new FileStream(path, options)))
        {
            writer.WriteLine(key);
        }
        return (key, path);
    }
}
