using System.Text;
using System.Text.Json;

namespace QuantEdge.Compiler.Deployment;

/// <summary>One file for nanoff to copy onto the device's storage.</summary>
/// <param name="DevicePath">Where it goes on the device, e.g. <c>I:\model.qem</c> (the ESP32's internal LittleFS drive).</param>
/// <param name="HostPath">The file on this machine, as an absolute path (nanoff may run from another folder).</param>
public sealed record DeployedFile(string DevicePath, string HostPath);

/// <summary>
/// nanoff's file-deployment JSON (<c>nanoff --filedeployment FILE</c>, shared/nanoframework-facts.md §4.1):
/// an optional <c>serialport</c> and a <c>files</c> array of <c>DestinationFilePath</c>/<c>SourceFilePath</c>
/// pairs. nanoff replaces files that exist; a serial port in the JSON takes precedence over its
/// <c>--serialport</c> argument.
/// </summary>
public static class FileDeployment
{
    /// <summary>Where the sensor-node firmware looks for a model before falling back to its embedded resource.</summary>
    public const string ModelDevicePath = @"I:\model.qem";

    /// <summary>Where the sensor-node firmware looks for its node configuration (node.bin).</summary>
    public const string NodeDevicePath = @"I:\node.bin";

    /// <summary>The JSON text, indented with two spaces, ending in a newline.</summary>
    public static string Json(IReadOnlyList<DeployedFile> files, string? serialPort = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        if (files.Count == 0)
        {
            throw new ArgumentException("nothing to deploy", nameof(files));
        }

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions
        {
            Indented = true,
            // Keeps '+' and non-ASCII path characters readable; the output is a file, never HTML.
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }))
        {
            json.WriteStartObject();
            if (!string.IsNullOrEmpty(serialPort))
            {
                json.WriteString("serialport", serialPort);
            }

            json.WriteStartArray("files");
            foreach (DeployedFile file in files)
            {
                if (!Path.IsPathFullyQualified(file.HostPath))
                {
                    throw new ArgumentException($"'{file.HostPath}' is not an absolute path", nameof(files));
                }

                json.WriteStartObject();
                json.WriteString("DestinationFilePath", file.DevicePath);
                json.WriteString("SourceFilePath", file.HostPath);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()).ReplaceLineEndings("\n") + "\n";
    }
}
