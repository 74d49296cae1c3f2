"""The pitfalls: the known mistakes, by name (PITFALLS.md, the project's copy of ../shared/PITFALLS.md: same codes).

One explicit table. Each entry has its code, a title, the explanation a student reads in ruff's
four sections (what it does, why it is bad, an example, what to do instead) and its detection:
a perturbation of the reference engine (perturb.py) and/or a check of the student's own work
(checks.py). Codes never change meaning. The team's codes come first, in the team's order; the
project's own (graphs and costs: batch norm, shortcuts, memory, FLOPs) follow them.

`charged` says what one occurrence of the mistake is (the comparator charges each once, see
grader/compare/__init__.py): "network", a way of working applied wherever it fits (biases counted,
the towers merged: one root mistake however many layers show it); "layer", a fact of one layer
got wrong (its filters); "answer", a slip in one number (a digit copied wrong), each its own.
"""
from __future__ import annotations

from dataclasses import dataclass

from grader.compare import checks, perturb
from grader.compare.checks import Check
from grader.compare.perturb import Perturbation


@dataclass(frozen=True, slots=True)
class Pitfall:
    code: str
    title: str
    what: str  # What it does: what the student did
    why: str  # Why is this bad?
    example: str  # Example: the mistake, in figures
    instead: str  # Use instead: the right working
    perturbation: Perturbation | None = None
    check: Check | None = None
    charged: str = "network"  # "network", "layer" or "answer": what one occurrence is

    @property
    def detection(self) -> str:
        parts = [d.description for d in (self.perturbation, self.check) if d is not None]
        return "; or ".join(parts)


_CATALOGUE = (
    # ------------------------------------------------------------ conventions and the input
    Pitfall(
        "input-224", "Input taken as 224×224 instead of 227×227",
        what="Uses the 224×224×3 input the AlexNet paper's text states.",
        why="With 224, conv1's output is (224-11)/4+1 = 54.25, not a whole number: the paper's own sizes "
            "(55×55 after conv1, 6×6×256 before fc6) only work out from 227×227×3. Every later layer inherits "
            "the wrong size.",
        example="conv1 units 54·54·96 = 279,936; fc6 input 5·5·256 = 6,400, so fc6 weights 6,400·4,096 = 26,214,400.",
        instead="Start from 227×227×3: conv1 output (227-11)/4+1 = 55, units 55·55·96 = 290,400; fc6 input "
                "6·6·256 = 9,216, weights 9,216·4,096 = 37,748,736.",
        perturbation=perturb.INPUT_224,
        check=checks.INPUT_224_STATED,
    ),
    Pitfall(
        "caption-253440", "conv1's neurons copied from the Figure 2 caption",
        what="Gives 253,440 as the number of neurons of conv1, as the caption of the paper's Figure 2 does.",
        why="The caption's first figure is a known misprint: it matches neither 224 nor 227 as input. The "
            "neurons of conv1 are its output map, height × width × filters.",
        example="conv1 units 253,440.",
        instead="conv1 units = 55·55·96 = 290,400.",
        perturbation=perturb.CAPTION_253440,
        charged="layer",
    ),
    Pitfall(
        "bias-counted", "Biases counted as weights",
        what="Adds the biases into a count the assignment asks for without them (weights).",
        why="Weights are the kernel (or matrix) entries only; a bias is a separate parameter, one per filter "
            "or output neuron. Counting them makes every weight count too large by the number of filters.",
        example="conv1 weights (11·11·3+1)·96 = 34,944.",
        instead="conv1 weights 11·11·3·96 = 34,848 (its 96 biases are counted apart, if asked).",
        perturbation=perturb.BIAS_COUNTED,
    ),
    Pitfall(
        "bias-missed", "Biases left out of the parameters",
        what="Leaves the biases out where the assignment asks for parameters, which include them.",
        why="Every filter and every output neuron has a trainable bias; the parameter count is weights + biases.",
        example="fc8 parameters 4,096·1,000 = 4,096,000.",
        instead="fc8 parameters 4,096·1,000 + 1,000 = 4,097,000.",
        perturbation=perturb.BIAS_MISSED,
    ),
    # ------------------------------------------------------------ the two towers
    Pitfall(
        "tower-split-missed", "The two-GPU split ignored",
        what="Gives a split layer (AlexNet's conv2, conv4, conv5) filters that see every input channel.",
        why="AlexNet runs on two GPUs: in conv2, conv4 and conv5 each filter sees only the feature maps of its "
            "own GPU, half of the input channels. Its kernels are half as deep, so the weights are half.",
        example="conv2 weights 5·5·96·256 = 614,400.",
        instead="conv2 weights 5·5·48·256 = 307,200 (each filter sees its own tower's 48 channels).",
        perturbation=perturb.TOWER_SPLIT_MISSED,
    ),
    Pitfall(
        "tower-over-split", "A cross-tower layer split",
        what="Halves the input depth of a layer that connects across both towers (AlexNet's conv3, fc6-fc8).",
        why="conv3 and the fully connected layers take their input from both GPUs: each filter or neuron "
            "sees every channel of the layer below.",
        example="conv3 weights 3·3·128·384 = 442,368.",
        instead="conv3 weights 3·3·256·384 = 884,736.",
        perturbation=perturb.TOWER_OVER_SPLIT,
    ),
    Pitfall(
        "tower-half-counted", "Only one tower's filters counted",
        what="Counts the filters of one GPU only for a split layer.",
        why="Both towers hold filters: a split layer's 256 filters are 128 per GPU, and all of them count.",
        example="conv2 weights 5·5·48·128 = 153,600.",
        instead="conv2 weights 5·5·48·128·2 = 5·5·48·256 = 307,200.",
        perturbation=perturb.TOWER_HALF_COUNTED,
    ),
    # ------------------------------------------------------------ what a quantity means
    Pitfall(
        "connections-as-weights", "Connections given as the weight count",
        what="Gives a conv layer's weight count as its number of connections.",
        why="A conv layer reuses each weight at every output position: every output neuron has its own "
            "connections. Connections are weights × output positions (for a conv layer; for an FC layer they "
            "are equal).",
        example="conv1 connections 34,848.",
        instead="conv1 connections 34,848·55·55 = 105,415,200.",
        perturbation=perturb.CONNECTIONS_AS_WEIGHTS,
    ),
    Pitfall(
        "units-as-weights", "Units given as the weight count",
        what="Gives the weight count (or one filter's kernel product) as the number of neurons of a layer.",
        why="Units are the neurons of the layer's output map, height × width × filters; the kernel size says "
            "how many inputs each neuron has, not how many neurons there are.",
        example="conv1 units 11·11·3·96 = 34,848.",
        instead="conv1 units 55·55·96 = 290,400.",
        perturbation=perturb.UNITS_AS_WEIGHTS,
    ),
    Pitfall(
        "units-after-pool", "A conv layer's units taken after pooling",
        what="Gives the pooled map that follows a conv layer as that layer's neurons.",
        why="The conv layer's neurons are its own output, before the max pooling that follows it; the pooling "
            "is a separate layer with a smaller map.",
        example="conv1 units 27·27·96 = 69,984.",
        instead="conv1 units 55·55·96 = 290,400 (27·27·96 is pool1's output).",
        perturbation=perturb.UNITS_AFTER_POOL,
    ),
    Pitfall(
        "wrong-input-channels", "Kernels given the wrong depth",
        what="Computes a conv layer's kernels with a depth of 1 or 3 (the image's channels) instead of the "
             "channels of the layer below.",
        why="A filter spans every channel it sees of its input: conv1 sees the 3 colour channels, conv2 the "
            "feature maps conv1 made (48 per tower), conv3 all 256 of conv2's.",
        example="conv1 parameters 11·11·1·96+96 = 11,712 (one channel); conv2 weights 5·5·3·256 = 19,200.",
        instead="conv1 parameters 11·11·3·96+96 = 34,944; conv2 weights 5·5·48·256 = 307,200.",
        perturbation=perturb.WRONG_INPUT_CHANNELS,
    ),
    Pitfall(
        "bias-per-input-channel", "One bias per input channel",
        what="Adds a bias per input channel of each filter: (k·k+1)·Cin·Cout.",
        why="A filter has one bias, whatever its depth: its output is the sum over all its input channels plus "
            "one bias. The parameters are (k·k·Cin+1)·Cout.",
        example="conv1 (11·11+1)·3·96 = 35,136.",
        instead="conv1 (11·11·3+1)·96 = 34,944 parameters (34,848 weights and 96 biases).",
        perturbation=perturb.BIAS_PER_INPUT_CHANNEL,
    ),
    Pitfall(
        "fc-bias-wrong-side", "FC biases counted per input",
        what="Counts an FC layer's parameters as in·(out+1).",
        why="An FC layer has one bias per output neuron, so (in+1)·out; in·(out+1) gives one per input.",
        example="fc8 4,096·1,001 = 4,100,096.",
        instead="fc8 (4,096+1)·1,000 = 4,097,000 parameters (4,096,000 weights).",
        perturbation=perturb.FC_BIAS_WRONG_SIDE,
    ),
    Pitfall(
        "fc6-input-wrong", "Wrong input size for the first FC layer",
        what="Gives the first fully connected layer an input other than the flattened output of the last "
             "pooling layer.",
        why="fc6 is connected to every value of the map before it: AlexNet's pool3 output 6×6×256 = 9,216 "
            "values, not its 256 channels alone, nor the map before pooling.",
        example="fc6 4,096·(256+1) = 1,052,672.",
        instead="fc6 weights 6·6·256·4,096 = 37,748,736.",
        perturbation=perturb.FC6_INPUT_WRONG,
    ),
    Pitfall(
        "pool-params-counted", "Parameters given to max pooling",
        what="Gives trainable parameters to a max-pooling layer.",
        why="Max pooling takes the largest value of each window: it has nothing to learn. (Only LeNet-1998's "
            "subsampling layers had a trainable coefficient and bias per map.)",
        example="pool1 parameters 2·96 = 192.",
        instead="pool1 parameters 0.",
        check=checks.POOL_PARAMS_COUNTED,
    ),
    Pitfall(
        "padding-missed", "Padding left out of an output size",
        what="Computes a layer's output size without its padding.",
        why="Padding adds rows and columns around the input before the kernel slides: output = "
            "(input + 2·padding - kernel)/stride + 1. Leaving it out shrinks this layer and every later one.",
        example="conv2 output (27-5)/1+1 = 23, so 23×23×256.",
        instead="conv2 output (27+2·2-5)/1+1 = 27, so 27×27×256.",
        perturbation=perturb.PADDING_MISSED,
    ),
    Pitfall(
        "stride-missed", "Stride left out of an output size",
        what="Computes a layer's output size as if the kernel moved one pixel at a time.",
        why="With stride s the kernel jumps s pixels: output = (input + 2·padding - kernel)/s + 1.",
        example="conv1 output (227-11)/1+1 = 217, so 217·217·96 = 4,520,544 units.",
        instead="conv1 output (227-11)/4+1 = 55, so 55·55·96 = 290,400 units.",
        perturbation=perturb.STRIDE_MISSED,
    ),
    Pitfall(
        "filters-wrong", "Wrong number of filters",
        what="Uses another number of filters (output channels) than the layer has.",
        why="The filters of a conv layer set the depth of its output and multiply its weights; the spec gives "
            "them (AlexNet conv1: 96).",
        example="conv1 with \"55 filters\": 55·55·55 = 166,375 units.",
        instead="conv1 has 96 filters: 55·55·96 = 290,400 units.",
        check=checks.FILTERS_WRONG,
        charged="layer",
    ),
    Pitfall(
        "wrong-variant", "Another variant of the network",
        what="Answers for another well-known version of the network than the one asked.",
        why="Several networks go by the name: torchvision's AlexNet has 64-192-384-256-256 filters and "
            "61,100,840 parameters; the paper's two-tower AlexNet has 96-256-384-384-256. LeNet-5 as LeCun et al. "
            "published it in 1998 has a partially connected C3 (1,516 parameters), trainable subsampling (S2 12, "
            "S4 32) and an RBF output (840), 60,840 parameters; today's LeNet-5 has 61,706. The figures differ "
            "layer by layer.",
        example="conv1 parameters 11·11·3·64+64 = 23,296 (torchvision).",
        instead="conv1 of the paper's AlexNet: 11·11·3·96+96 = 34,944 parameters.",
        perturbation=perturb.WRONG_VARIANT,
    ),
    # ------------------------------------------------------------ the student's own numbers
    Pitfall(
        "arithmetic-slip", "The expression does not give the result written",
        what="Writes an expression and a result that do not agree.",
        why="Whichever of the two was meant, one of them is wrong, and a reader cannot tell which.",
        example="(11×11×3×96)+96 = 34,848 (the expression is 34,944).",
        instead="Evaluate the expression again: (11×11×3×96)+96 = 34,944, or drop the +96 if biases are not asked.",
        check=checks.ARITHMETIC_SLIP,
        charged="answer",
    ),
    Pitfall(
        "transcription-slip", "A number copied wrong",
        what="Gets the working right but writes the number with one or two digits swapped, dropped or "
             "doubled, or grouped oddly.",
        why="The figure written is not the one worked out: 336,936 is not 663,936, and 61,4656 can be read "
            "as 614,656 or as 6,14,656.",
        example="conv4 336,936 for 663,936; \"61,4656\".",
        instead="Copy the result digit by digit and group digits by three: 663,936; 614,656.",
        check=checks.TRANSCRIPTION_SLIP,
        charged="answer",
    ),
    Pitfall(
        "total-inconsistent", "A total that is not the sum of the layers",
        what="Gives a total that differs from the sum of their own per-layer values.",
        why="A total is the sum of the layers; when they disagree, at least one of them is wrong.",
        example="per-layer parameters adding up to 60,965,224 with a total of 60,965,128.",
        instead="Add the per-layer values again and give that sum as the total.",
        check=checks.TOTAL_INCONSISTENT,
        charged="answer",
    ),
    Pitfall(
        "misplaced-answer", "The right number in the wrong place",
        what="Gives a figure that belongs to another slot: swapped rows or columns, another layer's value, "
             "another network's answer.",
        why="The number is right, but for another question: this slot's answer is missing.",
        example="conv2 units 64,896 (conv3's units).",
        instead="conv2 units 27·27·256 = 186,624; 64,896 = 13·13·384 belongs to conv3.",
        check=checks.MISPLACED_ANSWER,
        charged="answer",
    ),
    # ------------------------------------------------------------ the project's own: graphs
    Pitfall(
        "bn-params-four", "Batch norm given 4 parameters per channel",
        what="Counts a batch-norm layer's running mean and variance with its parameters: 4 per channel.",
        why="A batch norm learns a scale and a shift per channel: 2 parameters. Its running mean and variance "
            "are statistics it keeps, not trained by the gradient (PyTorch keeps them as buffers, outside "
            "parameters()).",
        example="ResNet-18 bn1 (64 channels): 4·64 = 256 parameters.",
        instead="bn1: 2·64 = 128 parameters (64 scales, 64 shifts); the 128 running statistics apart, if asked.",
        perturbation=perturb.BN_PARAMS_FOUR,
    ),
    Pitfall(
        "depthwise-as-full", "A depthwise convolution counted as a full one",
        what="Gives a depthwise (or grouped) convolution's filters every input channel.",
        why="In a depthwise convolution (groups = channels) each filter sees one channel; in a grouped one, its "
            "group's share. That is what makes MobileNet's blocks cheap: k·k·1·C weights, not k·k·C·C.",
        example="MobileNetV2 features.1.depthwise (3×3, 32 channels): 3·3·32·32 = 9,216 weights.",
        instead="features.1.depthwise: 3·3·1·32 = 288 weights (each of the 32 filters sees its own channel).",
        perturbation=perturb.DEPTHWISE_AS_FULL,
    ),
    Pitfall(
        "projection-shortcut-missed", "The projection shortcut forgotten",
        what="Leaves out the 1×1 convolution (and its batch norm) on the shortcut of a residual block that "
             "changes the shape.",
        why="Where a block halves the map and widens the channels, the identity cannot be added to the block's "
            "output: the shortcut is a 1×1 convolution with stride 2 and a batch norm, with parameters of their "
            "own.",
        example="ResNet-18 total 11,515,688 parameters: 11,689,512 less the three shortcuts' "
                "8,192+256, 32,768+512 and 131,072+1,024.",
        instead="Count layer2.0.downsample (1·1·64·128 = 8,192 weights, batch norm 256), and likewise in layer3 "
                "and layer4: 11,689,512 in all.",
        perturbation=perturb.PROJECTION_SHORTCUT_MISSED,
    ),
    Pitfall(
        "add-with-weights", "A residual sum counted as a layer with weights",
        what="Gives parameters to a residual addition (or a concatenation).",
        why="A sum adds its inputs element by element, a concatenation stacks them: neither learns anything. "
            "The weights are in the convolutions on either branch.",
        example="ResNet-18 layer1.0.add: 64·64 = 4,096 parameters.",
        instead="layer1.0.add: 0 parameters.",
        check=checks.ADD_WITH_WEIGHTS,
    ),
    # ------------------------------------------------------------ the project's own: costs
    Pitfall(
        "flops-vs-macs", "FLOPs and MACs confused (a factor of 2)",
        what="Gives 2·MACs where the assignment counts a multiply-add as one operation, or MACs where it "
             "counts a multiply and an add.",
        why="A MAC (multiply-accumulate) is a multiply and an add. Tables disagree on which they call a FLOP: "
            "torchvision's GFLOPS and EECS 498's \"flop\" column count MACs; others count 2 per MAC. The "
            "assignment says which.",
        example="torchvision AlexNet (input 227) conv1 flop 2·64·56·56·11·11·3 = 145,711,104, written 146 M "
                "where MACs are asked.",
        instead="conv1: 64·56·56 outputs × 11·11·3 multiply-adds each = 72,855,552, 73 M.",
        perturbation=perturb.FLOPS_VS_MACS,
    ),
    Pitfall(
        "memory-as-elements", "Memory given as the number of elements",
        what="Gives a layer's output elements as its memory, as if each took one byte.",
        why="Each activation is a 32-bit float: 4 bytes. The memory of an output is its elements × 4.",
        example="conv1 output 64·56·56 = 200,704 elements, written 196 KB.",
        instead="conv1: 200,704·4 = 802,816 bytes = 784 KB.",
        perturbation=perturb.MEMORY_AS_ELEMENTS,
    ),
    Pitfall(
        "kilo-1000-vs-1024", "KB taken as 1000 bytes (or 1024 where 1000 is asked)",
        what="Converts bytes to KB (or MB) with the other kilo than the assignment's.",
        why="A KB is 1,024 bytes in the binary convention, 1,000 in the decimal one; the assignment says "
            "which. 2.4% off at KB, 4.9% at MB: enough to change every rounded figure.",
        example="conv1 802,816 bytes / 1,000 = 803 KB where 1 KB = 1,024 bytes.",
        instead="conv1 802,816 / 1,024 = 784 KB.",
        perturbation=perturb.KILO_1000_VS_1024,
    ),
    Pitfall(
        "batch-counted", "The batch counted",
        what="Multiplies a layer's memory or FLOPs by the batch size where one image's are asked.",
        why="The table is per image: every figure scales with the batch, so it is stated for one. (Training "
            "memory is another question: the batch's activations, kept for the backward pass.)",
        example="conv1 memory for a batch of 128: 802,816·128 = 102,760,448 bytes, 100,352 KB.",
        instead="conv1 memory for one image: 802,816 bytes = 784 KB.",
        perturbation=perturb.BATCH_COUNTED,
    ),
    Pitfall(
        "flops-on-pool-relu", "FLOPs charged to pooling or ReLU",
        what="Counts operations for a pooling layer (one per window element per output) or adds a ReLU's (one "
             "per element) to a layer, where the assignment charges FLOPs to the weighted layers only.",
        why="Pooling, ReLU, batch norm and sums do a few operations per element, tiny beside a convolution's; "
            "the convention (torchvision's, EECS 498's) leaves them out and counts the multiply-adds of "
            "convolutional and fully connected layers.",
        example="pool1 (3×3 windows, output 64·27·27): 46,656·9 = 419,904, written 0.4 M.",
        instead="pool1: 0 FLOPs under this convention.",
        perturbation=perturb.FLOPS_ON_POOL_RELU,
    ),
)

PITFALLS: dict[str, Pitfall] = {pitfall.code: pitfall for pitfall in _CATALOGUE}
# The order of the catalogue breaks ties between equally simple explanations.
RANK: dict[str, int] = {code: rank for rank, code in enumerate(PITFALLS)}
# Every perturbation the comparator searches: the pitfalls', and the conventions a rubric may accept.
PERTURBATIONS: dict[str, Perturbation] = {
    **{p.code: p.perturbation for p in _CATALOGUE if p.perturbation is not None},
    "connections_with_bias": perturb.CONNECTIONS_WITH_BIAS,
    "connections_as_flops": perturb.CONNECTIONS_AS_FLOPS,
}
RANK["connections_with_bias"] = -1  # a convention, not a mistake: the first explanation to try
# Another quantity than the one asked, said so (no pitfall names it): the last explanation to try,
# after every mistake that doubles a count (a merged tower doubles conv2's connections too).
RANK["connections_as_flops"] = len(RANK)

__all__ = ["PITFALLS", "PERTURBATIONS", "RANK", "Pitfall"]
