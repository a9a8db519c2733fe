namespace QuantEdge.Node.Config
{
    /// <summary>The constants of node.bin (docs/node-format.md), shared by its reader and the host's writer.</summary>
    public static class NodeFormat
    {
        /// <summary>"QEN1", little-endian.</summary>
        public const int Magic = 0x314E4551;
        public const int VersionMajor = 1;
        public const int VersionMinor = 0;
        public const int HeaderLength = 60;

        /// <summary>The CRC covers bytes [CrcStart, length).</summary>
        public const int CrcStart = 16;

        public const int InputWords = 12;
        public const int OutputWords = 6;

        public const int FlagDeepSleep = 1;
        public const int FlagHeartbeat = 2;

        public const int MinSamplePeriodMs = 100;
        public const int MaxSamplePeriodMs = 86400000;
        public const int MaxHysteresis = 255;
        public const int MaxGpio = 63;
        public const int MaxInputs = 256;
        public const int MaxOutputs = 32;
        public const int MaxSamples = 1024;
        public const int MaxIntervalMs = 1000;
        public const int MaxShift = 62;
        public const int MaxPwmFrequencyHz = 40000000;

        // Input kinds.
        public const int InputConstant = 0;
        public const int InputAdc = 1;
        public const int InputDigital = 2;
        public const int InputI2c = 3;

        // Statistics over an input's samples.
        public const int StatisticMean = 0;
        public const int StatisticMin = 1;
        public const int StatisticMax = 2;
        public const int StatisticRange = 3;

        // I2C format word: byte count + these flags.
        public const int I2cBigEndian = 256;
        public const int I2cSigned = 512;

        /// <summary>An I2C input record's last word: this flag + SDA + 256 × SCL, or 0 for the firmware's default pins.</summary>
        public const int I2cPinsGiven = 65536;

        // Output kinds: a class's pin and its score as PWM (classifiers); a value as PWM, or as a pin
        // through two thresholds (any model).
        public const int OutputGpio = 1;
        public const int OutputPwm = 2;
        public const int OutputValuePwm = 3;
        public const int OutputThreshold = 4;
    }
}
