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

        /// <summary>The whole file, or null when there is none.</summary>
        byte[] Read(string name);

        /// <summary>Replaces the file. Storage that cannot be written (resources) throws.</summary>
        void Write(string name, byte[] data);
    }
}
