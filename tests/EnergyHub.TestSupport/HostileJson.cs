using System.Text.Json.Nodes;
using CsCheck;

namespace EnergyHub.TestSupport;

/// <summary>
/// Random JSON a broken or hostile cloud API could send: objects built from the field names a parser looks for, with
/// values of every kind in them (wrong types, nulls, huge and negative numbers, dates out of range, empty strings),
/// nested at random, and now and then cut off mid-text.
/// </summary>
public static class HostileJson
{
    private static readonly string[] Tricky =
    [
        "", " ", "null", "NaN", "2025-10-02 24:00", "2025-10-02", "2025-10-02 00:15:00", "0001-01-01T00:00:00Z",
        "9999-12-31T23:59:59Z", "2025-13-45 99:99", "2025-10-02T00:15:00+14:00", "-1", "1e400", "<script>alert(1)</script>",
        "\u0000", "ActualInterval", "CurrentInterval", "ForecastInterval", "general", "feedIn", "controlledLoad",
    ];

    /// <summary>JSON text whose objects use <paramref name="names"/> (and a few others) as keys.</summary>
    public static Gen<string> For(params string[] names)
    {
        var keys = Gen.OneOf([.. names, "x", ""]);
        var scalar = Gen.OneOf(
            Gen.Const((JsonNode?)null),
            Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b)),
            Gen.Int.Select(i => (JsonNode?)JsonValue.Create(i)),
            Gen.Long.Select(l => (JsonNode?)JsonValue.Create(l)),
            Gen.Double[-1e300, 1e300].Select(d => (JsonNode?)JsonValue.Create(d)),
            Gen.Int[-100, 2000].Select(i => (JsonNode?)JsonValue.Create(i)),
            Gen.OneOf(Tricky).Select(s => (JsonNode?)JsonValue.Create(s)),
            Gen.String[0, 20].Select(s => (JsonNode?)JsonValue.Create(s)));
        var obj = Gen.Select(keys.Array[0, 10], scalar.Array[10]).Select(pair =>
        {
            var (k, v) = pair;
            var o = new JsonObject();
            for (var i = 0; i < k.Length; i++)
            {
                o[k[i]] = v[i]?.DeepClone();
            }
            return o;
        });
        var array = obj.Array[0, 6].Select(items => new JsonArray([.. items]));
        var nested = Gen.Select(obj, keys, Gen.OneOf<JsonNode?>(array.Select(a => (JsonNode?)a), obj.Select(o => (JsonNode?)o)))
            .Select(t =>
            {
                var (outer, key, inner) = t;
                outer[key] = inner;
                return (JsonNode)outer;
            });
        var document = Gen.OneOf(array.Select(a => (JsonNode)a), obj.Select(o => (JsonNode)o), nested);
        return Gen.Select(document, Gen.Int[0, 9], Gen.Double[0, 1]).Select(t =>
        {
            var (node, cut, where) = t;
            var text = node.ToJsonString();
            return cut == 0 ? text[..(int)(text.Length * where)] : text; // one in ten is cut off
        });
    }
}
