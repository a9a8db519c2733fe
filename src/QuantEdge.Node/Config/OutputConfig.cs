namespace QuantEdge.Node.Config
{
    /// <summary>A pin a class drives (docs/node-format.md, output record).</summary>
    public sealed class OutputConfig
    {
        /// <summary><see cref="NodeFormat.OutputGpio"/> (on while the class is the stable prediction) or OutputPwm (duty = the class's score).</summary>
        public int Kind;
        public int ClassIndex;
        public int Gpio;
        public bool ActiveLow;
        public int FrequencyHz;
    }
}
