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

        public override void Run()
        {
            model.SetInputs(input);
            model.Invoke();
        }
    }
}
