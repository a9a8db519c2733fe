using System;

namespace QuantEdge.Runtime
{
    /// <summary>A model blob failed validation; <see cref="Reason"/> says which rule it broke.</summary>
    public sealed class ModelFormatException : Exception
    {
        /// <summary>Creates the exception for a broken rule and a human-readable detail.</summary>
        public ModelFormatException(ModelError reason, string detail)
            : base("Model blob rejected (" + Describe(reason) + "): " + detail)
        {
            Reason = reason;
        }

        /// <summary>The rule the blob broke.</summary>
        public ModelError Reason { get; }

        /// <summary>A short name for a reason code (enum names are not available as strings on nanoFramework).</summary>
        public static string Describe(ModelError reason)
        {
            switch (reason)
            {
                case ModelError.BadMagic: return "bad magic";
                case ModelError.UnsupportedVersion: return "unsupported version";
                case ModelError.Truncated: return "truncated";
                case ModelError.ChecksumMismatch: return "checksum mismatch";
                case ModelError.BadHeader: return "bad header";
                case ModelError.BadTensor: return "bad tensor";
                case ModelError.BadOp: return "bad op";
                case ModelError.BadOpParameters: return "bad op parameters";
                case ModelError.BadDataReference: return "bad data reference";
                case ModelError.BadMetadata: return "bad metadata";
                case ModelError.BadGoldenVector: return "bad golden vector";
                case ModelError.TooLarge: return "too large";
                default: return "unknown";
            }
        }
    }
}
