using System;
using QuantEdge.Runtime;
using NativeGC = nanoFramework.Runtime.Native.GC;

namespace QuantEdge.DeviceBench
{
    /// <summary>
    /// Heap taken by what stays alive, from the free bytes nanoFramework's collector reports before and
    /// after (GC.Run(false); never GC.Run(true): compaction crashes this interpreter build). The probes
    /// of known shapes let the host check its heap model (block size, headers) against the same run.
    /// </summary>
    internal static class HeapProbe
    {
        /// <summary>Keeps the measured object alive until the second collection.</summary>
        private static object held;

        /// <summary>Free heap bytes after a full (non-compacting) collection.</summary>
        public static long Free()
        {
            NativeGC.Run(false);
            return NativeGC.Run(false);
        }

        /// <summary>The probes' names, in <see cref="Make"/>'s order (allocated before any probe is measured).</summary>
        private static readonly string[] ProbeNames =
        {
            "object", "object with 3 int fields", "sbyte[0]", "sbyte[10000]", "int[1000]", "long[1000]", "object[1000]",
            "string of 10 chars", "string of 40 chars",
        };

        /// <summary>Bytes the objects of known shapes take: "heap,probe,&lt;what&gt;,&lt;bytes&gt;".</summary>
        public static void PrintProbes()
        {
            for (int kind = 0; kind < ProbeNames.Length; kind++)
            {
                Make(kind); // first calls may set up what the interpreter caches; not counted
                long before = Free();
                held = Make(kind);
                long after = Free();
                held = null;
                Console.WriteLine("heap,probe," + ProbeNames[kind] + "," + (before - after).ToString());
            }
        }

        /// <summary>Bytes a loaded model keeps: "heap,model,&lt;name&gt;,&lt;blob bytes&gt;,&lt;bytes&gt;". The blob is allocated before the first reading.</summary>
        public static void PrintModel(string name, byte[] blob)
        {
            // The managed layouts (what NanoHeap models), whatever kernels this interpreter has.
            Model.Load(blob, false); // a first load, so that anything the interpreter sets up once is not counted
            long before = Free();
            held = Model.Load(blob, false);
            long after = Free();
            Console.WriteLine("heap,model," + name + "," + blob.Length.ToString() + "," + (before - after).ToString());
            held = null;
        }

        private static object Make(int kind)
        {
            switch (kind)
            {
                case 0: return new object();
                case 1: return new ThreeInts(1, 2, 3);
                case 2: return new sbyte[0];
                case 3: return new sbyte[10000];
                case 4: return new int[1000];
                case 5: return new long[1000];
                case 6: return new object[1000];
                case 7: return new string(new char[] { 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j' });
                default: return new string('x', 40);
            }
        }

        private sealed class ThreeInts
        {
            public readonly int A, B, C;

            public ThreeInts(int a, int b, int c)
            {
                A = a;
                B = b;
                C = c;
            }
        }
    }
}
