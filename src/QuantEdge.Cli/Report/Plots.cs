using QuantEdge.Compiler.Evaluation;
using ScottPlot;

namespace QuantEdge.Cli.Report;

/// <summary>The report's charts, drawn with ScottPlot (SkiaSharp) as PNG bytes.</summary>
public static class Plots
{
    /// <summary>Shown for a tensor the int8 model reproduces exactly (infinite SQNR) so its bar stays on the chart.</summary>
    public const double ExactSqnrDb = 100;

    public static byte[] LayerSqnr(IReadOnlyList<LayerError> layers)
    {
        var plot = NewPlot();
        double[] values = layers.Select(l => double.IsPositiveInfinity(l.SqnrDb) ? ExactSqnrDb : l.SqnrDb).ToArray();
        var bars = plot.Add.Bars(values);
        for (int i = 0; i < bars.Bars.Count; i++)
        {
            bars.Bars[i].FillColor = SqnrColor(values[i]);
            bars.Bars[i].Label = double.IsPositiveInfinity(layers[i].SqnrDb) ? "exact" : values[i].ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
        }

        bars.ValueLabelStyle.FontSize = 11;
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, layers.Count).Select(i => (double)i).ToArray(),
            layers.Select(l => Shorten(l.Value)).ToArray());
        plot.Axes.Bottom.TickLabelStyle.Rotation = layers.Count > 6 ? -35 : 0;
        plot.Axes.Bottom.TickLabelStyle.Alignment = layers.Count > 6 ? Alignment.UpperRight : Alignment.UpperCenter;
        plot.Axes.Bottom.MinimumSize = layers.Count > 6 ? 110 : 0;
        plot.Axes.Margins(bottom: 0);
        plot.Axes.SetLimitsY(0, Math.Max(50, values.DefaultIfEmpty(0).Max() * 1.12));
        plot.YLabel("SQNR (dB), higher is better");
        plot.Title("Per-tensor error of the int8 model vs float");
        return plot.GetImageBytes(Math.Max(640, 70 * layers.Count), 380, ImageFormat.Png);
    }

    /// <summary>Rows (top to bottom): the float model's class; columns: the int8 model's; each cell counts rows.</summary>
    public static byte[] Confusion(int[][] confusion, Func<int, string> className)
    {
        int n = confusion.Length;
        var plot = NewPlot();
        // Log scale so that a few disagreements stand out beside large diagonal counts.
        double top = Math.Log10(1 + Math.Max(1, confusion.Max(r => r.Max())));
        Color light = Color.FromHex("#deebf7"), dark = Color.FromHex("#08519c");
        for (int r = 0; r < n; r++)
        {
            for (int c = 0; c < n; c++)
            {
                int count = confusion[r][c];
                double level = Math.Log10(1 + count) / top;
                var cell = plot.Add.Rectangle(c - 0.5, c + 0.5, -r - 0.5, -r + 0.5);
                cell.FillColor = count == 0 ? Colors.White : r == c ? light.MixedWith(dark, (float)level) : Color.FromHex("#e53935").WithAlpha(0.25 + 0.6 * level);
                cell.LineColor = Color.FromHex("#d0d7de");
                var text = plot.Add.Text(count.ToString(System.Globalization.CultureInfo.InvariantCulture), c, -r);
                text.LabelAlignment = Alignment.MiddleCenter;
                text.LabelFontSize = 14;
                text.LabelBold = count > 0;
                text.LabelFontColor = r == c && level > 0.6 ? Colors.White : count == 0 ? Colors.Gray : Colors.Black;
            }
        }

        string[] names = Enumerable.Range(0, n).Select(className).ToArray();
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, n).Select(i => (double)i).ToArray(), names);
        plot.Axes.Left.SetTicks(Enumerable.Range(0, n).Select(i => (double)-i).ToArray(), names);
        plot.Axes.Bottom.TickLabelStyle.Rotation = n > 4 ? -35 : 0;
        plot.Axes.Bottom.TickLabelStyle.Alignment = n > 4 ? Alignment.UpperRight : Alignment.UpperCenter;
        plot.Axes.Bottom.MinimumSize = n > 4 ? 100 : 0;
        plot.Axes.SetLimits(-0.5, n - 0.5, -n + 0.5, 0.5);
        plot.Grid.IsVisible = false;
        plot.XLabel("int8 model's class");
        plot.YLabel("float model's class");
        plot.Title("Float vs int8 predictions");
        int size = Math.Max(420, 60 * n + 200);
        return plot.GetImageBytes(size, size, ImageFormat.Png);
    }

    private static readonly Color Int8Color = Color.FromHex("#1f77b4"), FloatColor = Color.FromHex("#ff7f0e");

    /// <summary>Each row's predicted value against its true value, int8 and float, over the line where they are equal.</summary>
    public static byte[] PredictedVsTrue((double Truth, double Int8, double Float)[] points, string name)
    {
        var plot = NewPlot();
        double low = points.Min(p => Math.Min(p.Truth, Math.Min(p.Int8, p.Float))), high = points.Max(p => Math.Max(p.Truth, Math.Max(p.Int8, p.Float)));
        var diagonal = plot.Add.Line(low, low, high, high);
        diagonal.Color = Colors.Gray;
        diagonal.LinePattern = LinePattern.Dashed;
        diagonal.LegendText = "predicted = true";
        AddMarkers(plot, points.Select(p => p.Truth).ToArray(), points.Select(p => p.Float).ToArray(), FloatColor, "float (ONNX)", MarkerShape.OpenCircle);
        AddMarkers(plot, points.Select(p => p.Truth).ToArray(), points.Select(p => p.Int8).ToArray(), Int8Color, "int8 (QuantEdge)", MarkerShape.FilledCircle);
        plot.XLabel($"true {name}");
        plot.YLabel($"predicted {name}");
        plot.Title($"Predicted vs true {name}");
        plot.ShowLegend(Alignment.UpperLeft);
        return plot.GetImageBytes(560, 480, ImageFormat.Png);
    }

    /// <summary>How the errors (predicted − true) are spread, int8 beside float, in 30 bins over their joint range.</summary>
    public static byte[] ErrorHistogram((double Truth, double Int8, double Float)[] points, string name)
    {
        var plot = NewPlot();
        double[] int8 = points.Select(p => p.Int8 - p.Truth).ToArray(), floats = points.Select(p => p.Float - p.Truth).ToArray();
        AddHistogram(plot, [int8, floats], [Int8Color, FloatColor], ["int8 (QuantEdge)", "float (ONNX)"]);
        plot.XLabel($"error of {name} (predicted − true)");
        plot.YLabel("rows");
        plot.Title($"Error of {name}");
        plot.ShowLegend(Alignment.UpperRight);
        return plot.GetImageBytes(560, 360, ImageFormat.Png);
    }

    /// <summary>The ROC curves of the int8 and float scores, with the chosen threshold's point on the int8 curve.</summary>
    public static byte[] Roc(AnomalyEvaluation a)
    {
        var plot = NewPlot();
        int[] labels = a.Points.Select(p => p.Label).ToArray();
        var chance = plot.Add.Line(0, 0, 1, 1);
        chance.Color = Colors.Gray;
        chance.LinePattern = LinePattern.Dashed;
        foreach ((Func<(int Label, double Int8, double Float), double> score, Color color, string label) in
            new (Func<(int Label, double Int8, double Float), double>, Color, string)[] { (p => p.Float, FloatColor, "float (ONNX)"), (p => p.Int8, Int8Color, "int8 (QuantEdge)") })
        {
            var curve = AnomalyMetrics.RocCurve(a.Points.Select(score).ToArray(), labels);
            var line = plot.Add.Scatter(curve.Select(c => c.FalsePositiveRate).ToArray(), curve.Select(c => c.TruePositiveRate).ToArray());
            line.Color = color;
            line.MarkerSize = 0;
            line.LineWidth = 2;
            line.LegendText = label;
        }

        var chosen = plot.Add.Marker(a.Int8.FalsePositiveRate, a.Int8.TruePositiveRate, MarkerShape.FilledSquare, 9, Colors.Black);
        chosen.LegendText = "int8 threshold";
        plot.Axes.SetLimits(0, 1, 0, 1.02);
        plot.XLabel("normal rows flagged (false-positive rate)");
        plot.YLabel("anomalies flagged (true-positive rate)");
        plot.Title("ROC of the anomaly score");
        plot.ShowLegend(Alignment.LowerRight);
        return plot.GetImageBytes(520, 480, ImageFormat.Png);
    }

    /// <summary>The int8 scores of normal rows and of anomalies, with the chosen threshold.</summary>
    public static byte[] ScoreHistogram(AnomalyEvaluation a)
    {
        var plot = NewPlot();
        AddHistogram(plot, [a.Points.Where(p => p.Label == 0).Select(p => p.Int8).ToArray(), a.Points.Where(p => p.Label == 1).Select(p => p.Int8).ToArray()],
            [Color.FromHex("#2ca02c"), Color.FromHex("#d62728")], ["normal rows", "anomalies"]);
        var threshold = plot.Add.VerticalLine(a.Int8.Threshold, 2, Colors.Black, LinePattern.Dashed);
        threshold.LegendText = "threshold";
        plot.XLabel("int8 score");
        plot.YLabel("rows");
        plot.Title("int8 scores by label");
        plot.ShowLegend(Alignment.UpperRight);
        return plot.GetImageBytes(560, 360, ImageFormat.Png);
    }

    private static void AddMarkers(Plot plot, double[] xs, double[] ys, Color color, string label, MarkerShape shape)
    {
        var markers = plot.Add.Markers(xs, ys, shape, 6, color);
        markers.LegendText = label;
    }

    /// <summary>Overlaid histograms of several series over 30 shared bins, each a semi-transparent bar series.</summary>
    private static void AddHistogram(Plot plot, double[][] series, Color[] colors, string[] labels)
    {
        const int Bins = 30;
        double low = series.SelectMany(x => x).Min(), high = series.SelectMany(x => x).Max();
        double width = high > low ? (high - low) / Bins : 1;
        for (int s = 0; s < series.Length; s++)
        {
            var counts = new double[Bins];
            foreach (double x in series[s])
            {
                counts[Math.Min(Bins - 1, (int)((x - low) / width))]++;
            }

            var bars = plot.Add.Bars(Enumerable.Range(0, Bins).Select(b => low + (b + 0.5) * width).ToArray(), counts);
            bars.Color = colors[s].WithAlpha(0.55);
            bars.LegendText = labels[s];
            foreach (var bar in bars.Bars)
            {
                bar.Size = width;
                bar.LineWidth = 0;
            }
        }

        plot.Axes.Margins(bottom: 0);
    }

    /// <summary>
    /// The simulated node's class LEDs over time, one lane per class (high = lit), over light bands that
    /// mark the true class of the flower the sensors read in each window.
    /// </summary>
    public static byte[] NodeTimeline(Commands.DemoNodeResult node)
    {
        var plot = NewPlot();
        Color[] colors = [Color.FromHex("#1f77b4"), Color.FromHex("#2ca02c"), Color.FromHex("#d62728"), Color.FromHex("#9467bd")];
        double window = Commands.DemoNode.SecondsPerFlower, end = node.Simulation.EndMs / 1000.0;
        for (int row = 0; row < node.Flowers; row++)
        {
            int lane = node.TrueClasses[row];
            var band = plot.Add.Rectangle(row * window, (row + 1) * window, lane - 0.1, lane + 0.9);
            band.FillColor = colors[lane % colors.Length].WithAlpha(0.15);
            band.LineWidth = 0;
        }

        for (int lane = 0; lane < node.OutputGpios.Length; lane++)
        {
            var xs = new List<double> { 0 };
            var ys = new List<double> { lane };
            foreach (var e in node.Simulation.Events.Where(e => e.Kind == Simulator.EventKind.Pin && e.Pin == node.OutputGpios[lane]))
            {
                xs.Add(e.TimeMs / 1000.0);
                ys.Add(lane + (e.Value == 1 ? 0.8 : 0));
            }

            xs.Add(end);
            ys.Add(ys[^1]);
            var line = plot.Add.Scatter(xs.ToArray(), ys.ToArray());
            line.ConnectStyle = ConnectStyle.StepHorizontal;
            line.MarkerSize = 0;
            line.LineWidth = 2;
            line.Color = colors[lane % colors.Length];
        }

        plot.Axes.Left.SetTicks(Enumerable.Range(0, node.OutputGpios.Length).Select(i => i + 0.4).ToArray(),
            Enumerable.Range(0, node.OutputGpios.Length).Select(i => $"{node.Classes[i]} (GPIO{node.OutputGpios[i]})").ToArray());
        plot.Axes.SetLimits(0, end, -0.3, node.OutputGpios.Length);
        plot.XLabel("time (s)");
        plot.Title("Class LEDs of the simulated node (bands: the true class of the flower being measured)");
        return plot.GetImageBytes(1000, 320, ImageFormat.Png);
    }

    /// <summary>
    /// DejaVu Sans where installed (Debian's default fonts); ScottPlot's own detection falls back to a
    /// serif face when it finds none of the fonts it looks for.
    /// </summary>
    private static readonly string SansFont = SkiaSharp.SKFontManager.Default.GetFontFamilies().Contains("DejaVu Sans") ? "DejaVu Sans" : Fonts.Default;

    private static Plot NewPlot()
    {
        var plot = new Plot();
        plot.Font.Set(SansFont);
        plot.Grid.XAxisStyle.IsVisible = false;
        return plot;
    }

    private static Color SqnrColor(double db) => db switch
    {
        >= 30 => Color.FromHex("#2e7d32"),
        >= 20 => Color.FromHex("#f9a825"),
        _ => Color.FromHex("#c62828"),
    };

    private static string Shorten(string name) => name.Length <= 18 ? name : name[..8] + "…" + name[^8..];
}
