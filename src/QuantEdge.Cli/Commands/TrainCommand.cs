using System.CommandLine;
using QuantEdge.Cli.Output;
using QuantEdge.Compiler;
using QuantEdge.Compiler.Data;
using QuantEdge.Compiler.Training;

namespace QuantEdge.Cli.Commands;

/// <summary><c>quantedge train</c>: a deterministic MLP from a CSV file, written as ONNX.</summary>
public static class TrainCommand
{
    public static Command Create(CliContext context)
    {
        var data = CommonOptions.RequiredFile("--data", "Training CSV: a header row, numeric feature columns and an integer label column whose labels are 0, 1, 2, ... with rows for every class.", "DATA.csv");
        var label = CommonOptions.Label();
        var hidden = new Option<string>("--hidden")
        {
            Description = "Sizes of the hidden ReLU layers, comma-separated, each 1 to 65535, the whole MLP within 8 MB of int8 weights (the largest board's RAM); 'none' trains logistic regression.",
            HelpName = "SIZES",
            DefaultValueFactory = _ => "32,16",
        };
        var epochs = CommonOptions.Integer("--epochs", "Passes over the training rows.", 200);
        var seed = CommonOptions.Integer("--seed", "Seed of the weight initialisation and row order; the same seed gives the same file.", 1);
        var output = CommonOptions.RequiredFile("--out", "Where to write the ONNX model (- for standard output; the summary then goes to stderr).", "MODEL.onnx");
        var test = new Option<string?>("--test") { Description = "Optional held-out CSV to report the trained model's accuracy on (the same features; labels among the training classes).", HelpName = "TEST.csv" };

        var command = new Command("train",
            "Train a small MLP classifier (no Python needed) and write it as ONNX. Inputs are standardized with the " +
            "training data's mean and deviation, and that scaler is folded into the first layer, so the model takes RAW " +
            "feature values. Hidden layers are ReLU, the output is logits; mini-batch Adam on softmax cross-entropy, He " +
            "initialisation, fixed seed, one thread: the same command writes the same bytes. Prints the float accuracy " +
            "of the written model.\n\n" +
            "Example:\n  quantedge train --data data/segment_train.csv --hidden 32,16 --epochs 200 --seed 1 --out segment.onnx")
        {
            data, label, hidden, epochs, seed, output, test,
        };
        command.SetAction(parse => context.Execute(() =>
        {
            string dataPath = parse.GetValue(data)!;
            string? testPath = parse.GetValue(test);
            var outputs = new OutputPlan(context);
            PlannedOutput onnxFile = outputs.File(parse.GetValue(output), "--out", stream: true);
            outputs.Input(dataPath, testPath);
            int[] hiddenLayers = ParseHidden(parse.GetValue(hidden)!);
            int epochCount = parse.GetValue(epochs);
            if (epochCount < 1)
            {
                throw new CliException($"--epochs {epochCount}: must be at least 1");
            }

            Dataset rows = InputFiles.LoadCsv(dataPath, parse.GetValue(label)!);
            rows.RequireEveryClass();
            HostLimits.CheckTraining($"--hidden {parse.GetValue(hidden)}", [rows.FeatureNames.Length, .. hiddenLayers, rows.ClassCount], rows.Count);
            Dataset? testRows = testPath is not null ? InputFiles.LoadCsv(testPath, parse.GetValue(label)!) : null;
            testRows?.RequireFeatureCount(rows.FeatureNames.Length, $"a model trained on {rows.Source}");
            testRows?.RequireLabelsBelow(rows.ClassCount, $"a model trained on {rows.Source}");
            var options = new MlpTrainingOptions { HiddenLayers = hiddenLayers, Epochs = epochCount, Seed = (ulong)parse.GetValue(seed) };
            TrainedMlp model = ProgressDisplay.Run(context, "training", progress => MlpTrainer.Train(rows, options, progress));
            byte[] onnx = model.ToOnnx();
            onnxFile.Set(onnx);
            outputs.Commit();

            TextWriter o = outputs.Messages;
            string shape = string.Join(" -> ", model.Layers.Select(l => l.Inputs).Append(model.ClassCount));
            o.WriteLine($"trained MLP {shape} (hidden {TrainedMlp.HiddenText(options.HiddenLayers)}, {options.Epochs} epochs, seed {options.Seed}), final loss {model.FinalLoss:0.0000}");
            o.WriteLine($"float accuracy: {CommonOptions.Percent(model.Accuracy(rows))} on {rows.Source} ({rows.Count} rows)");
            if (testRows != null)
            {
                o.WriteLine($"float accuracy: {CommonOptions.Percent(model.Accuracy(testRows))} on {testRows.Source} ({testRows.Count} rows)");
            }

            o.WriteLine($"wrote {onnxFile.Shown} ({CommonOptions.Bytes(onnx.Length)} bytes)");
        }));
        return command;
    }

    /// <summary>"32,16" → [32, 16]; "none" → []. Sizes are 1 to <see cref="HostLimits.MaxLayerWidth"/>.</summary>
    public static int[] ParseHidden(string text)
    {
        if (text.Trim().Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return [];
        }

        var sizes = new List<int>();
        foreach (string part in text.Split(','))
        {
            if (!long.TryParse(part.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long size))
            {
                throw new CliException($"--hidden '{text}': give layer sizes separated by commas (e.g. 32,16), or 'none' for logistic regression");
            }

            if (size < 1)
            {
                throw new CliException($"--hidden '{text}': a layer needs at least 1 unit (give 'none' for no hidden layer: logistic regression)");
            }

            if (size > HostLimits.MaxLayerWidth)
            {
                throw new CliException($"--hidden '{text}': a layer of {HostLimits.Count(size)} units; a device layer has at most {HostLimits.Count(HostLimits.MaxLayerWidth)}");
            }

            sizes.Add((int)size);
        }

        return sizes.ToArray();
    }
}
