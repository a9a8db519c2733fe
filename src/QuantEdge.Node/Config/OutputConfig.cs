namespace QuantEdge.Node.Config
{
    /// <summary>A pin a model output drives (docs/node-format.md, output record).</summary>
    public sealed class OutputConfig
    {
        /// <summary>
        /// <see cref="NodeFormat.OutputGpio"/>: on while the class is the stable prediction; OutputPwm: duty =
        /// the class's score; OutputValuePwm: duty = the output mapped linearly from <see cref="LowCode"/> (0)
        /// to <see cref="HighCode"/> (1000 permille), clamped; OutputThreshold: on once the output reaches
        /// <see cref="OnCode"/>, off once it falls to <see cref="OffCode"/>.
        /// </summary>
        public int Kind;

        /// <summary>The model output (class) it follows.</summary>
        public int Output;

        public int Gpio;
        public bool ActiveLow;
        public int FrequencyHz;

        /// <summary>int8 codes of the output, converted from real units by node pack.</summary>
        public int LowCode, HighCode, OnCode, OffCode;

        /// <summary>Whether this output follows a class decision (only a classifier has them).</summary>
        public bool FollowsClass
        {
            get { return Kind == NodeFormat.OutputGpio || Kind == NodeFormat.OutputPwm; }
        }
    }
}
