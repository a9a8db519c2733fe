namespace QuantEdge.NativeDeviceTests.Cases
{
    /// <summary>Every kernel the native path has, and a random case of each: the one list the host and device tests walk.</summary>
    internal static class Kinds
    {
        public const int Count = 11;

        public static string Name(int kind)
        {
            switch (kind)
            {
                case 0: return "FullyConnected";
                case 1: return "Conv2D";
                case 2: return "DepthwiseConv2D";
                case 3: return "MaxPool2D";
                case 4: return "AveragePool2D";
                case 5: return "GlobalAveragePool";
                case 6: return "Add";
                case 7: return "Mul";
                case 8: return "Lookup";
                case 9: return "Softmax";
                default: return "Concat";
            }
        }

        /// <summary>The kind of a kernel name (<see cref="Name"/>), or −1.</summary>
        public static int Of(string name)
        {
            for (int kind = 0; kind < Count; kind++)
            {
                if (Name(kind) == name)
                {
                    return kind;
                }
            }

            return -1;
        }

        /// <summary>Case <paramref name="index"/> of a kind: the same case on every machine (the seed is the kind and the index).</summary>
        public static KernelCase Case(int kind, int index)
        {
            CaseRandom r = new CaseRandom((uint)(kind * 1000003 + index) * 2654435761u + 1u);
            switch (kind)
            {
                case 0: return new FullyConnectedCase(r, index);
                case 1: return new Conv2DCase(r, index);
                case 2: return new DepthwiseConv2DCase(r, index);
                case 3: return new Pool2DCase(r, index, false);
                case 4: return new Pool2DCase(r, index, true);
                case 5: return new GlobalAveragePoolCase(r, index);
                case 6: return new AddCase(r, index);
                case 7: return new MulCase(r, index);
                case 8: return new LookupCase(r, index);
                case 9: return new SoftmaxCase(r, index);
                default: return new ConcatCase(r, index);
            }
        }
    }
}
