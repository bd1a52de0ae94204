using System.Globalization;
using System.Text;
using EnergyHub.Core.Journal;

namespace EnergyHub.Web;

/// <summary>One or two series as an SVG line chart with a y-axis each (left for the first, right for the second).</summary>
public static class SvgChart
{
    private const int Width = 960, Height = 420, Left = 70, Right = 70, Top = 30, Bottom = 40;
    private static readonly string[] Colours = ["#1a73e8", "#e8710a"];

    /// <summary>Renders the series between <paramref name="from"/> and <paramref name="to"/>; each point is a bucket average.</summary>
    public static string Render(IReadOnlyList<(string Name, string Unit, IReadOnlyList<HistoryPoint> Points)> series, DateTimeOffset from, DateTimeOffset to)
    {
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"sans-serif\" font-size=\"12\">");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{Width}\" height=\"{Height}\" fill=\"#fff\"/>");
        var plotW = Width - Left - Right;
        var plotH = Height - Top - Bottom;
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Left}\" y=\"{Top}\" width=\"{plotW}\" height=\"{plotH}\" fill=\"none\" stroke=\"#ccc\"/>");
        var span = Math.Max(1, (to - from).TotalSeconds);
        for (var s = 0; s < series.Count; s++)
        {
            var (name, unit, points) = series[s];
            if (points.Count == 0)
            {
                continue;
            }
            var (min, max) = (points.Min(p => p.Avg), points.Max(p => p.Avg));
            if (max - min < 1e-9)
            {
                (min, max) = (min - 1, max + 1);
            }
            double X(HistoryPoint p) => Left + (p.Start - from).TotalSeconds / span * plotW;
            double Y(double v) => Top + plotH - (v - min) / (max - min) * plotH;
            var path = string.Join(" ", points.Select((p, i) => string.Create(CultureInfo.InvariantCulture, $"{(i == 0 ? 'M' : 'L')}{X(p):0.#},{Y(p.Avg):0.#}")));
            svg.Append(CultureInfo.InvariantCulture, $"<path d=\"{path}\" fill=\"none\" stroke=\"{Colours[s]}\" stroke-width=\"1.5\"><title>{Escape(name)}</title></path>");
            var axisX = s == 0 ? Left - 6 : Width - Right + 6;
            var anchor = s == 0 ? "end" : "start";
            for (var tick = 0; tick <= 4; tick++)
            {
                var value = min + (max - min) * tick / 4;
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{axisX}\" y=\"{Y(value) + 4:0.#}\" text-anchor=\"{anchor}\" fill=\"{Colours[s]}\">{value:0.##}</text>");
            }
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{(s == 0 ? Left : Width - Right)}\" y=\"{Top - 10}\" text-anchor=\"{(s == 0 ? "start" : "end")}\" fill=\"{Colours[s]}\">{Escape(name)} ({Escape(unit)})</text>");
        }
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"{Height - 12}\">{from:yyyy-MM-dd HH:mm} UTC</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width - Right}\" y=\"{Height - 12}\" text-anchor=\"end\">{to:yyyy-MM-dd HH:mm} UTC</text>");
        svg.Append("</svg>");
        return svg.ToString();
    }

    private static string Escape(string text) => System.Security.SecurityElement.Escape(text) ?? "";
}
