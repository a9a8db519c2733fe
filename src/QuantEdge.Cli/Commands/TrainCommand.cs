using System.CommandLine;
using QuantEdge.Cli.Output;
using QuantEdge.Compiler;
using QuantEdge.Compiler.Data;
using QuantEdge.Compiler.Training;
using QuantEdge.Runtime;

namespace QuantEdge.Cli.Commands;

/// <summary><c>quantedge train</c>: a deterministic MLP from a CSV file, written as ONNX.</summary>
public static class TrainCommand
{
    public static Command Create(CliContext context)
    {
        var data = CommonOptions.RequiredFile("--data", "Training CSV: a header row, numeric feature columns and an integer label column whose labels are 0, 1, 2, ... with rows for every class (a regression: numeric target columns instead).", "DATA.csv");
        var label = CommonOptions.Label();
        var task = CommonOptions.Choice("--task", "What to train: classification (class labels, logits out) or regression (numeric targets named by --label, comma-separated, values out).",
            "classification", "regression");
        var hidden = new Option<string>("--hidden")
        {
            Description = "Sizes of the hidden ReLU layers, comma-separated, each 1 to 65535, the whole MLP within 8 MB of int8 weights (the largest board's RAM); 'none' trains logistic regression.",
            HelpName = "SIZES",
            DefaultValueFactory = _ => "32,16",
        };
        var epochs = CommonOptions.Integer("--epochs", "Passes over the training rows.", 200);
        var qat = new Option<int?>("--qat")
        {
            Description = "Train the last EPOCHS epochs quantization-aware: inputs, weights and activations pass through the int8 grids " +
                "`quantize` will give them, so the model learns weights whose rounding costs it nothing. Without a number, a quarter of --epochs.",
            HelpName = "EPOCHS",
            Arity = ArgumentArity.ZeroOrOne,
            CustomParser = result => result.Tokens.Count == 0 ? QuarterOfTheEpochs : CommonOptions.ParseInteger(result, "--qat"),
        };
        var seed = CommonOptions.Integer("--seed", "Seed of the weight initialisation and row order; the same seed gives the same file.", 1);
        var output = CommonOptions.RequiredFile("--out", "Where to write the ONNX model (- for standard output; the summary then goes to stderr).", "MODEL.onnx");
        var test = new Option<string?>("--test") { Description = "Optional held-out CSV to measure the trained model on: its accuracy, or a regression's mean absolute error (the same features; labels among the training classes, or the same target columns).", HelpName = "TEST.csv" };

        var command = new Command("train",
            "Train a small MLP classifier (no Python needed) and write it as ONNX. Inputs are standardized with the " +
            "training data's mean and deviation, and that scaler is folded into the first layer, so the model takes RAW " +
            "feature values. Hidden layers are ReLU, the output is logits; mini-batch Adam on softmax cross-entropy, He " +
            "initialisation, fixed seed, one thread: the same command writes the same bytes. Prints the float accuracy " +
            "of the written model. With --task regression the --label columns are numeric targets: they are standardized " +
            "too, the loss is the squared error, and the model gives values in the targets' own units; it prints the mean " +
            "absolute error instead.\n\n" +
            "Example:\n  quantedge train --data data/segment_train.csv --hidden 32,16 --epochs 200 --seed 1 --out segment.onnx\n" +
            "  quantedge train --data data/segment_train.csv --qat --out segment-qat.onnx   # the last 50 of 200 epochs quantization-aware\n" +
            "  quantedge train --task regression --data data/iris_petal_train.csv --label petal_width --hidden 8 --out petal-width.onnx")
        {
            data, label, task, hidden, epochs, qat, seed, output, test,
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

            int qatEpochs = parse.GetValue(qat) switch
            {
                null => 0,
                QuarterOfTheEpochs => Math.Max(1, epochCount / 4),
                int count => count,
            };
            if (qatEpochs < 0 || (qatEpochs > 0 && qatEpochs >= epochCount))
            {
                throw new CliException($"--qat {qatEpochs}: must be 1 to {epochCount - 1}, fewer than --epochs {epochCount} (a float epoch first measures the ranges the int8 grids span)");
            }

            bool regression = CommonOptions.ParseChoice<ModelTask>(parse.GetValue(task)!) == ModelTask.Regression;
            string[] targets = regression ? InputFiles.TargetColumns(parse.GetValue(label)!) : [];
            Dataset Load(string path) => regression ? InputFiles.LoadTargets(path, targets) : InputFiles.LoadCsv(path, parse.GetValue(label)!);
            Dataset rows = Load(dataPath);
            rows.RequireEveryClass();
            int outputCount = regression ? targets.Length : rows.ClassCount;
            HostLimits.CheckTraining($"--hidden {parse.GetValue(hidden)}", [rows.FeatureNames.Length, .. hiddenLayers, outputCount], rows.Count);
            Dataset? testRows = testPath is not null ? Load(testPath) : null;
            testRows?.RequireFeatureCount(rows.FeatureNames.Length, $"a model trained on {rows.Source}");
            testRows?.RequireLabelsBelow(rows.ClassCount, $"a model trained on {rows.Source}");
            var options = new MlpTrainingOptions
            {
                HiddenLayers = hiddenLayers, Epochs = epochCount, QatEpochs = qatEpochs, Seed = (ulong)parse.GetValue(seed), Task = regression ? ModelTask.Regression : ModelTask.Classification,
            };
            TrainedMlp model = ProgressDisplay.Run(context, "training", progress => MlpTrainer.Train(rows, options, progress));
            byte[] onnx = model.ToOnnx();
            onnxFile.Set(onnx);
            outputs.Commit();

            TextWriter o = outputs.Messages;
            string shape = string.Join(" -> ", model.Layers.Select(l => l.Inputs).Append(model.OutputCount));
            o.WriteLine($"trained {(regression ? "regression " : "")}MLP {shape} (hidden {TrainedMlp.HiddenText(options.HiddenLayers)}, {options.Epochs} epochs{(options.QatEpochs > 0 ? $", the last {options.QatEpochs} quantization-aware" : "")}, seed {options.Seed}), final loss {model.FinalLoss:0.0000}");
            foreach (Dataset set in testRows is null ? [rows] : new[] { rows, testRows })
            {
                o.WriteLine(regression
                    ? $"float mean absolute error: {string.Join(", ", model.MeanAbsoluteError(set).Select((e, i) => $"{targets[i]} {e.ToString("G4", System.Globalization.CultureInfo.InvariantCulture)}"))} on {set.Source} ({set.Count} rows)"
                    : $"float accuracy: {CommonOptions.Percent(model.Accuracy(set))} on {set.Source} ({set.Count} rows)");
            }

            o.WriteLine($"wrote {onnxFile.Shown} ({CommonOptions.Bytes(onnx.Length)} bytes)");
        }));
        return command;
    }

    /// <summary>What <c>--qat</c> without a number parses to.</summary>
    private const int QuarterOfTheEpochs = -1;

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
