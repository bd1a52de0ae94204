namespace EnergyHub.Core.Config;

/// <summary>
/// Checks, before anything starts, that the folders a site writes (DataDir, the journal's folder, the log folder) can
/// be created and written: one config problem per folder that cannot, naming the key and the path.
/// </summary>
public static class SiteFolders
{
    /// <summary>
    /// Creates each folder and writes and deletes a probe file in it; returns a problem per folder that failed. With
    /// <paramref name="create"/> false nothing is created or written: the folder, or the nearest one above it that
    /// exists, must be writable by this user.
    /// </summary>
    public static IReadOnlyList<ConfigError> Check(SiteConfig config, bool create = true)
    {
        var folders = new List<(string Section, string Key, string Path)> { ("Common", nameof(CommonOptions.DataDir), config.DataDir) };
        if (config.Journal.Enabled && Path.GetDirectoryName(config.JournalPath) is { } journalDir && journalDir != config.DataDir)
        {
            folders.Add(("Journal", nameof(JournalOptions.File), journalDir));
        }
        if (config.LogDir is { } logDir)
        {
            folders.Add(("Logging", nameof(LoggingOptions.Dir), logDir));
        }
        var errors = new List<ConfigError>();
        foreach (var (section, key, path) in folders)
        {
            if ((create ? Problem(path) : ProblemWithout(path)) is { } problem)
            {
                errors.Add(config.Document.Error(section, key, $"cannot create or write the folder {path} ({problem})",
                    $"a folder the user running energyhub ({Environment.UserName}) can write: fix its permissions, or set {key} " +
                    $"(or {ConfigDocument.EnvironmentVariable(section, key)}) to another folder"));
            }
        }
        return errors;
    }

    private static string? ProblemWithout(string folder)
    {
        var existing = new DirectoryInfo(folder);
        while (existing is { Exists: false })
        {
            if (File.Exists(existing.FullName))
            {
                return $"{existing.FullName} is a file, not a folder";
            }
            existing = existing.Parent;
        }
        if (existing is null || OperatingSystem.IsWindows())
        {
            return null;
        }
        const int writeAndEnter = 2 | 1; // W_OK | X_OK
        return Access(existing.FullName, writeAndEnter) == 0 ? null
            : existing.FullName == Path.GetFullPath(folder) ? "not writable" : $"it does not exist and {existing.FullName} is not writable";
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "access", SetLastError = true)]
    private static extern int Access(string path, int mode);

    private static string? Problem(string folder)
    {
        try
        {
            Directory.CreateDirectory(folder);
            var probe = Path.Combine(folder, $".energyhub-write-test-{Environment.ProcessId}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return ex.Message;
        }
    }
}
