using QuantEdge.Runtime.Kernels;

namespace QuantEdge.Runtime.Tests.Kernels;

/// <summary>What the max and average pool tests share: the CMSIS-NN adapter, odd geometries and a plain window walk.</summary>
public static class PoolTestCases
{
    /// <summary>Pool sets carry no offsets (input and output share their quantization), so the mapping is one to one.</summary>
    public static Pool2DParams FromCmsis(CmsisVector v) => new()
    {
        Batches = v.Param("batches"),
        InputHeight = v.Param("input_h"),
        InputWidth = v.Param("input_w"),
        Channels = v.Param("channels"),
        OutputHeight = v.Param("output_h"),
        OutputWidth = v.Param("output_w"),
        FilterHeight = v.Param("filter_h"),
        FilterWidth = v.Param("filter_w"),
        StrideHeight = v.Param("stride_h"),
        StrideWidth = v.Param("stride_w"),
        PadTop = v.Param("pad_top"),
        PadLeft = v.Param("pad_left"),
        ActivationMin = v.Param("activation_min"),
        ActivationMax = v.Param("activation_max"),
    };

    /// <summary>Runs a pool kernel on a CMSIS set in a guarded arena; returns the output.</summary>
    public static sbyte[] RunCmsis(CmsisVector v, Action<Pool2DParams, sbyte[], int, int> eval)
    {
        Pool2DParams p = FromCmsis(v);
        Assert.True(p.EveryWindowOverlapsInput());
        var arena = new TestArena();
        int input = arena.Place(v.SBytes("input"));
        int length = p.Batches * p.OutputHeight * p.OutputWidth * p.Channels;
        int output = arena.Reserve(length);
        eval(p, arena.Data, input, output);
        return arena.Read(output, length);
    }

    /// <summary>One pooling geometry of the float-reference tests.</summary>
    public sealed record Geometry(int Batches, int Height, int Width, int Channels, int FilterHeight, int FilterWidth,
        int StrideHeight, int StrideWidth, int PadTop, int PadLeft, int ActivationMin, int ActivationMax)
    {
        public string Name => $"{Batches}x{Height}x{Width}x{Channels} window {FilterHeight}x{FilterWidth} " +
            $"stride {StrideHeight}x{StrideWidth} pad {PadTop},{PadLeft} act [{ActivationMin},{ActivationMax}]";

        public Pool2DParams ToParams()
        {
            var p = new Pool2DParams
            {
                Batches = Batches,
                InputHeight = Height,
                InputWidth = Width,
                Channels = Channels,
                // As many outputs as have a window starting inside the input: the last ones hang over
                // the bottom/right edge, as with TFLite's SAME padding.
                OutputHeight = (Height + PadTop - 1) / StrideHeight + 1,
                OutputWidth = (Width + PadLeft - 1) / StrideWidth + 1,
                FilterHeight = FilterHeight,
                FilterWidth = FilterWidth,
                StrideHeight = StrideHeight,
                StrideWidth = StrideWidth,
                PadTop = PadTop,
                PadLeft = PadLeft,
                ActivationMin = ActivationMin,
                ActivationMax = ActivationMax,
            };
            Assert.True(p.EveryWindowOverlapsInput());
            return p;
        }
    }

    /// <summary>
    /// Odd sizes (channels 1, 2, 3, 7, 9; odd heights and widths; two batches), windows that hang over
    /// every edge, strides larger and smaller than the window, narrowed activation ranges.
    /// </summary>
    private static readonly Geometry[] AllGeometries =
    [
        new(1, 5, 7, 1, 3, 3, 1, 1, 1, 1, -128, 127),
        new(2, 7, 5, 2, 2, 3, 2, 2, 0, 1, -128, 127),
        new(2, 9, 9, 3, 3, 2, 3, 2, 1, 0, -100, 90),
        new(1, 3, 11, 7, 3, 5, 1, 3, 2, 4, -128, 127),
        new(2, 5, 3, 9, 5, 3, 2, 1, 2, 1, 0, 127),
        new(1, 1, 1, 7, 1, 1, 1, 1, 0, 0, -128, 127),
        new(1, 6, 4, 3, 6, 4, 1, 1, 0, 0, -128, 127), // one window over the whole image
        new(2, 13, 7, 9, 4, 2, 4, 3, 3, 1, -5, 5),
    ];

    public static TheoryData<string> GeometryNames => new(AllGeometries.Select(g => g.Name));

    public static Geometry Find(string name) => AllGeometries.Single(g => g.Name == name);

    /// <summary>The input values under each output's window (taps outside the input skipped), in output order.</summary>
    public static List<List<int>> Windows(Pool2DParams p, sbyte[] input)
    {
        var windows = new List<List<int>>();
        for (int b = 0; b < p.Batches; b++)
        for (int oy = 0; oy < p.OutputHeight; oy++)
        for (int ox = 0; ox < p.OutputWidth; ox++)
        for (int c = 0; c < p.Channels; c++)
        {
            var values = new List<int>();
            for (int ky = 0; ky < p.FilterHeight; ky++)
            for (int kx = 0; kx < p.FilterWidth; kx++)
            {
                int iy = oy * p.StrideHeight - p.PadTop + ky, ix = ox * p.StrideWidth - p.PadLeft + kx;
                if (iy >= 0 && iy < p.InputHeight && ix >= 0 && ix < p.InputWidth)
                {
                    values.Add(input[((b * p.InputHeight + iy) * p.InputWidth + ix) * p.Channels + c]);
                }
            }

            windows.Add(values);
        }

        return windows;
    }
}
