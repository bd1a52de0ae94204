using EnergyHub.Core.Config;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Events;
using Serilog.Extensions.Logging;
using Microsoft.Extensions.DependencyInjection;

namespace EnergyHub.Core.Logging;

/// <summary>Serilog to the console and to a size-rotated file, exposed as a <see cref="ILoggerFactory"/>.</summary>
public static class LoggingSetup
{
    private const string Template = "{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz} [{Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}";
    private const string ConsoleTemplate = "{Timestamp:HH:mm:ss} [{Level:u3}] {ShortContext}: {Message:lj}{NewLine}{Exception}";

    /// <summary>
    /// A logger factory per <paramref name="options"/>: console always, and <c>energyhub.log</c> in
    /// <paramref name="logDir"/> (rolled at <see cref="LoggingOptions.MaxFileBytes"/>, <see cref="LoggingOptions.RetainedFiles"/> kept).
    /// Errors go to stderr; with <paramref name="toStandardError"/> every console line does, for verbs whose stdout is data (JSON, CSV).
    /// </summary>
    public static ILoggerFactory Create(LoggingOptions options, string? logDir, bool toStandardError = false)
    {
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Is(ToSerilog(options.Level))
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("System.Net.Http.HttpClient", LogEventLevel.Warning) // a line per request of every cloud driver otherwise
            .Filter.ByExcluding(IsStartCutShort)
            .Enrich.With<ShortContextEnricher>()
            .WriteTo.Console(outputTemplate: ConsoleTemplate, formatProvider: System.Globalization.CultureInfo.InvariantCulture,
                standardErrorFromLevel: toStandardError ? LogEventLevel.Verbose : LogEventLevel.Error); // errors go to stderr, as config errors do
        if (logDir is not null)
        {
            Directory.CreateDirectory(logDir);
            configuration = configuration.WriteTo.File(Path.Combine(logDir, "energyhub.log"),
                outputTemplate: Template,
                formatProvider: System.Globalization.CultureInfo.InvariantCulture,
                fileSizeLimitBytes: options.MaxFileBytes,
                rollOnFileSizeLimit: true,
                retainedFileCountLimit: options.RetainedFiles,
                shared: false,
                flushToDiskInterval: TimeSpan.FromSeconds(1),
                hooks: new PrivateLogFiles());
        }
        return new SerilogLoggers(configuration.CreateLogger());
    }

    /// <summary>
    /// Makes <paramref name="loggers"/> a host's logging: Serilog's own host integration (Serilog.Extensions.Hosting)
    /// when they are ours, so the host and ASP.NET Core log through the same pipeline; any other factory (tests) as is.
    /// The host does not dispose them: whoever created them does.
    /// </summary>
    public static void AddSiteLogging(this IServiceCollection services, ILoggerFactory loggers)
    {
        if (loggers is SerilogLoggers serilog)
        {
            services.AddSerilog(serilog.Logger, dispose: false);
        }
        else
        {
            services.AddSingleton(loggers);
        }
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
    }

    // Ctrl-C while the host starts cancels it, and the host (and the web server's own host) log that as an error with a
    // stack trace. The run verb says "Stopped while starting" itself, so the host's error is noise there.
    private static bool IsStartCutShort(LogEvent logEvent) =>
        logEvent.Exception is OperationCanceledException
        && logEvent.Properties.TryGetValue("SourceContext", out var value) && value is ScalarValue { Value: "Microsoft.Extensions.Hosting.Internal.Host" };

    public static LogEventLevel ToSerilog(LogLevel level) => level switch
    {
        LogLevel.Trace => LogEventLevel.Verbose,
        LogLevel.Debug => LogEventLevel.Debug,
        LogLevel.Information => LogEventLevel.Information,
        LogLevel.Warning => LogEventLevel.Warning,
        LogLevel.Error => LogEventLevel.Error,
        _ => LogEventLevel.Fatal,
    };

    // "EnergyHub.Core.Devices.DevicePoller" -> "DevicePoller"; "EnergyHub.Device.roof" -> "roof".
    private sealed class ShortContextEnricher : Serilog.Core.ILogEventEnricher
    {
        public void Enrich(LogEvent logEvent, Serilog.Core.ILogEventPropertyFactory propertyFactory)
        {
            var context = logEvent.Properties.TryGetValue("SourceContext", out var value) && value is ScalarValue { Value: string s } ? s : "";
            var dot = context.StartsWith("EnergyHub.Device.", StringComparison.Ordinal) ? "EnergyHub.Device.".Length - 1 : context.LastIndexOf('.');
            logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty("ShortContext", dot >= 0 ? context[(dot + 1)..] : context));
        }
    }
}

/// <summary>A Serilog logger factory that keeps its logger, so a host can take it over with <c>AddSerilog</c>.</summary>
public sealed class SerilogLoggers(Serilog.Core.Logger logger) : ILoggerFactory
{
    private readonly SerilogLoggerFactory _factory = new(logger, dispose: true);

    /// <summary>The Serilog pipeline behind this factory.</summary>
    public Serilog.ILogger Logger => logger;

    /// <inheritdoc />
    public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => _factory.CreateLogger(categoryName);

    /// <inheritdoc />
    public void AddProvider(ILoggerProvider provider) => _factory.AddProvider(provider);

    /// <inheritdoc />
    public void Dispose() => _factory.Dispose();
}
