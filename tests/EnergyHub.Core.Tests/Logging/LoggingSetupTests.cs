using EnergyHub.Core.Config;
using EnergyHub.Core.Logging;
using Microsoft.Extensions.Logging;

namespace EnergyHub.Core.Tests.Logging;

public sealed class LoggingSetupTests
{
    [Test]
    public void A_start_cut_short_by_ctrl_c_is_not_logged_as_an_error_but_any_other_host_failure_is()
    {
        var dir = Directory.CreateTempSubdirectory("energyhub-logs-").FullName;
        try
        {
            using (var loggers = LoggingSetup.Create(new LoggingOptions(), dir))
            {
                var host = loggers.CreateLogger("Microsoft.Extensions.Hosting.Internal.Host");
                host.LogError(new TaskCanceledException("A task was canceled."), "Hosting failed to start (cancelled)");
                host.LogError(new InvalidOperationException("broken"), "Hosting failed to start (broken)");
                loggers.CreateLogger("EnergyHub.Services.Elsewhere").LogError(new OperationCanceledException(), "A service's own cancellation");
            }
            var log = File.ReadAllText(Path.Combine(dir, "energyhub.log"));
            Assert.That(log, Does.Not.Contain("(cancelled)"));
            Assert.That(log, Does.Contain("(broken)"));
            Assert.That(log, Does.Contain("A service's own cancellation"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
