using QuantEdge.Compiler.Data;
using QuantEdge.Compiler.Evaluation;
using QuantEdge.Compiler.Quantization;
using QuantEdge.Runtime;

namespace QuantEdge.Compiler.Training;

/// <summary>
/// Trains a small MLP classifier or regression for users without a Python toolchain, deterministically: the same
/// data, options and seed give the same weights to the bit (SplitMix64 for every random choice, one
/// thread, a fixed order of floating-point operations).
/// </summary>
/// <remarks>
/// Inputs are standardized with the training rows' mean and standard deviation, and that scaler is
/// then folded into the first layer (W' = W / σ, b' = b − W·μ/σ) so the exported model takes raw
/// feature values: sensor features differ by orders of magnitude, and the quantizer gives every input
/// feature its own int8 scale to match. Hidden layers use ReLU and He-normal initialisation. A classifier's
/// last layer gives logits and the loss is softmax cross-entropy; a regression's targets are standardized
/// too, the loss is half the squared error, and the targets' scaler is folded into the last layer
/// (W' = σ·W, b' = σ·b + μ) so the model gives values in the targets' own units. Mini-batch Adam. Arithmetic
/// is in double; the exported weights are rounded to float32.
/// <para>
/// With <see cref="MlpTrainingOptions.QatEpochs"/>, the last epochs are quantization-aware: inputs, weights and
/// every layer's output pass through the int8 grids the quantizer will choose (<see cref="FakeQuantization"/>:
/// each feature over its training range, each weight row per channel, each activation over the range it took in
/// the previous epoch), at a tenth of the step size, so the network learns weights whose rounding costs it
/// little; the exported weights are the rounded ones.
/// </para>
/// </remarks>
public static class MlpTrainer
{
    private const double Beta1 = 0.9, Beta2 = 0.999, AdamEpsilon = 1e-8;

    /// <summary>
    /// Quantization-aware epochs fine-tune a trained network: at a tenth of the step size they improved the int8
    /// accuracy of the bundled datasets' models (5 seeds each) more than at the full one.
    /// </summary>
    private const double QatLearningRateFactor = 0.1;

    /// <summary>Features whose standard deviation is below this are only centred, not scaled.</summary>
    private const double ConstantFeatureStd = 1e-12;

    public static TrainedMlp Train(Dataset data, MlpTrainingOptions options, IProgress<ProgressReport>? progress = null)
    {
        options.Validate();
        bool regression = options.Task == ModelTask.Regression;
        string[] outputNames;
        double[][] targets;
        (double[] Mean, double[] Std) targetScaler;
        if (regression)
        {
            float[][] values = data.Targets ?? throw new InputFileException($"{data.Source}: a regression needs target columns");
            outputNames = data.TargetNames;
            targetScaler = Standardization(values, outputNames.Length);
            targets = values.Select(row => row.Select((v, i) => (v - targetScaler.Mean[i]) / targetScaler.Std[i]).ToArray()).ToArray();
        }
        else
        {
            int[] labels = data.Labels ?? throw new InputFileException($"{data.Source}: training needs a label column");
            data.RequireEveryClass();
            if (data.ClassCount < 2)
            {
                throw new InputFileException($"{data.Source}: training needs at least two classes (the largest label is {data.ClassCount - 1})");
            }

            outputNames = [];
            targetScaler = ([], []);
            targets = labels.Select(l => new double[] { l }).ToArray();
        }

        int features = data.FeatureNames.Length;
        int outputs = regression ? outputNames.Length : data.ClassCount;
        HostLimits.CheckTraining("the MLP", [features, .. options.HiddenLayers, outputs], data.Count);
        (double[] mean, double[] std) = Standardization(data.Features, features);
        double[][] x = data.Features.Select(row => row.Select((v, i) => (v - mean[i]) / std[i]).ToArray()).ToArray();

        var random = new SplitMix64(options.Seed);
        int[] sizes = [features, .. options.HiddenLayers, outputs];
        Layer[] layers = Enumerable.Range(0, sizes.Length - 1).Select(l => new Layer(sizes[l], sizes[l + 1], random)).ToArray();
        var network = new Network(layers, regression);

        // Quantization-aware epochs: the inputs on their int8 grids once; the weights after every step.
        int firstQuantizedEpoch = options.Epochs - options.QatEpochs;
        double[] featureSteps = FakeQuantization.FeatureSteps(x, features);
        double[][] quantizedX = options.QatEpochs > 0 ? FakeQuantization.Features(x, featureSteps) : x;
        double[][] inputSteps = layers.Select((layer, l) => l == 0 ? featureSteps : Enumerable.Repeat(1.0, layer.Inputs).ToArray()).ToArray();
        void RoundWeights()
        {
            for (int l = 0; l < layers.Length; l++)
            {
                layers[l].RoundWeights(inputSteps[l]);
            }
        }

        int[] order = Enumerable.Range(0, data.Count).ToArray();
        long step = 0;
        double epochLoss = 0;
        for (int epoch = 0; epoch < options.Epochs; epoch++)
        {
            bool quantized = epoch >= firstQuantizedEpoch;
            network.StartEpoch(quantized);
            double[][] rows = quantized ? quantizedX : x;
            random.Shuffle(order);
            epochLoss = 0;
            for (int start = 0; start < order.Length; start += options.BatchSize)
            {
                int count = Math.Min(options.BatchSize, order.Length - start);
                foreach (Layer layer in layers)
                {
                    layer.ClearGradients();
                }

                if (quantized)
                {
                    RoundWeights();
                }

                for (int r = start; r < start + count; r++)
                {
                    epochLoss += network.Accumulate(rows[order[r]], targets[order[r]]);
                }

                step++;
                foreach (Layer layer in layers)
                {
                    layer.AdamStep(quantized ? options.LearningRate * QatLearningRateFactor : options.LearningRate, step, count);
                }
            }

            progress?.Report(new ProgressReport("train", epoch + 1, options.Epochs));
        }

        if (options.QatEpochs > 0)
        {
            RoundWeights(); // after the last step: these are the weights the model keeps
        }

        return new TrainedMlp(data.FeatureNames, outputs, Export(layers, mean, std, targetScaler), options, epochLoss / data.Count) { OutputNames = outputNames };
    }

    private static (double[] Mean, double[] Std) Standardization(float[][] rows, int features)
    {
        var mean = new double[features];
        var std = new double[features];
        for (int i = 0; i < features; i++)
        {
            double m = rows.Average(row => (double)row[i]);
            double variance = rows.Average(row => (row[i] - m) * (row[i] - m));
            mean[i] = m;
            std[i] = Math.Sqrt(variance) < ConstantFeatureStd ? 1 : Math.Sqrt(variance);
        }

        return (mean, std);
    }

    /// <summary>The layers as float32, the first with the inputs' scaler folded in, the last with a regression's targets' scaler.</summary>
    private static DenseLayer[] Export(Layer[] layers, double[] mean, double[] std, (double[] Mean, double[] Std) targets)
    {
        var result = new DenseLayer[layers.Length];
        for (int l = 0; l < layers.Length; l++)
        {
            Layer layer = layers[l];
            var weights = new float[layer.W.Length];
            var bias = new float[layer.Outputs];
            for (int o = 0; o < layer.Outputs; o++)
            {
                bool last = l == layers.Length - 1 && targets.Std.Length > 0;
                double outputScale = last ? targets.Std[o] : 1;
                double b = layer.B[o];
                for (int i = 0; i < layer.Inputs; i++)
                {
                    double w = layer.Active[o * layer.Inputs + i];
                    if (l == 0)
                    {
                        b -= w * mean[i] / std[i];
                        w /= std[i];
                    }

                    weights[o * layer.Inputs + i] = (float)(w * outputScale);
                }

                bias[o] = (float)(b * outputScale + (last ? targets.Mean[o] : 0));
            }

            result[l] = new DenseLayer(layer.Inputs, layer.Outputs, weights, bias);
        }

        return result;
    }

    /// <summary>
    /// Forward and backward passes over one row, adding its gradients to the layers'. Records the range of
    /// every layer's output in each epoch; in a quantized epoch each output goes onto the int8 grid of the range
    /// it took in the epoch before.
    /// </summary>
    private sealed class Network(Layer[] layers, bool regression)
    {
        private readonly double[][] activations = [new double[layers[0].Inputs], .. layers.Select(l => new double[l.Outputs])];
        private readonly double[][] deltas = layers.Select(l => new double[l.Outputs]).ToArray();
        private readonly bool[][] clipped = layers.Select(l => new bool[l.Outputs]).ToArray();
        private readonly double[] observedMin = new double[layers.Length], observedMax = new double[layers.Length];
        private QuantParams[]? grids;

        /// <summary>Starts an epoch: a quantized one on the grids of the ranges the previous epoch observed.</summary>
        public void StartEpoch(bool quantized)
        {
            grids = quantized ? layers.Select((_, l) => QuantParams.FromRange(observedMin[l], observedMax[l])).ToArray() : null;
            Array.Fill(observedMin, double.PositiveInfinity);
            Array.Fill(observedMax, double.NegativeInfinity);
        }

        private void ObserveAndRound(int l)
        {
            double[] output = activations[l + 1];
            for (int o = 0; o < output.Length; o++)
            {
                observedMin[l] = Math.Min(observedMin[l], output[o]);
                observedMax[l] = Math.Max(observedMax[l], output[o]);
                if (grids != null)
                {
                    (double min, double max) = grids[l].Range;
                    clipped[l][o] = output[o] < min || output[o] > max;
                    output[o] = FakeQuantization.Activation(output[o], grids[l]);
                }
            }
        }

        /// <summary>The straight-through estimator: no gradient flows back through a clipped output.</summary>
        private void MaskClipped(int l)
        {
            if (grids == null)
            {
                return;
            }

            for (int o = 0; o < deltas[l].Length; o++)
            {
                if (clipped[l][o])
                {
                    deltas[l][o] = 0;
                }
            }
        }

        /// <summary>
        /// Returns the row's loss: a classifier's cross-entropy (<paramref name="target"/> holds the label), a
        /// regression's half squared error over its standardized targets.
        /// </summary>
        public double Accumulate(double[] input, double[] target)
        {
            input.CopyTo(activations[0], 0);
            for (int l = 0; l < layers.Length; l++)
            {
                layers[l].Forward(activations[l], activations[l + 1], relu: l < layers.Length - 1);
                ObserveAndRound(l);
            }

            double loss = regression ? SquaredError(activations[^1], target, deltas[^1]) : CrossEntropy(activations[^1], (int)target[0], deltas[^1]);
            for (int l = layers.Length - 1; l >= 0; l--)
            {
                MaskClipped(l);
                layers[l].Backward(activations[l], deltas[l], l > 0 ? deltas[l - 1] : null);
            }

            return loss;
        }

        private static double CrossEntropy(double[] logits, int label, double[] delta)
        {
            double max = logits.Max();
            double sum = 0;
            for (int c = 0; c < logits.Length; c++)
            {
                delta[c] = Math.Exp(logits[c] - max);
                sum += delta[c];
            }

            for (int c = 0; c < logits.Length; c++)
            {
                delta[c] /= sum;
            }

            double loss = -Math.Log(Math.Max(delta[label], double.Epsilon));
            delta[label] -= 1;
            return loss;
        }

        private static double SquaredError(double[] values, double[] target, double[] delta)
        {
            double loss = 0;
            for (int o = 0; o < values.Length; o++)
            {
                delta[o] = values[o] - target[o];
                loss += 0.5 * delta[o] * delta[o];
            }

            return loss;
        }
    }

    /// <summary>
    /// One dense layer's parameters, gradients and Adam moments. Adam updates <see cref="W"/>; the passes use
    /// <see cref="Active"/>: W itself, or once <see cref="RoundWeights"/> has run, W on its int8 grid.
    /// </summary>
    private sealed class Layer
    {
        public readonly int Inputs, Outputs;
        public readonly double[] W, B;
        private readonly double[] gradW, gradB, m1W, m2W, m1B, m2B;
        private double[]? rounded;

        public double[] Active => rounded ?? W;

        public Layer(int inputs, int outputs, SplitMix64 random)
        {
            Inputs = inputs;
            Outputs = outputs;
            double he = Math.Sqrt(2.0 / inputs);
            W = Enumerable.Range(0, inputs * outputs).Select(_ => random.NextGaussian() * he).ToArray();
            B = new double[outputs];
            gradW = new double[W.Length];
            gradB = new double[outputs];
            m1W = new double[W.Length];
            m2W = new double[W.Length];
            m1B = new double[outputs];
            m2B = new double[outputs];
        }

        public void RoundWeights(double[] inputSteps)
        {
            rounded ??= new double[W.Length];
            FakeQuantization.Weights(W, Outputs, Inputs, inputSteps, rounded);
        }

        public void Forward(double[] input, double[] output, bool relu)
        {
            double[] w = Active;
            for (int o = 0; o < Outputs; o++)
            {
                double sum = B[o];
                int row = o * Inputs;
                for (int i = 0; i < Inputs; i++)
                {
                    sum += w[row + i] * input[i];
                }

                output[o] = relu && sum < 0 ? 0 : sum;
            }
        }

        /// <summary>
        /// Adds this row's gradients; writes the gradient with respect to the input into
        /// <paramref name="inputDelta"/>, masked by the ReLU that produced the input (an input of 0 came
        /// from a negative or zero pre-activation, whose ReLU gradient is 0).
        /// </summary>
        public void Backward(double[] input, double[] delta, double[]? inputDelta)
        {
            double[] w = Active;
            if (inputDelta != null)
            {
                Array.Clear(inputDelta);
            }

            for (int o = 0; o < Outputs; o++)
            {
                double d = delta[o];
                gradB[o] += d;
                int row = o * Inputs;
                for (int i = 0; i < Inputs; i++)
                {
                    gradW[row + i] += d * input[i];
                    if (inputDelta != null)
                    {
                        inputDelta[i] += d * w[row + i];
                    }
                }
            }

            if (inputDelta != null)
            {
                for (int i = 0; i < Inputs; i++)
                {
                    if (input[i] <= 0)
                    {
                        inputDelta[i] = 0;
                    }
                }
            }
        }

        public void ClearGradients()
        {
            Array.Clear(gradW);
            Array.Clear(gradB);
        }

        public void AdamStep(double learningRate, long step, int batchRows)
        {
            double correction1 = 1 - Math.Pow(Beta1, step);
            double correction2 = 1 - Math.Pow(Beta2, step);
            Update(W, gradW, m1W, m2W);
            Update(B, gradB, m1B, m2B);

            void Update(double[] parameters, double[] gradients, double[] m1, double[] m2)
            {
                for (int i = 0; i < parameters.Length; i++)
                {
                    double g = gradients[i] / batchRows;
                    m1[i] = Beta1 * m1[i] + (1 - Beta1) * g;
                    m2[i] = Beta2 * m2[i] + (1 - Beta2) * g * g;
                    parameters[i] -= learningRate * (m1[i] / correction1) / (Math.Sqrt(m2[i] / correction2) + AdamEpsilon);
                }
            }
        }
    }
}
