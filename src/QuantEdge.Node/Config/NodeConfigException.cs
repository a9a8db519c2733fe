using System;

namespace QuantEdge.Node.Config
{
    /// <summary>A node.bin that breaks a rule of docs/node-format.md, or that does not fit the model.</summary>
    public sealed class NodeConfigException : Exception
    {
        public NodeConfigException(string detail)
            : base("node configuration rejected: " + detail)
        {
        }
    }
}
