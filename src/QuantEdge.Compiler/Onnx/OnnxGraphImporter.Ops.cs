using QuantEdge.Compiler.Graph;

namespace QuantEdge.Compiler.Onnx;

/// <summary>Per-operator conversions from ONNX nodes to IR nodes.</summary>
internal sealed partial class OnnxGraphImporter
{
    public static readonly IReadOnlyList<string> SupportedOps =
    [
        "Add", "AveragePool", "BatchNormalization", "Clip", "Concat", "Constant", "Conv", "Div", "Dropout", "Exp",
        "Flatten", "Gemm", "GlobalAveragePool", "HardSigmoid", "HardSwish", "Identity", "LeakyRelu", "MatMul", "Max", "MaxPool",
        "Min", "Mul", "Neg", "Pad", "ReduceMean", "ReduceSum", "Relu", "Reshape", "Sigmoid", "Softmax", "Squeeze", "Sub", "Tanh", "Transpose",
        "Unsqueeze",
    ];

    private void Convert(OnnxNodeContext c)
    {
        if (c.Node.Domain is not ("" or "ai.onnx"))
        {
            throw Unsupported(c, $"op '{c.Node.OpType}' of domain '{c.Node.Domain}' is not supported");
        }

        if (opset < 6)
        {
            // A legacy hint that an output may reuse an input's buffer; it does not change results.
            c.Ignore("consumed_inputs");
        }

        switch (c.Node.OpType)
        {
            case "Constant": ConvertConstant(c); break;
            case "Identity": case "Dropout": ConvertPassThrough(c); break;
            case "Gemm": ConvertGemm(c); break;
            case "MatMul": ConvertMatMul(c); break;
            case "Conv": ConvertConv(c); break;
            case "BatchNormalization": ConvertBatchNormalization(c); break;
            case "Add": case "Sub": case "Mul": case "Div": ConvertArithmetic(c); break;
            case "Relu": Emit(new ReluNode { Name = c.IrName, Input = SoleInput(c), Output = c.OutputName(0) }, c); break;
            case "Sigmoid": Emit(new SigmoidNode { Name = c.IrName, Input = SoleInput(c), Output = c.OutputName(0) }, c); break;
            case "Tanh": Emit(new TanhNode { Name = c.IrName, Input = SoleInput(c), Output = c.OutputName(0) }, c); break;
            case "LeakyRelu": Emit(new LeakyReluNode { Name = c.IrName, Input = SoleInput(c), Output = c.OutputName(0), Alpha = c.Float("alpha", 0.01f) }, c); break;
            case "Clip": ConvertClip(c); break;
            case "Neg": Emit(new NegNode { Name = c.IrName, Input = SoleInput(c), Output = c.OutputName(0) }, c); break;
            case "Exp": Emit(new ExpNode { Name = c.IrName, Input = SoleInput(c), Output = c.OutputName(0) }, c); break;
            case "HardSwish": Emit(new HardSwishNode { Name = c.IrName, Input = SoleInput(c), Output = c.OutputName(0) }, c); break;
            case "HardSigmoid":
                Emit(new HardSigmoidNode { Name = c.IrName, Input = SoleInput(c), Output = c.OutputName(0), Alpha = c.Float("alpha", 0.2f), Beta = c.Float("beta", 0.5f) }, c);
                break;
            case "Squeeze": case "Unsqueeze": ConvertSqueeze(c); break;
            case "ReduceMean": case "ReduceSum": ConvertReduce(c); break;
            case "Max": case "Min": ConvertExtremum(c); break;
            case "Pad": ConvertPad(c); break;
            case "Transpose": ConvertTranspose(c); break;
            case "Softmax": ConvertSoftmax(c); break;
            case "MaxPool": ConvertPool(c, isMax: true); break;
            case "AveragePool": ConvertPool(c, isMax: false); break;
            case "GlobalAveragePool": Emit(new GlobalAveragePoolNode { Name = c.IrName, Input = SoleInput(c), Output = c.OutputName(0) }, c); break;
            case "Flatten": ConvertFlatten(c); break;
            case "Reshape": ConvertReshape(c); break;
            case "Concat": ConvertConcat(c); break;
            default: throw Unsupported(c, $"op type '{c.Node.OpType}' is not supported");
        }
    }

    private OnnxImportException Unsupported(OnnxNodeContext c, string what) =>
        c.Error($"{what}. Supported ops (ai.onnx opsets {OnnxImporter.MinOpset}-{OnnxImporter.MaxOpset}): {string.Join(", ", SupportedOps)}.");

    private void ConvertConstant(OnnxNodeContext c)
    {
        if (c.Node.Input.Count != 0)
        {
            throw c.Error("a Constant node takes no inputs.");
        }

        string context = $"{c.Description} value";
        var candidates = new List<OnnxConstant>();
        if (c.Tensor("value") is { } tensor)
        {
            candidates.Add(RequireFinite(OnnxTensors.Read(tensor, baseDirectory, context), context));
        }

        if (c.Has("value_float"))
        {
            candidates.Add(RequireFinite(new OnnxConstant([], [c.Float("value_float", 0)], null), context));
        }

        if (c.Floats("value_floats") is { } floats)
        {
            candidates.Add(RequireFinite(new OnnxConstant([floats.Length], floats, null), context));
        }

        if (c.Has("value_int"))
        {
            candidates.Add(new OnnxConstant([], null, [c.Int("value_int", 0)]));
        }

        if (c.Ints("value_ints") is { } ints)
        {
            candidates.Add(new OnnxConstant([ints.Length], null, ints));
        }

        if (candidates.Count != 1)
        {
            throw c.Error($"needs exactly one value attribute, has {candidates.Count}.");
        }

        DefineConstant(c.OutputName(0), candidates[0], c);
    }

    /// <summary>
    /// Identity and inference-mode Dropout pass their input through. Most were turned into aliases
    /// up front. One that writes a graph output renames its input's producer instead, so that the
    /// output keeps its name, or becomes a same-shape Reshape (a copy) when the input is a graph
    /// input or is read elsewhere too.
    /// </summary>
    private void ConvertPassThrough(OnnxNodeContext c)
    {
        c.RequireInputs(1, c.Node.OpType == "Dropout" ? 3 : 1);
        if (c.Node.OpType == "Dropout")
        {
            c.Ignore("ratio", "seed");
            RequireTestMode(c);
            if (c.InputName(2) is not null && (!IsConstantInput(c, 2) || IntConstant(c, 2, "training_mode").Any(v => v != 0)))
            {
                throw c.Error("training_mode must be absent or a constant false; only inference-mode Dropout is supported.");
            }

            if (c.Node.Output.Count > 1 && c.Node.Output[1] is { Length: > 0 } mask && (consumedNames.Contains(mask) || graphOutputs.Contains(mask)))
            {
                throw c.Error($"its mask output '{mask}' is used; only inference-mode Dropout (mask unused) is supported.");
            }
        }

        string output = c.OutputName(0);
        if (aliases.ContainsKey(output))
        {
            string source = Resolve(output);
            if (!shapes.ContainsKey(source) && !constants.ContainsKey(source))
            {
                throw c.Error($"input '{c.InputName(0)}' is not a graph input, initializer or output of an earlier node.");
            }

            return;
        }

        string input = Activation(c, 0);
        if (TryGetSoleProducer(input, out int index))
        {
            ReplaceFolded(index, nodes[index], output, c);
            return;
        }

        Emit(new ReshapeNode { Name = c.IrName, Input = input, Output = output, TargetShape = shapes[input] }, c);
    }

    private void ConvertGemm(OnnxNodeContext c)
    {
        c.RequireInputs(2, 3);
        float alpha = c.Float("alpha", 1);
        float beta = c.Float("beta", 1);
        if (opset < 7)
        {
            // Whether C broadcasts; every C taken below is valid either way.
            c.Ignore("broadcast");
        }

        bool transB = c.Int("transB", 0) != 0;
        if (c.Int("transA", 0) != 0)
        {
            throw c.Error("transA=1 (a transposed activation) is not supported; only transA=0.");
        }

        string input = Activation(c, 0);
        OnnxConstant b = FloatConstantTensor(c, 1, "B");
        if (b.Shape.Length != 2)
        {
            throw c.Error($"B must be a rank-2 matrix, not {Shapes.Format(b.Shape)}.");
        }

        int outFeatures = transB ? b.Shape[0] : b.Shape[1];
        int inFeatures = transB ? b.Shape[1] : b.Shape[0];
        var weights = new float[outFeatures * inFeatures];
        for (int o = 0; o < outFeatures; o++)
        {
            for (int i = 0; i < inFeatures; i++)
            {
                weights[o * inFeatures + i] = alpha * b.Floats![transB ? o * inFeatures + i : i * outFeatures + o];
            }
        }

        var bias = new float[outFeatures];
        if (c.InputName(2) is not null)
        {
            OnnxConstant bias2D = FloatConstantTensor(c, 2, "C");
            float[] perColumn = GemmBias(c, bias2D, outFeatures);
            for (int o = 0; o < outFeatures; o++)
            {
                bias[o] = beta * perColumn[o];
            }
        }

        Emit(new DenseNode { Name = c.IrName, Input = input, Output = c.OutputName(0), Weights = new FloatTensor([outFeatures, inFeatures], weights), Bias = bias }, c);
    }

    /// <summary>Gemm's C as one value per output column; C that varies along the batch rows is refused.</summary>
    private static float[] GemmBias(OnnxNodeContext c, OnnxConstant bias, int columns)
    {
        int[] shape = bias.Shape;
        bool rowsOk = shape.Length < 2 || shape[0] == 1;
        int last = shape.Length == 0 ? 1 : shape[^1];
        if (shape.Length > 2 || !rowsOk || (last != 1 && last != columns))
        {
            throw c.Error($"C of shape {Shapes.Format(shape)} is not a bias over {columns} output columns; supported: scalar, [{columns}], [1, {columns}] (or 1 for broadcast).");
        }

        return Enumerable.Range(0, columns).Select(o => bias.Floats![last == 1 ? 0 : o]).ToArray();
    }

    private void ConvertMatMul(OnnxNodeContext c)
    {
        c.RequireInputs(2, 2);
        string input = Activation(c, 0);
        OnnxConstant b = FloatConstantTensor(c, 1, "B (weights)");
        if (shapes[input].Length != 2 || b.Shape.Length != 2)
        {
            throw c.Error($"only a rank-2 activation times a rank-2 constant is supported, not {Shapes.Format(shapes[input])} × {Shapes.Format(b.Shape)}.");
        }

        int inFeatures = b.Shape[0];
        int outFeatures = b.Shape[1];
        var weights = new float[outFeatures * inFeatures];
        for (int o = 0; o < outFeatures; o++)
        {
            for (int i = 0; i < inFeatures; i++)
            {
                weights[o * inFeatures + i] = b.Floats![i * outFeatures + o];
            }
        }

        Emit(new DenseNode { Name = c.IrName, Input = input, Output = c.OutputName(0), Weights = new FloatTensor([outFeatures, inFeatures], weights), Bias = new float[outFeatures] }, c);
    }

    private void ConvertConv(OnnxNodeContext c)
    {
        c.RequireInputs(2, 3);
        string input = Activation(c, 0);
        int[] inputShape = shapes[input];
        if (inputShape.Length is not (3 or 4))
        {
            throw c.Error($"only 1-D and 2-D convolutions (rank-3 or rank-4 input) are supported; input is {Shapes.Format(inputShape)}.");
        }

        OnnxConstant w = FloatConstantTensor(c, 1, "W (weights)");
        if (w.Shape.Length != inputShape.Length)
        {
            throw c.Error($"weights {Shapes.Format(w.Shape)} do not match the rank of input {Shapes.Format(inputShape)}.");
        }

        int outChannels = w.Shape[0];
        float[] bias = c.InputName(2) is null ? new float[outChannels] : FloatConstant(c, 2, "B (bias)");
        if (bias.Length != outChannels)
        {
            throw c.Error($"bias has {bias.Length} values for {outChannels} output channels.");
        }

        int[] kernel = w.Shape[2..];
        if (c.Ints("kernel_shape") is { } declared && !declared.SequenceEqual(kernel.Select(k => (long)k)))
        {
            throw c.Error($"kernel_shape [{string.Join(", ", declared)}] does not match weights {Shapes.Format(w.Shape)}.");
        }

        OnnxWindow window = OnnxSemantics.ReadWindow(c, inputShape, kernel, allowDilations: true);
        int[] weightShape = inputShape.Length == 3 ? [outChannels, w.Shape[1], 1, w.Shape[2]] : w.Shape;
        Emit(new Conv2DNode
        {
            Name = c.IrName,
            Input = input,
            Output = c.OutputName(0),
            Weights = new FloatTensor(weightShape, w.Floats!),
            Bias = bias,
            Strides = window.Strides,
            Pads = window.Pads,
            Dilations = window.Dilations,
            Group = checked((int)c.Int("group", 1)),
        }, c);
    }

    private void ConvertBatchNormalization(OnnxNodeContext c)
    {
        c.RequireInputs(5, 5);
        double epsilon = c.Float("epsilon", 1e-5f);
        c.Ignore("momentum");
        if (opset < 9 && c.Int("spatial", 1) != 1)
        {
            throw c.Error("spatial=0 (per-activation statistics) is not supported.");
        }

        if (opset >= 14 && c.Int("training_mode", 0) != 0)
        {
            throw c.Error("training_mode=1 is not supported; only inference-mode BatchNormalization.");
        }

        RequireTestMode(c);

        RejectUsedExtraOutputs(c, "running statistics (training mode)");
        string input = Activation(c, 0);
        int[] inputShape = shapes[input];
        if (inputShape.Length < 2)
        {
            throw c.Error($"input {Shapes.Format(inputShape)} has no channel axis.");
        }

        int channels = inputShape[1];
        float[][] parameters = new[] { "scale", "B", "mean", "var" }
            .Select((role, i) => FloatConstant(c, i + 1, role))
            .ToArray();
        if (parameters.Any(p => p.Length != channels))
        {
            throw c.Error($"scale, B, mean and var need {channels} values each (input {Shapes.Format(inputShape)}), have {string.Join(", ", parameters.Select(p => p.Length))}.");
        }

        var scale = new float[channels];
        var shift = new float[channels];
        for (int ch = 0; ch < channels; ch++)
        {
            double s = parameters[0][ch] / Math.Sqrt(parameters[3][ch] + epsilon);
            scale[ch] = (float)s;
            shift[ch] = (float)(parameters[1][ch] - parameters[2][ch] * s);
        }

        if (TryGetFoldTarget(input, out int index))
        {
            ReplaceFolded(index, ScaleOutputChannels(ScaleOutputChannels(nodes[index], scale, multiply: true), shift, multiply: false), c.OutputName(0), c);
            return;
        }

        Emit(new ChannelAffineNode { Name = c.IrName, Input = input, Output = c.OutputName(0), Scale = scale, Shift = shift }, c);
    }

    /// <summary>
    /// Add/Sub/Mul of two values, or Add/Sub/Mul/Div of a value and a constant. A per-channel constant on
    /// the output of a Conv2D/Dense that nothing else reads is folded into its bias (Add, Sub) or its
    /// weights and bias (Mul, Div).
    /// </summary>
    private void ConvertArithmetic(OnnxNodeContext c)
    {
        c.RequireInputs(2, 2);
        string op = c.Node.OpType;
        bool additive = op is "Add" or "Sub";
        bool leftConstant = IsConstantInput(c, 0);
        bool rightConstant = IsConstantInput(c, 1);
        if (leftConstant && rightConstant)
        {
            throw c.Error("both inputs are constants; constant folding is not supported.");
        }

        if (!leftConstant && !rightConstant)
        {
            if (op is "Div")
            {
                throw c.Error($"{op} of two computed values is not supported (only {op} by a constant).");
            }

            OnnxSemantics.RequireNumpyAlignment(c, opset, shapes[Activation(c, 1)], shapes[Activation(c, 0)]);

            Node binary = op switch
            {
                "Add" => new AddNode { Name = c.IrName, Input = Activation(c, 0), Other = Activation(c, 1), Output = c.OutputName(0) },
                "Sub" => new SubNode { Name = c.IrName, Input = Activation(c, 0), Other = Activation(c, 1), Output = c.OutputName(0) },
                _ => new MulNode { Name = c.IrName, Input = Activation(c, 0), Other = Activation(c, 1), Output = c.OutputName(0) },
            };
            Emit(binary, c);
            return;
        }

        if (leftConstant && op is "Sub" or "Div")
        {
            throw c.Error($"a constant {(op == "Sub" ? "minus" : "divided by")} a computed value is not supported.");
        }

        int valueIndex = leftConstant ? 1 : 0;
        string input = Activation(c, valueIndex);
        OnnxConstant k = FloatConstantTensor(c, 1 - valueIndex, "constant operand");
        if (valueIndex == 0)
        {
            k = k with { Shape = OnnxSemantics.LegacyBroadcastShape(c, opset, k.Shape, shapes[input]) };
        }
        else
        {
            OnnxSemantics.RequireNumpyAlignment(c, opset, shapes[input], k.Shape);
        }

        float[] values = op switch
        {
            "Sub" => k.Floats!.Select(v => -v).ToArray(),
            "Div" => k.Floats!.Select(v => 1 / v).ToArray(),
            _ => k.Floats!,
        };
        var constant = new FloatTensor(k.Shape, values);

        if (TryGetFoldTarget(input, out int index) && PerChannel(constant, shapes[input]) is { } perChannel)
        {
            ReplaceFolded(index, ScaleOutputChannels(nodes[index], perChannel, multiply: !additive), c.OutputName(0), c);
            return;
        }

        Node node = additive
            ? new AddNode { Name = c.IrName, Input = input, Constant = constant, Output = c.OutputName(0) }
            : new MulNode { Name = c.IrName, Input = input, Constant = constant, Output = c.OutputName(0) };
        Emit(node, c);
    }

    /// <summary>Before opset 7, BatchNormalization and Dropout compute training-mode results unless is_test is set.</summary>
    private void RequireTestMode(OnnxNodeContext c)
    {
        if (opset < 7 && c.Int("is_test", 0) == 0)
        {
            throw c.Error("is_test=0 (training mode) is not supported; only test (inference) mode.");
        }
    }

    /// <summary>
    /// The constant as one value per channel (axis 1) of a value of <paramref name="shape"/>, when it
    /// broadcasts along every other axis and does not widen the shape; null otherwise.
    /// </summary>
    private static float[]? PerChannel(FloatTensor constant, int[] shape)
    {
        int offset = shape.Length - constant.Rank;
        if (offset < 0 || shape.Length < 2)
        {
            return null;
        }

        int channels = shape[1];
        int channelAxis = 1 - offset; // the constant's axis aligned with axis 1, if it has one
        for (int axis = 0; axis < constant.Rank; axis++)
        {
            if (constant.Shape[axis] != 1 && !(axis == channelAxis && constant.Shape[axis] == channels))
            {
                return null;
            }
        }

        // Every other dimension is 1, so element ch of a per-channel constant is channel ch's value.
        bool perChannel = constant.Length == channels;
        return Enumerable.Range(0, channels).Select(ch => constant.Data[perChannel ? ch : 0]).ToArray();
    }

    /// <summary>
    /// Folds a per-output-channel factor (<paramref name="multiply"/>: weights and bias scale) or
    /// offset (bias shifts) into a Conv2D or Dense.
    /// </summary>
    private static Node ScaleOutputChannels(Node node, float[] perChannel, bool multiply)
    {
        return node switch
        {
            Conv2DNode conv => conv with { Weights = Weights(conv.Weights), Bias = Bias(conv.Bias) },
            DenseNode dense => dense with { Weights = Weights(dense.Weights), Bias = Bias(dense.Bias) },
            _ => throw new InvalidOperationException($"{node} cannot absorb a per-channel operation."),
        };

        float[] Bias(float[] bias) => bias.Select((b, o) => multiply ? b * perChannel[o] : b + perChannel[o]).ToArray();

        // Output channel is the outermost weight axis in both layouts ([Out, In] and OIHW).
        FloatTensor Weights(FloatTensor weights)
        {
            if (!multiply)
            {
                return weights;
            }

            int block = weights.Length / perChannel.Length;
            return new FloatTensor(weights.Shape, weights.Data.Select((w, i) => w * perChannel[i / block]).ToArray());
        }
    }

    /// <summary>The computed input of a node that has exactly one input.</summary>
    private string SoleInput(OnnxNodeContext c)
    {
        c.RequireInputs(1, 1);
        return Activation(c, 0);
    }

    private void ConvertClip(OnnxNodeContext c)
    {
        float min;
        float max;
        if (opset < 11)
        {
            c.RequireInputs(1, 1);
            min = c.Float("min", float.MinValue);
            max = c.Float("max", float.MaxValue);
        }
        else
        {
            c.RequireInputs(1, 3);
            min = c.InputName(1) is null ? float.MinValue : Scalar(c, 1, "min");
            max = c.InputName(2) is null ? float.MaxValue : Scalar(c, 2, "max");
        }

        Emit(new ClipNode { Name = c.IrName, Input = Activation(c, 0), Output = c.OutputName(0), Min = min, Max = max }, c);
    }

    /// <summary>
    /// Opset 13 and later: softmax along one axis (default −1). Earlier: the input is viewed as 2-D
    /// [product of dims before axis, product from axis on] (default axis 1) and softmax runs along the
    /// second; when any dimension after the axis is not 1 that becomes Reshape, Softmax(1), Reshape.
    /// </summary>
    private void ConvertSoftmax(OnnxNodeContext c)
    {
        c.RequireInputs(1, 1);
        string input = Activation(c, 0);
        int[] shape = shapes[input];
        int axis = OnnxSemantics.NormalizeAxis(c, c.Int("axis", opset >= 13 ? -1 : 1), shape.Length, allowRank: false);
        string output = c.OutputName(0);
        int trailing = FloatTensor.ElementCount(shape[(axis + 1)..]);
        if (opset >= 13 || trailing == 1)
        {
            Emit(new SoftmaxNode { Name = c.IrName, Input = input, Output = output, Axis = axis }, c);
            return;
        }

        int outer = FloatTensor.ElementCount(shape[..axis]);
        string flat = NewValueName($"{output}_2d");
        string softmax = NewValueName($"{output}_softmax_2d");
        Emit(new ReshapeNode { Name = $"{c.IrName}_to_2d", Input = input, Output = flat, TargetShape = [outer, shape[axis] * trailing] }, c);
        Emit(new SoftmaxNode { Name = c.IrName, Input = flat, Output = softmax, Axis = 1 }, c);
        Emit(new ReshapeNode { Name = $"{c.IrName}_from_2d", Input = softmax, Output = output, TargetShape = shape }, c);
    }

    private void ConvertPool(OnnxNodeContext c, bool isMax)
    {
        c.RequireInputs(1, 1);
        string input = Activation(c, 0);
        int[] inputShape = shapes[input];
        int[] kernel = OnnxSemantics.PoolKernel(c, inputShape);
        bool countIncludePad = !isMax && c.Int("count_include_pad", 0) != 0;
        if (isMax)
        {
            c.Ignore("storage_order");
            RejectUsedExtraOutputs(c, "argmax indices");
        }

        OnnxWindow window = OnnxSemantics.ReadWindow(c, inputShape, kernel, allowDilations: false);
        if (c.Int("ceil_mode", 0) != 0)
        {
            window = OnnxSemantics.CeilModePads(c, window, inputShape, kernel, countIncludePad);
        }

        Size2D kernel2D = inputShape.Length == 3 ? new Size2D(1, kernel[0]) : new Size2D(kernel[0], kernel[1]);
        Pool2DNode pool = isMax
            ? new MaxPoolNode { Name = c.IrName, Input = input, Output = c.OutputName(0), Kernel = kernel2D, Strides = window.Strides, Pads = window.Pads }
            : new AveragePoolNode { Name = c.IrName, Input = input, Output = c.OutputName(0), Kernel = kernel2D, Strides = window.Strides, Pads = window.Pads, CountIncludePad = countIncludePad };
        Emit(pool, c);
    }

    private void ConvertFlatten(OnnxNodeContext c)
    {
        c.RequireInputs(1, 1);
        string input = Activation(c, 0);
        int[] target = OnnxSemantics.FlattenedShape(c, shapes[input], c.Int("axis", 1));
        Emit(new ReshapeNode { Name = c.IrName, Input = input, Output = c.OutputName(0), TargetShape = target }, c);
    }

    private void ConvertReshape(OnnxNodeContext c)
    {
        c.RequireInputs(opset < 5 ? 1 : 2, opset < 5 ? 1 : 2);
        string input = Activation(c, 0);
        long[] requested = opset < 5
            ? c.Ints("shape") ?? throw c.Error("the shape attribute is required before opset 5.")
            : IntConstant(c, 1, "shape");
        bool allowZero = opset >= 14 && c.Int("allowzero", 0) != 0;
        int[] target = OnnxSemantics.ReshapedShape(c, shapes[input], requested, allowZero);
        Emit(new ReshapeNode { Name = c.IrName, Input = input, Output = c.OutputName(0), TargetShape = target }, c);
    }

    /// <summary>
    /// Squeeze and Unsqueeze only relabel dimensions: a Reshape. Their axes are an attribute before
    /// opset 13 and a constant input from it on (Squeeze's optional: without it every 1 goes).
    /// </summary>
    private void ConvertSqueeze(OnnxNodeContext c)
    {
        bool squeeze = c.Node.OpType == "Squeeze";
        bool axesInput = opset >= 13;
        c.RequireInputs(axesInput && !squeeze ? 2 : 1, axesInput ? 2 : 1);
        string input = Activation(c, 0);
        long[]? axes = axesInput ? (c.InputName(1) is null ? null : IntConstant(c, 1, "axes")) : c.Ints("axes");
        int[] target = squeeze
            ? OnnxSemantics.SqueezedShape(c, shapes[input], axes)
            : OnnxSemantics.UnsqueezedShape(c, shapes[input], axes ?? throw c.Error("axes are required."));
        Emit(new ReshapeNode { Name = c.IrName, Input = input, Output = c.OutputName(0), TargetShape = target }, c);
    }

    /// <summary>
    /// ReduceMean and ReduceSum over their axes: an attribute, or a constant input from the opset that
    /// made it one (ReduceSum 13, ReduceMean 18). No axes reduce over every axis, unless
    /// noop_with_empty_axes is set, which makes the node the identity.
    /// </summary>
    private void ConvertReduce(OnnxNodeContext c)
    {
        bool mean = c.Node.OpType == "ReduceMean";
        bool axesInput = opset >= (mean ? 18 : 13);
        c.RequireInputs(1, axesInput ? 2 : 1);
        string input = Activation(c, 0);
        int[] shape = shapes[input];
        long[]? axes = axesInput ? (c.InputName(1) is null ? null : IntConstant(c, 1, "axes")) : c.Ints("axes");
        bool keepDims = c.Int("keepdims", 1) != 0;
        bool noopWithoutAxes = axesInput && c.Int("noop_with_empty_axes", 0) != 0;
        if (axes is null || axes.Length == 0)
        {
            if (noopWithoutAxes)
            {
                Emit(new ReshapeNode { Name = c.IrName, Input = input, Output = c.OutputName(0), TargetShape = shape }, c);
                return;
            }

            axes = Enumerable.Range(0, shape.Length).Select(a => (long)a).ToArray();
        }

        int[] reduced = OnnxSemantics.Axes(c, axes, shape.Length);
        ReduceNode node = mean
            ? new ReduceMeanNode { Name = c.IrName, Input = input, Output = c.OutputName(0), Axes = reduced, KeepDims = keepDims }
            : new ReduceSumNode { Name = c.IrName, Input = input, Output = c.OutputName(0), Axes = reduced, KeepDims = keepDims };
        Emit(node, c);
    }

    /// <summary>
    /// Max and Min of one or more operands: one is the identity (a copy), more a chain of pairs. Of two,
    /// one may be a constant, which becomes the pair's constant operand.
    /// </summary>
    private void ConvertExtremum(OnnxNodeContext c)
    {
        bool max = c.Node.OpType == "Max";
        int count = c.Node.Input.Count;
        if (count == 0)
        {
            throw c.Error("needs at least one input.");
        }

        if (count == 2 && IsConstantInput(c, 0) != IsConstantInput(c, 1))
        {
            int valueIndex = IsConstantInput(c, 0) ? 1 : 0;
            OnnxConstant k = FloatConstantTensor(c, 1 - valueIndex, "constant operand");
            var constant = new FloatTensor(k.Shape, k.Floats!);
            string value = Activation(c, valueIndex);
            Emit(max
                ? new MaxNode { Name = c.IrName, Input = value, Constant = constant, Output = c.OutputName(0) }
                : new MinNode { Name = c.IrName, Input = value, Constant = constant, Output = c.OutputName(0) }, c);
            return;
        }

        string[] operands = Enumerable.Range(0, count).Select(i => Activation(c, i)).ToArray();
        if (count == 1)
        {
            Emit(new ReshapeNode { Name = c.IrName, Input = operands[0], Output = c.OutputName(0), TargetShape = shapes[operands[0]] }, c);
            return;
        }

        string left = operands[0];
        for (int i = 1; i < count; i++)
        {
            bool last = i == count - 1;
            string output = last ? c.OutputName(0) : NewValueName($"{c.OutputName(0)}_{i}");
            string name = last ? c.IrName : $"{c.IrName}_{i}";
            left = Emit(max
                ? new MaxNode { Name = name, Input = left, Other = operands[i], Output = output }
                : new MinNode { Name = name, Input = left, Other = operands[i], Output = output }, c).Output;
        }
    }

    /// <summary>
    /// Pad in constant mode: pads and value are attributes before opset 11 and constant inputs from it on
    /// (opset 18's axes input is refused); negative pads would crop, which is not supported.
    /// </summary>
    private void ConvertPad(OnnxNodeContext c)
    {
        bool inputsForm = opset >= 11;
        c.RequireInputs(inputsForm ? 2 : 1, inputsForm ? 3 : 1);
        if (c.Node.Input.Count > 3)
        {
            throw c.Error("the axes input (opset 18) is not supported; give pads for every axis.");
        }

        string mode = c.String("mode", "constant");
        if (mode != "constant")
        {
            throw c.Error($"mode '{mode}' is not supported; only constant padding.");
        }

        string input = Activation(c, 0);
        int[] shape = shapes[input];
        long[] pads = inputsForm ? IntConstant(c, 1, "pads") : c.Ints(opset < 2 ? "paddings" : "pads") ?? throw c.Error("pads are required.");
        float value = inputsForm ? (c.InputName(2) is null ? 0 : Scalar(c, 2, "constant_value")) : c.Float("value", 0);
        if (pads.Length != 2 * shape.Length || pads.Any(p => p < 0 || p > int.MaxValue))
        {
            throw c.Error($"pads [{string.Join(", ", pads)}] must be {2 * shape.Length} non-negative values (negative pads crop, which is not supported).");
        }

        Emit(new PadNode { Name = c.IrName, Input = input, Output = c.OutputName(0), Pads = pads.Select(p => (int)p).ToArray(), Value = value }, c);
    }

    /// <summary>Transpose by perm, by default the axes reversed.</summary>
    private void ConvertTranspose(OnnxNodeContext c)
    {
        string input = SoleInput(c);
        int rank = shapes[input].Length;
        long[] perm = c.Ints("perm") ?? Enumerable.Range(0, rank).Reverse().Select(a => (long)a).ToArray();
        if (perm.Length != rank || !perm.Order().SequenceEqual(Enumerable.Range(0, rank).Select(a => (long)a)))
        {
            throw c.Error($"perm [{string.Join(", ", perm)}] is not a permutation of the {rank} axes of input {Shapes.Format(shapes[input])}.");
        }

        Emit(new TransposeNode { Name = c.IrName, Input = input, Output = c.OutputName(0), Perm = perm.Select(a => (int)a).ToArray() }, c);
    }

    private void ConvertConcat(OnnxNodeContext c)
    {
        if (c.Node.Input.Count == 0)
        {
            throw c.Error("needs at least one input.");
        }

        string[] operands = Enumerable.Range(0, c.Node.Input.Count).Select(i => Activation(c, i)).ToArray();
        if (!c.Has("axis") && opset >= 4)
        {
            throw c.Error("the axis attribute is required.");
        }

        // Before opset 4 the axis defaults to 1.
        int axis = OnnxSemantics.NormalizeAxis(c, c.Int("axis", 1), shapes[operands[0]].Length, allowRank: false);
        Emit(new ConcatNode { Name = c.IrName, Operands = operands, Output = c.OutputName(0), Axis = axis }, c);
    }

    private void RejectUsedExtraOutputs(OnnxNodeContext c, string what)
    {
        foreach (string extra in c.Node.Output.Skip(1).Where(o => o.Length > 0))
        {
            if (consumedNames.Contains(extra) || graphOutputs.Contains(extra))
            {
                throw c.Error($"output '{extra}' ({what}) is used; it is not supported.");
            }
        }
    }

    /// <summary>The alias-resolved name of input <paramref name="i"/>, which must be computed at run time.</summary>
    private string Activation(OnnxNodeContext c, int i)
    {
        string name = c.InputName(i) ?? throw c.Error($"input {i} is missing.");
        string value = Resolve(name);
        if (constants.ContainsKey(value))
        {
            throw c.Error($"input {i} ('{name}') is a constant where a computed value is expected; graphs that compute on constants alone are not supported.");
        }

        return shapes.ContainsKey(value)
            ? value
            : throw c.Error($"input {i} ('{name}') is not a graph input, initializer or output of an earlier node.");
    }

    private bool IsConstantInput(OnnxNodeContext c, int i) => c.InputName(i) is { } name && constants.ContainsKey(Resolve(name));

    private OnnxConstant ConstantInput(OnnxNodeContext c, int i, string role)
    {
        string name = c.InputName(i) ?? throw c.Error($"input {i} ({role}) is missing.");
        string value = Resolve(name);
        if (constants.TryGetValue(value, out OnnxConstant? constant))
        {
            return constant;
        }

        throw shapes.ContainsKey(value)
            ? c.Error($"input {i} ('{name}', {role}) must be a constant (initializer or Constant node); it is computed at run time.")
            : c.Error($"input {i} ('{name}', {role}) is not a graph input, initializer or output of an earlier node.");
    }

    private OnnxConstant FloatConstantTensor(OnnxNodeContext c, int i, string role)
    {
        OnnxConstant constant = ConstantInput(c, i, role);
        return constant.Floats is not null ? constant : throw c.Error($"input {i} ({role}) must be floating-point, not integer.");
    }

    private float[] FloatConstant(OnnxNodeContext c, int i, string role) => FloatConstantTensor(c, i, role).Floats!;

    private long[] IntConstant(OnnxNodeContext c, int i, string role) =>
        ConstantInput(c, i, role).Integers ?? throw c.Error($"input {i} ({role}) must be an integer tensor.");

    private float Scalar(OnnxNodeContext c, int i, string role)
    {
        float[] values = FloatConstant(c, i, role);
        return values.Length == 1 ? values[0] : throw c.Error($"input {i} ({role}) must be a scalar, has {values.Length} values.");
    }
}
