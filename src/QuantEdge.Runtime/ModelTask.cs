namespace QuantEdge.Runtime
{
    /// <summary>What a model's outputs mean (the blob's metadata records it; docs/blob-format.md).</summary>
    public enum ModelTask
    {
        /// <summary>One score per class; the largest wins (<see cref="Model.ArgMax"/>).</summary>
        Classification = 0,

        /// <summary>One or more real-valued outputs (a moisture, a temperature), each named.</summary>
        Regression = 1,

        /// <summary>One output: how unusual the input is, higher meaning more unusual.</summary>
        Anomaly = 2,
    }
}
