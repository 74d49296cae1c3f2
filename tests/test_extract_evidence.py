"""The general mechanisms of the extractor on documents written by hand: shapes normalised by
their structure, a section's network decided by the layer sequence its rows follow, parameters
told from weights by what the text says of biases, and readings the extractor is unsure of.

Every expected value is what the (invented) student wrote, or worked by hand from it."""
from __future__ import annotations

from extract_helpers import PAPER, PARAMS, Q, document, found, table

SHAPES = {"alexnet": (Q.SHAPE, Q.PARAMS)}


def test_shapes_in_framework_orders_are_height_width_channels():
    doc = document(
        "## AlexNet summary",
        table(["Layer (type:depth-idx)", "Output Shape", "Param #"],
              ["Conv2d: 1-1", "[1, 96, 55, 55]", "34,944"],      # torchinfo: batch first, channels first
              ["MaxPool2d: 1-2", "[-1, 96, 27, 27]", "--"],       # torchsummary
              ["Conv2d: 1-3", "(None, 27, 27, 256)", "614,656"]),  # Keras: batch first, channels last
        "conv3 output: 384 × 13 × 13",                            # channels first, written by hand
    )
    got = found(doc, SHAPES)
    assert got[("alexnet", "conv1", Q.SHAPE)] == [(55, 55, 96)]
    assert got[("alexnet", "pool1", Q.SHAPE)] == [(27, 27, 96)]
    assert got[("alexnet", "conv2", Q.SHAPE)] == [(27, 27, 256)]
    assert got[("alexnet", "conv3", Q.SHAPE)] == [(13, 13, 384)]
    assert got[("alexnet", "conv1", Q.PARAMS)] == [34944]
