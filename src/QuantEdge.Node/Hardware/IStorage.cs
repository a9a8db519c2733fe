using QuantEdge.Runtime;

namespace QuantEdge.Node.Hardware
{
    /// <summary>
    /// Named binary files: the model and node configuration the firmware was given (a file system
    /// such as the ESP32's <c>I:\</c>, or the application's embedded resources), and the node's
    /// state that survives a deep sleep.
    /// </summary>
    public interface IStorage
    {
        /// <summary>Where the files live, for messages: a prefix that names a file when its name follows (<c>I:\</c>, <c>resource </c>).</summary>
        string Name { get; }

        /// <summary>A small file whole (node.bin, the state), or null when there is none.</summary>
        byte[] Read(string name);

        /// <summary>
        /// A large file to be read in pieces (the model: <see cref="Model.Load(BlobSource)"/> never holds
        /// it whole), or null when there is none. A source that is <see cref="System.IDisposable"/> is
        /// disposed once the model is loaded, unless the model streams weights from it (<see cref="Model.WeightSource"/>):
        /// then it stays open while the node runs.
        /// </summary>
        BlobSource Open(string name);

        /// <summary>Replaces the file. Storage that cannot be written (resources) throws.</summary>
        void Write(string name, byte[] data);
    }
}
