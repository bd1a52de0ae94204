using System.Text.Json;
using EnergyHub.Plugins.Simulator.Emulators;

namespace EnergyHub.Tests;

/// <summary>
/// EvCharging end to end: <c>energyhub run</c> drives a go-e emulator through the real goe driver, reading the grid
/// from a Shelly Pro 3EM emulator through the real shelly driver, while the test moves the sun: the grid shows the
/// house, less the PV of the ramp's row, plus what the go-e delivers. Each row must end in pv-control's state.
/// </summary>
public sealed class EvChargingEndToEndTests
{
    // available W (PV less the house), then the go-e's expected force (1 off, 2 on), current and phase switch mode (1 = one phase, 2 = three).
    private static readonly (double AvailableW, int Frc, int? Amp, int Psm, string Why)[] Ramp =
    [
        (1000, 1, null, 1, "below 6 x 230 + 200 W: off, and on one phase (below 4140 W)"),
        (2000, 2, 8, 1, "on at floor(2000 / 230 + 0.1) = 8 A on one phase"),
        (3000, 2, 13, 1, "13 A on one phase"),
        (5000, 2, 7, 2, "above 4340 W: stopped, switched to three phases, on at floor(5000 / 690 + 0.1) = 7 A"),
        (4200, 2, 6, 2, "4200 W stays on three phases (not below 4140 W) at 6 A"),
        (3000, 2, 13, 1, "below 4140 W: stopped, switched to one phase, on at 13 A"),
        (500, 1, null, 1, "500 W: off"),
        (2000, 2, 8, 1, "on again at 8 A"),
    ];

    [Test]
    public async Task A_pv_ramp_ends_every_row_in_pv_controls_state_through_the_real_go_e_and_shelly_drivers()
    {
        await using var goe = new GoEEmulator(v2: true, TimeProvider.System);
        await using var shelly = new ShellyEmulator(ShellyModel.Pro3Em, TimeProvider.System);
        goe.Start(0);
        shelly.Start(0);
        var dir = Directory.CreateTempSubdirectory("energyhub-ev-e2e-").FullName;
        var config = Path.Combine(dir, "config.ini");
        await File.WriteAllTextAsync(config, $"""
            [Common]
            DataDir = data
            [Web]
            Enabled = false
            [Services]
            EvCharging = true
            [Device:grid]
            Driver = shelly
            Host = 127.0.0.1:{shelly.Port}
            Role = Grid
            PollInterval = 500ms
            [Device:ev]
            Driver = goe
            Host = 127.0.0.1:{goe.Port}
            PollInterval = 500ms
            [EvCharging]
            Charger = ev
            PhaseSwitcher = ev
            GridMeter = grid
            Mode = PvOnly
            Interval = 250ms
            CycleInterval = 1s
            OnOffDelay = 0s
            PhaseSwitchDelay = 0s
            """);
        using var http = new HttpClient { BaseAddress = goe.BaseAddress };
        async Task<(int Frc, int Amp, int Psm, double PowerW)> GoE()
        {
            var status = JsonDocument.Parse(await http.GetStringAsync("api/status?filter=frc,amp,psm,nrg")).RootElement;
            return (status.GetProperty("frc").GetInt32(), status.GetProperty("amp").GetInt32(), status.GetProperty("psm").GetInt32(), status.GetProperty("nrg")[11].GetDouble());
        }

        using var cli = EnergyHubCli.Start(["run", "--config", config]);
        var seen = new List<string>();
        foreach (var row in Ramp)
        {
            // The row holds when the go-e is in its state for three readings in a row (a second and a half).
            var held = 0;
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            var state = await GoE();
            while (held < 3 && DateTime.UtcNow < deadline)
            {
                shelly.PowerW = -row.AvailableW + state.PowerW;
                await Task.Delay(500);
                state = await GoE();
                shelly.PowerW = -row.AvailableW + state.PowerW;
                var match = state.Frc == row.Frc && state.Psm == row.Psm && (row.Amp is null || state.Amp == row.Amp);
                held = match ? held + 1 : 0;
            }
            seen.Add($"{row.AvailableW} W: frc {state.Frc}, amp {state.Amp}, psm {state.Psm}");
            Assert.That(held, Is.EqualTo(3), $"{row.AvailableW} W should end {row.Why}; the go-e shows frc {state.Frc}, amp {state.Amp}, psm {state.Psm}.\n" +
                $"Rows so far: {string.Join("; ", seen)}\nEnergyHub said:\n{cli.Out}\n{cli.Err}");
        }
        cli.Interrupt();
        Assert.That(await cli.WaitForExit(TimeSpan.FromSeconds(30)), Is.Zero, cli.Err);
        Assert.That((await GoE()).Frc, Is.EqualTo(1), "stopping leaves the charging go-e in its safe state: off");
    }
}
