"""The extract stage: a Document to Answers, each number a student wrote in its slot
(network, layer, quantity), with where it came from.

    from grader.extract import extract
    answers = extract(document, networks={"alexnet": (Quantity.UNITS, Quantity.WEIGHTS)})

How a number gets its slot (readings.py walks the document, slots.py places what it read):

1. Values. A table cell or the text after a label is a region; its value is read from its `=` chain
   (regions.py): "(11 x 11 x 3 x 96) + 96 = 34848" states 34848 and computes 34944; a list of
   in/out/kernel numbers before "=" is not part of it; without "=", the first expression is the
   answer and parenthesised remarks are commentary; dropped signs ("28 28 6") are restored; a link
   holding a symbol ("W_{conv1} x 55 x 55") cannot be evaluated, so only the stated result counts.
2. Sections: the network. A heading or a line that names one network ("Q2) Alexnet", "9) VGG/6",
   "ZFNET") starts a section for it; one that names a network that is not shipped ("Custom MLP")
   starts a section whose numbers go nowhere; a network named in passing inside a section that a
   heading started does not end it. Text before any such line names no network.
3. Quantity from words (vocabulary.yaml, longest phrase wins, fuzzy for headers): a column header
   ("# Units", "Parameter Count", "训练参数", "tensor size"), a prose label ("神经元数量：…",
   "降采样后：27*27*96" for a shape, "units=69,984", a name after the last "=", a student's symbol
   defined in a "Notation:" line), a word beside the number ("4,096 neurons", "there are 290,400
   neurons", "weights are 34,848"; not a word with a colon after it, which labels what follows), a
   label line or a line of quantity words above a list, or the heading above ("예제 1: AlexNet
   #Parameters"). Columns such as Filters, Kernel, Stride, In, Out hold no answers, nor do sizes in
   bytes ("Params size (MB)"), percentages ("~96% of the weights"), counts of what is no answer ("96
   filters") or a window ("3x3"); a layer kind is not a quantity (全连接, 완전연결: "fully connected").
   A table turned on its side (layers across, quantities down) is read turned back; a quantity/value
   table takes the current layer.
4. Layer from the row label (layers.py): names and aliases, kind and number literally (FC6, F6),
   else by ordinal (FC1 of AlexNet is fc6, Conv7 of VGG16 is conv3_3, 第14层 counts weighted layers,
   LeNet's "Layer 3" the paper's C3); "Pool(Conv 1)" is the convolution; an "Input" row or label gives
   the input shape. In prose a heading or a label that names a layer makes it current for the lines
   below, and within a line each mention that opens a clause owns the numbers after it ("FC6 has …;
   FC7 has …"); a layer named inside a value ("输入：conv5输出", "most of them in FC6") is a reference
   and does not. Within a table or a section's prose, a row that names a layer already passed, or
   none (VGG's "CONV3-64"), or the same number as other rows ("POOL2" for every pool), takes the next
   layer of its kind; prose that names the same layer again for another quantity ("N_conv1 = …",
   "W_conv1 = …") or under another heading stays on it; numbers that run on through modules of every
   kind (torchsummary's "Conv2d-1, ReLU-2, …, Conv2d-4") count modules: each row is the next layer of
   its kind. A repeated row with nowhere to go and only zeros (an "Output" row after "FC3") is a
   pseudo-layer: dropped.
5. Numbers as evidence (evidence.py), where the words are weak: a value equal to a layer's figure
   under the spec's conventions or a common perturbation (input 224/227, towers merged, connections
   with biases). It picks the network of a section that names none (among the asked ones first),
   moves a section to the network its numbers fit much better when another section already answers
   for the one it names (seed 003's torchvision AlexNet written under "Alexnet"; alone, such a section
   stays with the asked network so that the comparator can name the wrong variant), decides a
   headerless column's quantity by the majority of its values, doubts (lower confidence, same slot)
   a header all its values contradict, and places unlabelled numbers under a heading that names a
   quantity ("$$ 96 × 55 × 55 = 290,400 $$" under "#Activations") on the first layer they fit.
6. Fallbacks: a reading with no quantity of its own takes the heading's, else the one quantity the
   assignment asks of that network, else the one its value fits; else it is left out (a wrong value
   in a slot costs more than a missing one). A headerless column of parameters short of their
   biases, where only parameters are asked, is the parameters (the comparator names the pitfall). A total's quantity is the one whose per-layer answers it sums, else the one whose
   network total it equals. A total written before a section's rows ("ZFNET / → 61,100,840")
   closes the section before it. Numbers in a section that names no network, when several networks
   are asked and none fits them, are left out.

7. Rules for forms the above misses (tests/test_extract_rules.py): a heading of a convolution and its
   pooling ("### Layer 1 (CONV1 + POOL1)") is the convolution's, a bare kind under a heading is the
   heading's layer, and the product after an arrow in a layer's line is its shape; layers named
   together with no count of theirs ("conv2, conv4 and conv5 only see one GPU") open no row, and
   layers in the plural or summed ("the three FC layers", "FC6 + FC7 = 54M") hold no layer's count;
   a range ("conv3_2 ~ conv3_4: 590,080 each") gives each layer its value; one value may name two
   quantities ("weights = connections = …", "… parameters and connections", "the same number of
   connections"); an exact figure beats its rounded restatement ("= 34,848 ≈ 35K", "1.38 亿
   （138,357,544）"); "network: number" with no layer is its total, each network of a line its own
   (a bracketed remark names no layer; years and layer counts are no totals); a line that opens
   with a total is of totals; a numbered list under a line of quantities ("units / weights /
   connections") numbers the layers with weights; "#Parameters (no bias)" is the weights; a cell
   that is only a label ("memory:") labels the next; a listing cut into small tables runs on.

Confidence is 1.0 when words named the slot, and is multiplied down by each inference (0.9 for a
heading's quantity or a position in a VGG-style table, 0.8 for the single asked quantity, 0.7 for a
repaired row or a section moved by evidence, 0.6 for a header in doubt, 0.5 or less for a value
placed by its number alone).

Shapes are tuples (H, W, C) as written; a map written without its depth stays (H, W); an FC layer's
"4096 × 1" (or Keras' "(None, 4096)") is (4096,), the engine's shape for FC layers; "1 × 1 × 4096" stays as written.
"""
from __future__ import annotations

from typing import Mapping, Sequence

from grader.core import Answer, Document, Quantity

__all__ = ["extract"]


def extract(document: Document, *, networks: Mapping[str, Sequence[Quantity]]) -> tuple[Answer, ...]:
    """Every number the document states, in its slot. `networks`: the networks the assignment asks
    about and, for each, the quantities it asks (the fallback where a number's quantity has no
    label). Answers for other shipped networks may appear where a section is about one of them."""
    from grader.extract.readings import read_sections
    from grader.extract.slots import assign

    return tuple(assign(read_sections(document), networks))
