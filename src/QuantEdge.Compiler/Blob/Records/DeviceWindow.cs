namespace QuantEdge.Compiler.Blob;

/// <summary>
/// The sliding window of a device convolution or pool: filter size, stride, dilation, leading pads
/// (the trailing pads follow from the tensors' dims).
/// </summary>
public sealed record DeviceWindow(int FilterHeight, int FilterWidth, int StrideHeight = 1, int StrideWidth = 1,
    int DilationHeight = 1, int DilationWidth = 1, int PadTop = 0, int PadLeft = 0);
