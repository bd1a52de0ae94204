using System.CommandLine;
using EnergyHub.Cli;
using Spectre.Console;

// Before anything is written: every file and folder this process creates is private to its owner.
EnergyHub.Core.Hosting.PrivateUmask.Apply();

if (Console.IsOutputRedirected || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR")))
{
    // Piped or logged output gets no colour codes (nor does a terminal with NO_COLOR set, see no-color.org).
    AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings
    {
        Ansi = AnsiSupport.No,
        ColorSystem = ColorSystemSupport.NoColors,
        Out = new AnsiConsoleOutput(Console.Out),
    });
}
if (Console.IsOutputRedirected)
{
    // Piped or logged output has no terminal width: COLUMNS when the shell exports it (tables wrap to fit), else wide
    // enough to keep a table's row on one line.
    AnsiConsole.Profile.Width = int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out var columns) && columns >= 40 ? columns : 240;
}

var pluginDirs = new Option<string[]>("--plugin-dir")
{
    Description = "An extra folder to load plugins from (repeatable); the plugins folder beside energyhub is always searched.",
    Recursive = true,
    AllowMultipleArgumentsPerToken = false,
};

var root = new RootCommand("EnergyHub: an open home energy-management framework. Reads your inverter, meters, battery and prices, and runs the services config.ini switches on.")
{
    RunCommand.Create(pluginDirs),
    CheckConfigCommand.Create(pluginDirs),
    PluginsCommand.Create(pluginDirs),
    DevicesCommand.Create(pluginDirs),
    SafeStateCommand.Create(pluginDirs),
    PricesCommand.Create(pluginDirs),
    PlanCommand.Create(pluginDirs),
    SetCommand.Create(pluginDirs),
    SimulateCommand.Create(pluginDirs),
    GoodWeCommand.Create(pluginDirs),
    GoECommand.Create(pluginDirs),
    ShellyCommand.Create(pluginDirs),
    AxpertCommand.Create(),
    DbCommand.Create(pluginDirs),
    FleetCommand.Create(),
};
root.Options.Add(pluginDirs);

return await root.Parse(args).InvokeAsync();
