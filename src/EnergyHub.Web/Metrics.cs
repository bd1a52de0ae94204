using EnergyHub.Readings;
using System.Globalization;
using System.Text;
using EnergyHub.Core;
using EnergyHub.Core.Commands;
using EnergyHub.Core.Journal;
using EnergyHub.Core.Scheduling;
using EnergyHub.Site;

namespace EnergyHub.Web;

/// <summary>The Prometheus text exposition format (0.0.4) of the site: readings, device health, services, commands, journal.</summary>
public static class Metrics
{
    public static string Render(SiteSnapshot site, IReadOnlyList<ServiceStatus> services, CommandAuditLog audit, SiteJournal? journal, IReadOnlyList<Core.Events.ObserverStats> observers)
    {
        var text = new StringBuilder();
        void Header(string name, string help, string type) => text.Append("# HELP ").Append(name).Append(' ').Append(help).Append("\n# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        void Line(string name, string labels, double value) =>
            text.Append(name).Append('{').Append(labels).Append("} ").Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');

        Header("energyhub_reading", "Latest value of every reading, in the unit of its label (grid + import, battery + charging).", "gauge");
        foreach (var device in site.Devices.Values.Where(d => d.Reading is not null))
        {
            foreach (var v in ReadingSeries.Flatten(device.Reading!))
            {
                Line("energyhub_reading", $"device=\"{Escape(device.Id)}\",series=\"{Escape(v.Name)}\",unit=\"{Escape(v.Unit)}\"", v.Value);
            }
        }
        Header("energyhub_device_online", "1 when the device's data is fresh, 0 when stale, offline or unknown.", "gauge");
        Header("energyhub_device_age_seconds", "Age of the device's last reading.", "gauge");
        foreach (var device in site.Devices.Values)
        {
            Line("energyhub_device_online", $"device=\"{Escape(device.Id)}\",health=\"{device.Health}\"", device.Health == DeviceHealth.Online ? 1 : 0);
            if (device.Age is { } age)
            {
                Line("energyhub_device_age_seconds", $"device=\"{Escape(device.Id)}\"", age.TotalSeconds);
            }
        }
        Header("energyhub_service_tick_seconds", "Duration of the service's last successful tick.", "gauge");
        Header("energyhub_service_failures_total", "Ticks that threw or timed out.", "counter");
        foreach (var service in services)
        {
            Line("energyhub_service_tick_seconds", $"service=\"{Escape(service.Name)}\"", service.LastDuration?.TotalSeconds ?? 0);
            Line("energyhub_service_failures_total", $"service=\"{Escape(service.Name)}\"", service.TotalFailures);
        }
        Header("energyhub_commands_total", "Commands handled by the command gate since start, by device and outcome.", "counter");
        foreach (var ((device, status), count) in audit.Totals().OrderBy(t => t.Key.Device, StringComparer.Ordinal).ThenBy(t => t.Key.Status))
        {
            Line("energyhub_commands_total", $"device=\"{Escape(device)}\",status=\"{status}\"", count);
        }
        if (observers.Count > 0)
        {
            Header("energyhub_observer_delivered_total", "Observations an observer has handled.", "counter");
            Header("energyhub_observer_dropped_total", "Observations dropped because the observer's queue was full.", "counter");
            Header("energyhub_observer_failed_total", "Observations the observer threw on.", "counter");
            foreach (var o in observers)
            {
                var label = $"observer=\"{Escape(o.Name)}\"";
                Line("energyhub_observer_delivered_total", label, o.Delivered);
                Line("energyhub_observer_dropped_total", label, o.Dropped);
                Line("energyhub_observer_failed_total", label, o.Failed);
            }
        }
        if (journal is not null)
        {
            Header("energyhub_journal_queue_depth", "Records waiting to be written to the journal.", "gauge");
            Line("energyhub_journal_queue_depth", "", journal.QueueDepth);
            Header("energyhub_journal_dropped_total", "Records dropped because the journal queue was full (raw readings first) or lost at shutdown.", "counter");
            Line("energyhub_journal_dropped_total", "", journal.Dropped);
            Header("energyhub_journal_failing", "1 while the last journal write failed (disk full, database locked).", "gauge");
            Line("energyhub_journal_failing", "", journal.Failing ? 1 : 0);
        }
        return text.ToString().Replace("{}", "", StringComparison.Ordinal);
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
