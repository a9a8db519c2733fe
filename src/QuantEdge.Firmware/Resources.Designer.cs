//------------------------------------------------------------------------------
// The binary resources of Resources.resx, as nanoFramework's nFResXFileCodeGenerator writes them:
// each id is nanoFramework's 16-bit hash of the resource name (quantedge export --resx writes this
// file; it is committed because the generator runs only inside Visual Studio).
//------------------------------------------------------------------------------

namespace QuantEdge.Firmware
{
    internal partial class Resources
    {
        private static System.Resources.ResourceManager manager;

        internal static System.Resources.ResourceManager ResourceManager
        {
            get
            {
                if (System.Object.ReferenceEquals(manager, null))
                {
                    manager = new System.Resources.ResourceManager("QuantEdge.Firmware.Resources", typeof(Resources).Assembly);
                }

                return manager;
            }
        }

        internal static byte[] GetBytes(Resources.BinaryResources id)
        {
            return ((byte[])(nanoFramework.Runtime.Native.ResourceUtility.GetObject(ResourceManager, id)));
        }

        [System.SerializableAttribute()]
        internal enum BinaryResources : short
        {
            model = -2404,
            node = -30253,
        }
    }
}
