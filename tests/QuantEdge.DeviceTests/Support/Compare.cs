namespace QuantEdge.DeviceTests.Support
{
    /// <summary>Element-wise comparison that says where two int8 arrays first differ.</summary>
    internal static class Compare
    {
        /// <summary>Null when equal, else "n of m differ, first at [i]: expected e got a".</summary>
        public static string Difference(sbyte[] expected, sbyte[] actual)
        {
            if (actual == null)
            {
                return "wrote outside its output";
            }

            if (expected.Length != actual.Length)
            {
                return "length " + actual.Length.ToString() + ", expected " + expected.Length.ToString();
            }

            int first = -1, count = 0;
            for (int i = 0; i < expected.Length; i++)
            {
                if (expected[i] != actual[i])
                {
                    if (first < 0) first = i;
                    count++;
                }
            }

            return count == 0 ? null : count.ToString() + " of " + expected.Length.ToString() + " differ, first at [" + first.ToString() +
                "]: expected " + expected[first].ToString() + " got " + actual[first].ToString();
        }
    }
}
