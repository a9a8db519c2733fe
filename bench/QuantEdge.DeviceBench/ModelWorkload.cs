using QuantEdge.Runtime;

namespace QuantEdge.DeviceBench
{
    /// <summary>One inference of a whole model: its golden input copied in (SetInputs), then Invoke.</summary>
    internal sealed class ModelWorkload : Workload
    {
        private readonly Model model;
        private readonly sbyte[] input;

        public ModelWorkload(string name, Model model)
            : base(name, "MAC", model.Macs)
        {
            this.model = model;
            input = model.GetGoldenInput();
        }

        /// <summary>
        /// A workload per model, named as given; with <paramref name="native"/> on the kernels the firmware has (its
        /// names then end in <see cref="NativeWorkloads.Suffix"/>), else on the managed kernels whatever it has.
        /// </summary>
        public static Workload[] All(string[] names, byte[][] blobs, bool native)
        {
            Workload[] all = new Workload[names.Length];
            for (int m = 0; m < names.Length; m++)
            {
                all[m] = new ModelWorkload(native ? names[m] + NativeWorkloads.Suffix : names[m], Model.Load(blobs[m], native));
            }

            return all;
        }

        public override void Run()
        {
            model.SetInputs(input);
            model.Invoke();
        }
    }
}
