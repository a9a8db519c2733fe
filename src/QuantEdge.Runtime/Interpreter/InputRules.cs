namespace QuantEdge.Runtime.Interpreter
{
    /// <summary>
    /// How raw integer inputs become the int8 input (docs/blob-format.md, input quantization): one rule
    /// for every input element, one per channel, or one per feature; element i takes rule i mod count.
    /// </summary>
    internal sealed class InputRules
    {
        public readonly int[] RawOffset;
        public readonly int[] Multiplier;
        public readonly int[] Shift;
        public readonly int[] ZeroPoint;
        public readonly int[] UnitExponent;

        public InputRules(int count)
        {
            RawOffset = new int[count];
            Multiplier = new int[count];
            Shift = new int[count];
            ZeroPoint = new int[count];
            UnitExponent = new int[count];
        }

        /// <summary>The rule of input element <paramref name="index"/>.</summary>
        public int Of(int index)
        {
            return Multiplier.Length == 1 ? 0 : index % Multiplier.Length;
        }

        /// <summary>clamp(MultiplyByQuantizedMultiplier(raw − rawOffset, M, S) + zeroPoint, −128, 127), with element <paramref name="index"/>'s rule.</summary>
        public sbyte Quantize(int index, int raw)
        {
            int rule = Of(index);
            int q = FixedPoint.MultiplyByQuantizedMultiplier(raw - RawOffset[rule], Multiplier[rule], Shift[rule]) + ZeroPoint[rule];
            return (sbyte)(q < -128 ? -128 : q > 127 ? 127 : q);
        }
    }
}
