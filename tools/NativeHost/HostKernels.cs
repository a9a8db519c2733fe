using System.Runtime.InteropServices;
using QuantEdge.Runtime.Interop;

namespace QuantEdge.NativeHost;

/// <summary>
/// The C kernels loaded from a library <see cref="HostCompiler"/> built, with the methods and the failures of
/// the interop assembly's NativeMethods: a refused argument throws IndexOutOfRangeException (a span outside its
/// array) or ArgumentException (anything else), as on the nanoCLR. <see cref="Install"/> puts them behind the
/// desktop runtime's NativeMethods, so that Model.Load runs them (KernelPath.Native).
/// </summary>
public sealed unsafe class HostKernels : IHostKernels
{
    private readonly delegate* unmanaged<int> version;
    private readonly delegate* unmanaged<sbyte*, int, int*, int, sbyte*, int, int*, int, int*, int, int*, int, int*, int, int> fullyConnected;
    private readonly delegate* unmanaged<sbyte*, int, int*, int, sbyte*, int, int*, int, int*, int, int*, int, int*, int, int> conv2D;
    private readonly delegate* unmanaged<sbyte*, int, int*, int, sbyte*, int, int*, int, int*, int, int*, int, int> depthwise;
    private readonly delegate* unmanaged<sbyte*, int, int*, int, int> maxPool, averagePool, globalAveragePool, add, mul, softmax, concat;
    private readonly delegate* unmanaged<sbyte*, int, int*, int, sbyte*, int, int> lookup;

    private HostKernels(string library)
    {
        Library = library;
        nint handle = NativeLibrary.Load(library);
        nint Export(string name) => NativeLibrary.GetExport(handle, name);
        version = (delegate* unmanaged<int>)Export("qe_version");
        fullyConnected = (delegate* unmanaged<sbyte*, int, int*, int, sbyte*, int, int*, int, int*, int, int*, int, int*, int, int>)Export("qe_fully_connected");
        conv2D = (delegate* unmanaged<sbyte*, int, int*, int, sbyte*, int, int*, int, int*, int, int*, int, int*, int, int>)Export("qe_conv2d");
        depthwise = (delegate* unmanaged<sbyte*, int, int*, int, sbyte*, int, int*, int, int*, int, int*, int, int>)Export("qe_depthwise_conv2d");
        maxPool = (delegate* unmanaged<sbyte*, int, int*, int, int>)Export("qe_max_pool2d");
        averagePool = (delegate* unmanaged<sbyte*, int, int*, int, int>)Export("qe_average_pool2d");
        globalAveragePool = (delegate* unmanaged<sbyte*, int, int*, int, int>)Export("qe_global_average_pool");
        add = (delegate* unmanaged<sbyte*, int, int*, int, int>)Export("qe_add");
        mul = (delegate* unmanaged<sbyte*, int, int*, int, int>)Export("qe_mul");
        softmax = (delegate* unmanaged<sbyte*, int, int*, int, int>)Export("qe_softmax");
        concat = (delegate* unmanaged<sbyte*, int, int*, int, int>)Export("qe_concat");
        lookup = (delegate* unmanaged<sbyte*, int, int*, int, sbyte*, int, int>)Export("qe_lookup");
    }

    /// <summary>The library's path.</summary>
    public string Library { get; }

    /// <summary>Compiles (once) and loads the kernels of the repository at <paramref name="root"/>, with a variant's defines.</summary>
    public static HostKernels Load(string root, params string[] defines) => new(HostCompiler.Build(root, defines));

    /// <summary>Runs these kernels behind NativeMethods in this flow of execution until the result is disposed.</summary>
    public IDisposable Install() => new Installation(NativeMethods.Install(this));

    public int Version() => version();

    public void FullyConnected(sbyte[] arena, int[] args, sbyte[] weights, int[] bias, int[] multiplier, int[] shift)
    {
        NotNull(arena, args, weights, bias, multiplier, shift);
        fixed (sbyte* a = arena, w = weights)
        fixed (int* g = args, b = bias, m = multiplier, s = shift)
        {
            Check(fullyConnected(a, arena.Length, g, args.Length, w, weights.Length, b, bias.Length, m, multiplier.Length, s, shift.Length, null, 0));
        }
    }

    public void FullyConnectedAccumulate(sbyte[] arena, int[] args, sbyte[] weights, int[] bias, int[] accumulators)
    {
        NotNull(arena, args, weights, bias, accumulators);
        fixed (sbyte* a = arena, w = weights)
        fixed (int* g = args, b = bias, sums = accumulators)
        {
            Check(fullyConnected(a, arena.Length, g, args.Length, w, weights.Length, b, bias.Length, null, 0, null, 0, sums, accumulators.Length));
        }
    }

    public void Conv2D(sbyte[] arena, int[] args, sbyte[] weights, int[] bias, int[] multiplier, int[] shift)
    {
        NotNull(arena, args, weights, bias, multiplier, shift);
        fixed (sbyte* a = arena, w = weights)
        fixed (int* g = args, b = bias, m = multiplier, s = shift)
        {
            Check(conv2D(a, arena.Length, g, args.Length, w, weights.Length, b, bias.Length, m, multiplier.Length, s, shift.Length, null, 0));
        }
    }

    public void Conv2DAccumulate(sbyte[] arena, int[] args, sbyte[] weights, int[] bias, int[] accumulators)
    {
        NotNull(arena, args, weights, bias, accumulators);
        fixed (sbyte* a = arena, w = weights)
        fixed (int* g = args, b = bias, sums = accumulators)
        {
            Check(conv2D(a, arena.Length, g, args.Length, w, weights.Length, b, bias.Length, null, 0, null, 0, sums, accumulators.Length));
        }
    }

    public void DepthwiseConv2D(sbyte[] arena, int[] args, sbyte[] weights, int[] bias, int[] multiplier, int[] shift)
    {
        NotNull(arena, args, weights, bias, multiplier, shift);
        fixed (sbyte* a = arena, w = weights)
        fixed (int* g = args, b = bias, m = multiplier, s = shift)
        {
            Check(depthwise(a, arena.Length, g, args.Length, w, weights.Length, b, bias.Length, m, multiplier.Length, s, shift.Length));
        }
    }

    public void MaxPool2D(sbyte[] arena, int[] args) => Call(maxPool, arena, args);

    public void AveragePool2D(sbyte[] arena, int[] args) => Call(averagePool, arena, args);

    public void GlobalAveragePool(sbyte[] arena, int[] args) => Call(globalAveragePool, arena, args);

    public void Add(sbyte[] arena, int[] args) => Call(add, arena, args);

    public void Mul(sbyte[] arena, int[] args) => Call(mul, arena, args);

    public void Softmax(sbyte[] arena, int[] args) => Call(softmax, arena, args);

    public void Concat(sbyte[] arena, int[] args) => Call(concat, arena, args);

    public void Lookup(sbyte[] arena, int[] args, sbyte[] table)
    {
        NotNull(arena, args, table);
        fixed (sbyte* a = arena, t = table)
        fixed (int* g = args)
        {
            Check(lookup(a, arena.Length, g, args.Length, t, table.Length));
        }
    }

    private static void Call(delegate* unmanaged<sbyte*, int, int*, int, int> kernel, sbyte[] arena, int[] args)
    {
        NotNull(arena, args);
        fixed (sbyte* a = arena)
        fixed (int* g = args)
        {
            Check(kernel(a, arena.Length, g, args.Length));
        }
    }

    /// <summary>The interop stubs throw NullReferenceException for a null array before the C runs.</summary>
    private static void NotNull(params Array?[] arrays)
    {
        if (arrays.Any(a => a is null))
        {
            throw new NullReferenceException("a null array for a native kernel");
        }
    }

    /// <summary>qe_status as the interop bodies map it: QE_OUT_OF_RANGE to IndexOutOfRangeException, others to ArgumentException.</summary>
    private static void Check(int status)
    {
        switch (status)
        {
            case 0:
                return;
            case 2:
                throw new IndexOutOfRangeException("a span outside its array (QE_OUT_OF_RANGE)");
            default:
                throw new ArgumentException($"bad argument (qe_status {status})");
        }
    }

    private sealed class Installation(IHostKernels? previous) : IDisposable
    {
        public void Dispose() => NativeMethods.Install(previous);
    }
}
