using Microsoft.Extensions.Logging;

namespace EnergyHub.TestSupport;

/// <summary>An <see cref="ILoggerProvider"/> that keeps every line with its category and level, to count lines per fault.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly List<(string Category, LogLevel Level, string Text)> _lines = [];

    public int Count
    {
        get
        {
            lock (_lines)
            {
                return _lines.Count;
            }
        }
    }

    /// <summary>Lines at <paramref name="level"/> or above from index <paramref name="from"/> on.</summary>
    public IReadOnlyList<(string Category, LogLevel Level, string Text)> Since(int from, LogLevel level = LogLevel.Warning)
    {
        lock (_lines)
        {
            return _lines.Skip(from).Where(l => l.Level >= level).ToList();
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }
            lock (owner._lines)
            {
                owner._lines.Add((category, logLevel, formatter(state, exception)));
            }
        }
    }
}
