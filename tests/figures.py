"""Figures published outside the code under test, shared by the tests."""

# The instructor's answer key for AlexNet (shared/seeds/001_*.txt, labelled in
# shared/seeds/expected/001_*.yaml): units, weights without biases, connections without biases.
SEED_001_KEY = {
    "conv1": (290_400, 34_848, 105_415_200),
    "conv2": (186_624, 307_200, 223_948_800),
    "conv3": (64_896, 884_736, 149_520_384),
    "conv4": (64_896, 663_552, 112_140_288),
    "conv5": (43_264, 442_368, 74_760_192),
    "fc6": (4_096, 37_748_736, 37_748_736),
    "fc7": (4_096, 16_777_216, 16_777_216),
    "fc8": (1_000, 4_096_000, 4_096_000),
}
