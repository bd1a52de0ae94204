using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using EnergyHub.Services.BatteryScheduler;
using EnergyHub.Services.EvCharging;
using EnergyHub.Services.SurplusDistributor;

namespace EnergyHub.Web.Tests;

/// <summary>
/// The page reads the services' status records by their JSON names: their TypeScript declarations
/// (<c>src/EnergyHub.Web/client/api.d.ts</c>) are generated from the C# records, and the page's script is type-checked
/// against them (<c>// @ts-check</c>, TypeScript from the client's pinned devDependencies). A field renamed in C# without
/// the page following fails here.
/// </summary>
public sealed class ApiTypesTests
{
    private static readonly string Client = Path.Combine(RepoRoot(), "src", "EnergyHub.Web", "client");

    /// <summary>The documents the page reads, by the name its script knows them.</summary>
    private static readonly Type[] Documents = [typeof(EvChargingStatus), typeof(SurplusStatus), typeof(BatteryScheduleStatus)];

    [Test]
    public void The_checked_in_declarations_are_generated_from_the_status_records()
    {
        var generated = TypeScriptDeclarations.Of(Documents);
        var path = Path.Combine(Client, "api.d.ts");
        var checkedIn = File.Exists(path) ? File.ReadAllText(path) : "";
        if (checkedIn != generated)
        {
            File.WriteAllText(path, generated);
            Assert.Fail($"{path} was out of date with the C# status records and has been regenerated: check the page against it (this test's next run) and commit it.");
        }
    }

    [Test]
    public void The_page_type_checks_against_the_declarations()
    {
        var (code, output) = Tsc(Client);
        Assert.That(code, Is.Zero, output);
    }

    [Test]
    public void A_status_field_renamed_without_the_page_fails_the_check()
    {
        // The page's script and config beside declarations in which the EV's "why" is called "reason".
        var dir = Directory.CreateTempSubdirectory("energyhub-api-types-").FullName;
        Directory.CreateDirectory(Path.Combine(dir, "client"));
        Directory.CreateDirectory(Path.Combine(dir, "wwwroot"));
        File.Copy(Path.Combine(Client, "tsconfig.json"), Path.Combine(dir, "client", "tsconfig.json"));
        File.Copy(Path.Combine(Client, "globals.d.ts"), Path.Combine(dir, "client", "globals.d.ts"));
        File.Copy(Path.Combine(Client, "..", "wwwroot", "app.js"), Path.Combine(dir, "wwwroot", "app.js"));
        Directory.CreateDirectory(Path.Combine(dir, "wwwroot", "js"));
        foreach (var module in Directory.GetFiles(Path.Combine(Client, "..", "wwwroot", "js"), "*.js"))
        {
            File.Copy(module, Path.Combine(dir, "wwwroot", "js", Path.GetFileName(module)));
        }
        var renamed = File.ReadAllText(Path.Combine(Client, "api.d.ts"));
        var ev = renamed.IndexOf("export interface EvStatus", StringComparison.Ordinal);
        var why = renamed.IndexOf("  why: string;", ev, StringComparison.Ordinal);
        Assert.That(why, Is.GreaterThan(ev));
        File.WriteAllText(Path.Combine(dir, "client", "api.d.ts"), renamed[..why] + "  reason: string;" + renamed[(why + "  why: string;".Length)..]);

        var (code, output) = Tsc(Path.Combine(dir, "client"));
        Assert.That(code, Is.Not.Zero);
        Assert.That(output, Does.Contain("'why'"), "the check names the field the page reads");
    }

    private static (int Code, string Output) Tsc(string project)
    {
        var tsc = Path.Combine(Client, "node_modules", "typescript", "bin", "tsc");
        Assert.That(File.Exists(tsc), Is.True, $"TypeScript is not installed in {Client}: build EnergyHub.Web (its npm ci installs the client's devDependencies)");
        var info = new ProcessStartInfo("node", [tsc, "-p", project]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        Assert.That(process.WaitForExit(120_000), Is.True, "tsc did not finish in 2 minutes");
        return (process.ExitCode, output.Result + errors.Result);
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "EnergyHub.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("the repository root (EnergyHub.sln) was not found above the test's folder");
    }
}

/// <summary>TypeScript declarations of records as the web API writes them: camelCase names, enums by name, times as ISO strings.</summary>
internal static class TypeScriptDeclarations
{
    public static string Of(IEnumerable<Type> roots)
    {
        var pending = new Queue<Type>(roots);
        var done = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var nullability = new NullabilityInfoContext();
        while (pending.TryDequeue(out var type))
        {
            if (done.ContainsKey(type.Name))
            {
                continue;
            }
            if (type.IsEnum)
            {
                done[type.Name] = $"export type {type.Name} = {string.Join(" | ", Enum.GetNames(type).Select(n => $"'{n}'"))};\n";
                continue;
            }
            var text = new StringBuilder($"export interface {type.Name} {{\n");
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetCustomAttribute<JsonIgnoreAttribute>() is null)
                .OrderBy(p => p.MetadataToken))
            {
                var name = property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name);
                var nullable = nullability.Create(property).ReadState == NullabilityState.Nullable;
                var ts = Ts(property.PropertyType, pending);
                text.Append($"  {name}: {ts}{(nullable && !ts.EndsWith(" | null", StringComparison.Ordinal) ? " | null" : "")};\n");
            }
            done[type.Name] = text.Append("}\n").ToString();
        }
        return "// Generated from the C# status records by ApiTypesTests; do not edit.\n\n" + string.Join("\n", done.Values);
    }

    private static string Ts(Type type, Queue<Type> pending)
    {
        if (Nullable.GetUnderlyingType(type) is { } inner)
        {
            return Ts(inner, pending) + " | null";
        }
        if (type == typeof(string) || type == typeof(DateTimeOffset) || type == typeof(DateTime) || type == typeof(TimeSpan))
        {
            return "string";
        }
        if (type == typeof(bool))
        {
            return "boolean";
        }
        if (type.IsPrimitive || type == typeof(decimal))
        {
            return "number";
        }
        if (type.IsGenericType && type.GetGenericArguments() is [var key, var value] && typeof(System.Collections.IDictionary).IsAssignableFrom(type) | type.Name.Contains("Dictionary", StringComparison.Ordinal))
        {
            return $"Record<{(key == typeof(string) ? "string" : "number")}, {Ts(value, pending)}>";
        }
        if (type != typeof(string) && type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>)) is { } sequence)
        {
            return $"{Ts(sequence.GetGenericArguments()[0], pending)}[]";
        }
        pending.Enqueue(type);
        return type.Name;
    }
}
