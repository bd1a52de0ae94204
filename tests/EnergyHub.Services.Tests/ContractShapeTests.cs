using System.Reflection;

namespace EnergyHub.Services.Tests;

/// <summary>
/// One typed contract from service to page: every status is a record of its service's own, and every decision too;
/// no untyped bag (<c>object</c> status, <c>Dictionary&lt;string, object?&gt;</c> decisions) in the SDK or the services.
/// </summary>
public sealed class ContractShapeTests
{
    private static readonly Assembly[] Assemblies = [typeof(IService).Assembly, typeof(BuiltInServices).Assembly];

    [Test]
    public void Statuses_and_decisions_are_typed_in_the_sdk()
    {
        Assert.That(typeof(IService).Assembly.GetType("EnergyHub.Services.IHasStatus"), Is.Null, "the untyped IHasStatus is gone");
        Assert.That(typeof(IDecisionLog).GetMethods().Select(m => string.Join(",", m.GetParameters().Select(p => p.ParameterType.Name))),
            Is.EqualTo(new[] { nameof(Decision) }));
    }

    [Test]
    public void Every_service_status_is_a_record_of_its_own()
    {
        var statuses = typeof(BuiltInServices).Assembly.GetTypes()
            .SelectMany(t => t.GetInterfaces().Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IHasStatus<>)).Select(i => (t, i.GetGenericArguments()[0])))
            .ToList();
        Assert.That(statuses, Has.Count.GreaterThanOrEqualTo(3));
        Assert.That(statuses.Where(s => s.Item2 == typeof(object) || s.Item2.GetMethod("<Clone>$") is null).Select(s => s.t.Name), Is.Empty, "statuses that are not records");
    }

    [Test]
    public void No_code_in_the_sdk_or_the_services_builds_an_untyped_bag_for_a_decision_or_a_status()
    {
        var untyped = typeof(Dictionary<string, object>);
        var offenders = Assemblies.SelectMany(a => a.GetTypes()).SelectMany(Methods)
            .Where(m => Called(m, newobj: true).Any(c => c.DeclaringType == untyped))
            .Select(m => $"{m.DeclaringType!.FullName}.{m.Name}")
            .ToList();
        Assert.That(offenders, Is.Empty);
    }

    [Test]
    public void No_service_touches_the_broker_they_offer_values_that_the_core_publishes()
    {
        var services = typeof(BuiltInServices).Assembly;
        Assert.That(services.GetReferencedAssemblies().Select(a => a.Name), Has.None.StartsWith("MQTTnet"));
        static bool Mqtt(Type? type) => type?.Namespace?.StartsWith("EnergyHub.Protocols.Mqtt", StringComparison.Ordinal) == true
            || type?.Namespace?.StartsWith("MQTTnet", StringComparison.Ordinal) == true;
        var offenders = services.GetTypes().SelectMany(t =>
                t.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static).Where(f => Mqtt(f.FieldType)).Select(f => $"{t.FullName}.{f.Name}")
                .Concat(Methods(t).Where(m => m.GetParameters().Any(p => Mqtt(p.ParameterType)) || Called(m, newobj: false).Any(c => Mqtt(c.DeclaringType)))
                    .Select(m => $"{t.FullName}.{m.Name}")))
            .ToList();
        Assert.That(offenders, Is.Empty, "services reaching MQTT themselves");
        Assert.That(services.GetTypes().Count(t => typeof(IHasPublishedValues).IsAssignableFrom(t)), Is.GreaterThanOrEqualTo(2), "the services that offer values");
    }

    private static IEnumerable<MethodBase> Methods(Type type) =>
        type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .Cast<MethodBase>().Concat(type.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static));

    // The methods a body calls (call, callvirt) or whose constructors it calls (newobj), read from its IL.
    private static IEnumerable<MethodBase> Called(MethodBase method, bool newobj)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
        {
            yield break;
        }
        for (var i = 0; i + 4 < il.Length; i++)
        {
            if (newobj ? il[i] != 0x73 : il[i] is not (0x73 or 0x28 or 0x6F))
            {
                continue;
            }
            MethodBase? called;
            try
            {
                called = method.Module.ResolveMethod(BitConverter.ToInt32(il, i + 1), method.DeclaringType?.GetGenericArguments(),
                    method.IsGenericMethod ? method.GetGenericArguments() : null);
            }
            catch (Exception ex) when (ex is ArgumentException or BadImageFormatException)
            {
                called = null; // a byte that only looks like newobj
            }
            if (called is not null)
            {
                yield return called;
            }
        }
    }
}
