using System;
using QuantEdge.Node.Config;
using QuantEdge.Node.Hardware;
using QuantEdge.Node.Outputs;
using QuantEdge.Node.Sampling;
using QuantEdge.Runtime;

namespace QuantEdge.Node
{
    /// <summary>
    /// A sensor node: boots (configuration, model, self-test), then at every cycle samples its inputs,
    /// predicts, and drives its outputs, awake or in deep sleep between cycles. It reaches the world
    /// only through <see cref="NodeHardware"/>; the firmware wires real adapters in, tests and
    /// <c>quantedge simulate</c> fakes.
    /// <code>
    /// new NodeApp(hardware).Run();   // never returns
    /// </code>
    /// </summary>
    public sealed class NodeApp
    {
        /// <summary>File names in <see cref="IStorage"/> (resources drop the extension: "model", "node").</summary>
        public const string ModelFile = "model.qem", ConfigFile = "node.bin";

        private readonly NodeHardware hardware;
        private StatusLed led;
        private Sampler sampler;
        private OutputDriver outputs;
        private int[] raw;

        public NodeApp(NodeHardware hardware)
        {
            this.hardware = hardware;
            led = new StatusLed(hardware, -1, false);
        }

        /// <summary>The configuration, once read.</summary>
        public NodeConfig Config { get; private set; }

        /// <summary>The model, once loaded and self-tested.</summary>
        public Model Model { get; private set; }

        /// <summary>The decision the outputs show, and the one that may replace it.</summary>
        public Hysteresis Hysteresis { get; private set; }

        /// <summary>Why <see cref="Boot"/> failed: the status LED's blink count (<see cref="StatusLed"/>), or 0.</summary>
        public int Error { get; private set; }

        /// <summary>The class a classifier predicted at the last cycle (−1 before the first, when a sensor failed, or for another task).</summary>
        public int LastPrediction { get; private set; }

        /// <summary>Whether the last cycle made a prediction (false when a sensor failed).</summary>
        public bool Predicted { get; private set; }

        /// <summary>The model's int8 outputs at the last prediction (one per output; valid while <see cref="Predicted"/>).</summary>
        public sbyte[] Outputs { get; private set; }

        /// <summary>Which threshold outputs are on (bit i: output record i).</summary>
        public int ThresholdsOn
        {
            get { return outputs == null ? 0 : outputs.ThresholdsOn; }
        }

        /// <summary>Boots, then cycles forever. On a boot error it blinks the error's count forever (in deep sleep mode: once per wake).</summary>
        public void Run()
        {
            if (!Boot())
            {
                while (true)
                {
                    led.BlinkCount(Error);
                    if (Config != null && Config.DeepSleep)
                    {
                        hardware.Clock.DeepSleep(Config.SamplePeriodMs);
                    }
                }
            }

            while (true)
            {
                Sleep(Cycle());
            }
        }

        /// <summary>
        /// Reads the node configuration and the model (from <see cref="NodeHardware.Files"/> when there,
        /// else from <see cref="NodeHardware.Resources"/>), checks that they fit each other, runs the
        /// model's self-test, opens the pins and restores the state a deep sleep kept. Prints the boot
        /// line. False (with <see cref="Error"/> set and the reason printed) when the node must not predict.
        /// </summary>
        public bool Boot()
        {
            LastPrediction = -1;
            string configOrigin;
            byte[] configBytes = (byte[])FindFile(ConfigFile, false, out configOrigin);
            if (configBytes == null)
            {
                return Fail(StatusLed.ConfigurationError, "no node configuration: deploy node.bin to I:\\ or embed it as the 'node' resource");
            }

            try
            {
                Config = NodeConfig.Parse(configBytes);
            }
            catch (NodeConfigException e)
            {
                return Fail(StatusLed.ConfigurationError, configOrigin + ConfigFile + ": " + e.Message);
            }

            configBytes = null;
            led = new StatusLed(hardware, Config.StatusLedGpio, Config.StatusLedActiveLow);
            led.Open();
            led.Set(true);

            int freeBefore = hardware.Heap.FreeBytes();
            string modelOrigin;
            Model model = LoadModel(out modelOrigin);
            if (model == null)
            {
                return false;
            }

            int freeAfter = hardware.Heap.FreeBytes();
            try
            {
                Config.CheckModel(model);
            }
            catch (NodeConfigException e)
            {
                return Fail(StatusLed.ConfigurationError, configOrigin + ConfigFile + " does not fit " + modelOrigin + ModelFile + ": " + e.Message);
            }

            if (!model.SelfTest())
            {
                return Fail(StatusLed.SelfTestFailed, "self-test failed: this device does not compute what the host computed; no predictions");
            }

            Model = model;
            hardware.Log.WriteLine("QuantEdge node: model '" + model.Name + "' from " + modelOrigin + ModelFile + ", " + Config.ModelInputs.ToString()
                + " inputs, " + Config.ModelOutputs.ToString() + (model.Task == ModelTask.Classification ? " classes (" : " outputs (") + Labels()
                + "), model RAM " + (freeBefore - freeAfter).ToString()
                + " B, free heap " + freeAfter.ToString() + " B, self-test passed");
            hardware.Log.WriteLine("node: " + configOrigin + ConfigFile + ", every " + Config.SamplePeriodMs.ToString() + " ms"
                + (Config.DeepSleep ? " in deep sleep" : "") + ", hysteresis " + Config.Hysteresis.ToString() + ", inputs " + Wiring());

            sampler = new Sampler(Config.Inputs, hardware);
            sampler.OpenPins();
            raw = new int[Config.ModelInputs];
            Outputs = new sbyte[Config.ModelOutputs];
            Hysteresis = new Hysteresis(Config.Hysteresis);
            outputs = new OutputDriver(Config.Outputs, hardware);
            if (Config.DeepSleep && NodeState.TryDecode(ReadState(), Config.Crc, Config.ModelOutputs, Hysteresis, ref outputs.ThresholdsOn))
            {
                hardware.Log.WriteLine("state restored: outputs show " + Label(Hysteresis.Stable) + ", candidate " + Label(Hysteresis.Candidate)
                    + " " + Hysteresis.Count.ToString() + "/" + Config.Hysteresis.ToString() + ", thresholds on " + outputs.ThresholdsOn.ToString());
            }

            // The restored decisions go straight to the pins: no inactive glitch after each wake.
            outputs.Open();
            outputs.ShowClass(Hysteresis.Stable);
            outputs.ShowThresholds();

            led.Set(false);
            return true;
        }

        /// <summary>
        /// One cycle: sample, predict, update the outputs, save the state if it changed (deep sleep
        /// only). Returns how long to wait until the next cycle so that cycles start every sample period.
        /// </summary>
        public int Cycle()
        {
            long start = hardware.Clock.Milliseconds;
            LastPrediction = -1;
            Predicted = sampler.Sample(raw);
            if (!Predicted)
            {
                hardware.Log.WriteLine("sensor error: " + sampler.Failure + "; no prediction this cycle");
                led.BlinkCount(StatusLed.SensorError);
            }
            else
            {
                Predict();
                if (Config.Heartbeat)
                {
                    led.Heartbeat();
                }
            }

            long elapsed = hardware.Clock.Milliseconds - start;
            return elapsed >= Config.SamplePeriodMs ? 0 : (int)(Config.SamplePeriodMs - elapsed);
        }

        /// <summary>Waits until the next cycle: in deep sleep (on the device this never returns) or awake.</summary>
        public void Sleep(int milliseconds)
        {
            if (Config.DeepSleep)
            {
                hardware.Log.WriteLine("deep sleep " + milliseconds.ToString() + " ms");
                hardware.Clock.DeepSleep(milliseconds);
            }
            else if (milliseconds > 0)
            {
                hardware.Clock.Delay(milliseconds);
            }
        }

        private void Predict()
        {
            Model model = Model;
            for (int i = 0; i < raw.Length; i++)
            {
                model.SetRawInput(i, raw[i]);
            }

            model.Invoke();
            model.GetOutputs(Outputs);
            int stable = Hysteresis.Stable, candidate = Hysteresis.Candidate, count = Hysteresis.Count, thresholds = outputs.ThresholdsOn;
            bool classChanged = false;
            string line = "inputs";
            for (int i = 0; i < raw.Length; i++)
            {
                line += " " + raw[i].ToString();
            }

            if (model.Task == ModelTask.Classification)
            {
                LastPrediction = model.ArgMax();
                classChanged = Hysteresis.Update(LastPrediction);
                if (classChanged)
                {
                    outputs.ShowClass(Hysteresis.Stable);
                }

                line += " -> " + Label(LastPrediction) + " (q " + Outputs[LastPrediction].ToString() + ")";
                line += classChanged ? ", outputs now " + Label(Hysteresis.Stable)
                    : Hysteresis.Candidate >= 0 ? ", " + Label(Hysteresis.Candidate) + " " + Hysteresis.Count.ToString() + "/" + Config.Hysteresis.ToString()
                        + ", outputs stay " + Label(Hysteresis.Stable)
                    : "";
            }
            else
            {
                line += " ->";
                for (int i = 0; i < Outputs.Length; i++)
                {
                    line += " " + Label(i) + " q " + Outputs[i].ToString();
                }
            }

            if (outputs.ShowOutputs(Outputs))
            {
                line += ", thresholds on " + outputs.ThresholdsOn.ToString();
            }

            hardware.Log.WriteLine(line);
            if (Config.DeepSleep && (stable != Hysteresis.Stable || candidate != Hysteresis.Candidate || count != Hysteresis.Count
                || thresholds != outputs.ThresholdsOn))
            {
                SaveState();
            }
        }

        // The model read in pieces (Model.Load(BlobSource)): the heap never holds the blob and the model at once.
        private Model LoadModel(out string origin)
        {
            BlobSource source = (BlobSource)FindFile(ModelFile, true, out origin);
            if (source == null)
            {
                Fail(StatusLed.ModelError, "no model: deploy model.qem to I:\\ or embed it as the 'model' resource");
                return null;
            }

            Model model = null;
            try
            {
                model = Model.Load(source);
                return model;
            }
            catch (ModelFormatException e)
            {
                Fail(StatusLed.ModelError, origin + ModelFile + ": " + e.Message);
                return null;
            }
            catch (Exception e)
            {
                Fail(StatusLed.ModelError, origin + ModelFile + ": cannot be read: " + e.Message);
                return null;
            }
            finally
            {
                // A model whose layers stream their weights (Model.WeightSource) reads them from the source at every
                // inference: it stays open while the node runs.
                IDisposable disposable = source as IDisposable;
                if (disposable != null && (model == null || model.WeightSource != source))
                {
                    disposable.Dispose();
                }
            }
        }

        // The named file from the writable files first, else from the resources: whole (byte[]) or, with
        // inPieces, as a BlobSource; null when neither has it. A storage that fails is reported and skipped.
        private object FindFile(string name, bool inPieces, out string origin)
        {
            IStorage[] stores = { hardware.Files, hardware.Resources };
            for (int i = 0; i < stores.Length; i++)
            {
                IStorage store = stores[i];
                if (store == null)
                {
                    continue;
                }

                try
                {
                    object file = inPieces ? (object)store.Open(name) : store.Read(name);
                    if (file != null)
                    {
                        origin = store.Name;
                        return file;
                    }
                }
                catch (Exception e)
                {
                    hardware.Log.WriteLine("cannot read " + name + " from " + store.Name + ": " + e.Message);
                }
            }

            origin = null;
            return null;
        }

        private byte[] ReadState()
        {
            if (hardware.Files == null)
            {
                return null;
            }

            try
            {
                return hardware.Files.Read(NodeState.FileName);
            }
            catch (Exception e)
            {
                hardware.Log.WriteLine("cannot read the saved state: " + e.Message);
                return null;
            }
        }

        private void SaveState()
        {
            try
            {
                hardware.Files.Write(NodeState.FileName, NodeState.Encode(Hysteresis, outputs.ThresholdsOn, Config.Crc));
            }
            catch (Exception e)
            {
                hardware.Log.WriteLine("cannot save the state (hysteresis restarts after the next wake): " + e.Message);
            }
        }

        private bool Fail(int error, string message)
        {
            Error = error;
            led.Set(false);
            hardware.Log.WriteLine("error: " + message + " (status LED: " + error.ToString() + " blinks)");
            return false;
        }

        private string Label(int index)
        {
            if (index < 0)
            {
                return "none";
            }

            string label = Model.GetOutputName(index);
            return label == null ? (Model.Task == ModelTask.Classification ? "class " : "output ") + index.ToString() : label;
        }

        private string Labels()
        {
            string text = "";
            for (int i = 0; i < Config.ModelOutputs; i++)
            {
                text += (i == 0 ? "" : ", ") + Label(i);
            }

            return text;
        }

        private string Wiring()
        {
            string text = "";
            for (int i = 0; i < Config.Inputs.Length; i++)
            {
                string name = Model.GetFeatureName(i);
                text += (i == 0 ? "" : ", ") + (name == null ? i.ToString() : name) + "=" + Config.Inputs[i].Describe();
            }

            return text;
        }
    }
}
