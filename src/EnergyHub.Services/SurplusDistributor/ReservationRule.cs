using System.Globalization;

namespace EnergyHub.Services.SurplusDistributor;

/// <summary>
/// How much charge power the home battery keeps for itself, by its state of charge, in W: either an expression in
/// es-ESS's syntax (<c>(5750/(min(SOC,99)-100)+5750)+250</c>: numbers, <c>SOC</c>, + − * / (× ÷), parentheses, min and
/// max, evaluated by a parser of its own, never by eval or reflection) or a point table (<c>0:3000, 80:1500, 95:250,
/// 100:0</c>, SOC % : W, straight lines between the points, flat beyond the ends).
/// </summary>
public sealed class ReservationRule
{
    private readonly Func<double, double> _atSoc;

    private ReservationRule(string text, Func<double, double> atSoc) => (Text, _atSoc) = (text, atSoc);

    /// <summary>The rule as written.</summary>
    public string Text { get; }

    /// <summary>Parses <paramref name="text"/>; a point table when it has <c>:</c>, else an expression.</summary>
    /// <exception cref="FormatException">Not a table or an expression; the message says where.</exception>
    public static ReservationRule Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new FormatException("empty: give an expression in SOC (e.g. 2000 - SOC*20) or a table SOC:W, e.g. 0:3000, 80:1500, 100:0");
        }
        if (text.Contains(':', StringComparison.Ordinal))
        {
            return new ReservationRule(text, Table(text));
        }
        var expression = new ExpressionParser(text).Parse();
        return new ReservationRule(text, expression);
    }

    /// <summary>
    /// The reservation at <paramref name="socPct"/>: never below 0, never above <paramref name="acceptW"/> (what the
    /// battery can take now, its taper included). A result that is not a number (a division by zero) reserves all the
    /// battery can take: in doubt the battery is served first.
    /// </summary>
    public double At(double socPct, double acceptW)
    {
        var w = _atSoc(socPct);
        return double.IsFinite(w) ? Math.Clamp(w, 0, Math.Max(0, acceptW)) : Math.Max(0, acceptW);
    }

    private static Func<double, double> Table(string text)
    {
        var points = new List<(double Soc, double W)>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var pair = part.Split(':', StringSplitOptions.TrimEntries);
            if (pair.Length != 2
                || !double.TryParse(pair[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var soc)
                || !double.TryParse(pair[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var w))
            {
                throw new FormatException($"'{part}' is not SOC:W (e.g. 80:1500)");
            }
            if (soc is < 0 or > 100)
            {
                throw new FormatException($"'{part}': the SOC must be 0 to 100 %");
            }
            if (points.Count > 0 && soc <= points[^1].Soc)
            {
                throw new FormatException($"'{part}': the SOC points must rise from left to right");
            }
            points.Add((soc, w));
        }
        return soc =>
        {
            if (soc <= points[0].Soc)
            {
                return points[0].W;
            }
            for (var i = 1; i < points.Count; i++)
            {
                if (soc <= points[i].Soc)
                {
                    var (a, b) = (points[i - 1], points[i]);
                    return a.W + (b.W - a.W) * (soc - a.Soc) / (b.Soc - a.Soc);
                }
            }
            return points[^1].W;
        };
    }

    // expression = term (('+' | '-') term)*; term = factor (('*' | '/') factor)*;
    // factor = ('+' | '-') factor | number | SOC | (min | max) '(' expression ',' expression ')' | '(' expression ')'
    private sealed class ExpressionParser(string text)
    {
        private int _at;

        public Func<double, double> Parse()
        {
            var expression = Expression();
            Skip();
            if (_at < text.Length)
            {
                throw Error($"unexpected '{text[_at]}'");
            }
            return expression;
        }

        private Func<double, double> Expression()
        {
            var left = Term();
            while (Next('+', '-') is { } op)
            {
                var (l, r) = (left, Term());
                left = op == '+' ? soc => l(soc) + r(soc) : soc => l(soc) - r(soc);
            }
            return left;
        }

        private Func<double, double> Term()
        {
            var left = Factor();
            while (Next('*', '/', '×', '÷') is { } op)
            {
                var (l, r) = (left, Factor());
                left = op is '*' or '×' ? soc => l(soc) * r(soc) : soc => l(soc) / r(soc);
            }
            return left;
        }

        private Func<double, double> Factor()
        {
            Skip();
            if (Next('-') is not null)
            {
                var inner = Factor();
                return soc => -inner(soc);
            }
            if (Next('+') is not null)
            {
                return Factor();
            }
            if (Next('(') is not null)
            {
                var inner = Expression();
                Expect(')');
                return inner;
            }
            var start = _at;
            if (_at < text.Length && (char.IsDigit(text[_at]) || text[_at] == '.'))
            {
                while (_at < text.Length && (char.IsDigit(text[_at]) || text[_at] == '.'))
                {
                    _at++;
                }
                if (!double.TryParse(text.AsSpan(start, _at - start), NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                {
                    throw Error($"'{text[start.._at]}' is not a number", start);
                }
                return _ => number;
            }
            while (_at < text.Length && char.IsLetter(text[_at]))
            {
                _at++;
            }
            var name = text[start.._at];
            switch (name.ToUpperInvariant())
            {
                case "SOC":
                    return soc => soc;
                case "MIN" or "MAX":
                    Expect('(');
                    var a = Expression();
                    Expect(',');
                    var b = Expression();
                    Expect(')');
                    return name.Equals("min", StringComparison.OrdinalIgnoreCase) ? soc => Math.Min(a(soc), b(soc)) : soc => Math.Max(a(soc), b(soc));
                case "":
                    throw _at < text.Length ? Error($"unexpected '{text[_at]}'") : new FormatException($"'{text}' ends too early");
                default:
                    throw Error($"'{name}' is not known (only SOC, min and max)", start);
            }
        }

        private char? Next(params char[] options)
        {
            Skip();
            if (_at < text.Length && options.Contains(text[_at]))
            {
                return text[_at++];
            }
            return null;
        }

        private void Expect(char c)
        {
            if (Next(c) is null)
            {
                throw _at < text.Length ? Error($"'{c}' expected, found '{text[_at]}'") : new FormatException($"'{c}' is missing at the end of '{text}'");
            }
        }

        private void Skip()
        {
            while (_at < text.Length && char.IsWhiteSpace(text[_at]))
            {
                _at++;
            }
        }

        private FormatException Error(string problem, int? at = null) =>
            new($"{problem} at position {(at ?? _at) + 1} of '{text}'");
    }
}
