"""The shipped networks built independently as torch.nn modules: their parameter counts and
output shapes must be the engine's. PyTorch is not a dependency; without it these tests skip."""
from __future__ import annotations

import pytest

torch = pytest.importorskip("torch", reason="PyTorch is not installed (it is not a dependency of the grader)")
nn = torch.nn

from grader.core import Quantity  # noqa: E402
from grader.reference.engine import Conventions, compute  # noqa: E402
from grader.reference.spec import load_network  # noqa: E402


class TrainableSubsampling(nn.Module):
    """LeNet-1998's S2/S4: the sum of a 2×2 window times one coefficient per map, plus one bias per map."""

    def __init__(self, maps: int):
        super().__init__()
        self.coefficient = nn.Parameter(torch.ones(maps))
        self.bias = nn.Parameter(torch.zeros(maps))

    def forward(self, x):
        summed = nn.functional.avg_pool2d(x, 2) * 4
        return summed * self.coefficient.view(1, -1, 1, 1) + self.bias.view(1, -1, 1, 1)


class PartialConv(nn.Module):
    """LeNet-1998's C3: each output map convolves only the input maps its table row lists."""

    def __init__(self, table, kernel: int):
        super().__init__()
        self.table = [list(row) for row in table]
        self.maps = nn.ModuleList(nn.Conv2d(len(row), 1, kernel) for row in self.table)

    def forward(self, x):
        return torch.cat([conv(x[:, row]) for conv, row in zip(self.maps, self.table)], dim=1)


class RBF(nn.Module):
    """LeNet-1998's output: one 84-value parameter vector per class, no bias."""

    def __init__(self, inputs: int, classes: int):
        super().__init__()
        self.centres = nn.Parameter(torch.zeros(classes, inputs))

    def forward(self, x):
        return ((x.unsqueeze(1) - self.centres) ** 2).sum(-1)


def alexnet(groups: int):
    return nn.Sequential(
        nn.Conv2d(3, 96, 11, stride=4), nn.ReLU(), nn.MaxPool2d(3, 2),
        nn.Conv2d(96, 256, 5, padding=2, groups=groups), nn.ReLU(), nn.MaxPool2d(3, 2),
        nn.Conv2d(256, 384, 3, padding=1), nn.ReLU(),
        nn.Conv2d(384, 384, 3, padding=1, groups=groups), nn.ReLU(),
        nn.Conv2d(384, 256, 3, padding=1, groups=groups), nn.ReLU(), nn.MaxPool2d(3, 2),
        nn.Flatten(), nn.Linear(9216, 4096), nn.ReLU(), nn.Linear(4096, 4096), nn.ReLU(), nn.Linear(4096, 1000))


def alexnet_torchvision():
    try:
        from torchvision.models import alexnet as build
    except ImportError:
        return nn.Sequential(
            nn.Conv2d(3, 64, 11, stride=4, padding=2), nn.ReLU(), nn.MaxPool2d(3, 2),
            nn.Conv2d(64, 192, 5, padding=2), nn.ReLU(), nn.MaxPool2d(3, 2),
            nn.Conv2d(192, 384, 3, padding=1), nn.ReLU(), nn.Conv2d(384, 256, 3, padding=1), nn.ReLU(),
            nn.Conv2d(256, 256, 3, padding=1), nn.ReLU(), nn.MaxPool2d(3, 2), nn.AdaptiveAvgPool2d(6),
            nn.Flatten(), nn.Dropout(), nn.Linear(9216, 4096), nn.ReLU(), nn.Dropout(),
            nn.Linear(4096, 4096), nn.ReLU(), nn.Linear(4096, 1000))
    return build(weights=None)


def lenet5():
    return nn.Sequential(nn.Conv2d(1, 6, 5), nn.MaxPool2d(2), nn.Conv2d(6, 16, 5), nn.MaxPool2d(2), nn.Flatten(),
                         nn.Linear(400, 120), nn.Linear(120, 84), nn.Linear(84, 10))


def lenet5_1998():
    table = load_network("lenet5-1998").layer("C3").connection_table
    return nn.Sequential(nn.Conv2d(1, 6, 5), TrainableSubsampling(6), PartialConv(table, 5), TrainableSubsampling(16),
                         nn.Conv2d(16, 120, 5), nn.Flatten(), nn.Linear(120, 84), RBF(84, 10))


def zfnet():
    return nn.Sequential(
        nn.Conv2d(3, 96, 7, stride=2, padding=1), nn.ReLU(), nn.MaxPool2d(3, 2, padding=1),
        nn.Conv2d(96, 256, 5, stride=2), nn.ReLU(), nn.MaxPool2d(3, 2, padding=1),
        nn.Conv2d(256, 384, 3, padding=1), nn.Conv2d(384, 384, 3, padding=1), nn.Conv2d(384, 256, 3, padding=1),
        nn.MaxPool2d(3, 2), nn.Flatten(), nn.Linear(9216, 4096), nn.Linear(4096, 4096), nn.Linear(4096, 1000))


def vgg(blocks):
    """Built from the paper's Table 1 (torchvision's VGG adds an adaptive pooling the paper has not)."""
    layers, channels = [], 3
    for count, filters in blocks:
        for _ in range(count):
            layers += [nn.Conv2d(channels, filters, 3, padding=1), nn.ReLU()]
            channels = filters
        layers.append(nn.MaxPool2d(2, 2))
    return nn.Sequential(*layers, nn.Flatten(), nn.Linear(7 * 7 * 512, 4096), nn.ReLU(),
                         nn.Linear(4096, 4096), nn.ReLU(), nn.Linear(4096, 1000))


VGG16 = [(2, 64), (2, 128), (3, 256), (3, 512), (3, 512)]  # configuration D
VGG19 = [(2, 64), (2, 128), (4, 256), (4, 512), (4, 512)]  # configuration E

# network, conventions, builder, input size
CASES = [
    ("alexnet", Conventions(), lambda: alexnet(groups=2), 227),
    ("alexnet", Conventions(towers=1), lambda: alexnet(groups=1), 227),
    ("alexnet-torchvision", Conventions(), alexnet_torchvision, 224),
    ("lenet5", Conventions(), lenet5, 32),
    ("lenet5-1998", Conventions(), lenet5_1998, 32),
    ("zfnet", Conventions(), zfnet, 224),
    ("vgg16", Conventions(), lambda: vgg(VGG16), 224),
    ("vgg19", Conventions(), lambda: vgg(VGG19), 224),
]

COUNTED = (nn.Conv2d, nn.Linear, nn.MaxPool2d, nn.AdaptiveAvgPool2d, TrainableSubsampling, PartialConv, RBF)


def layers_of(model):
    """The modules that are layers for the engine, in order (the parts of PartialConv excluded)."""
    found, skip = [], set()
    for module in model.modules():
        if id(module) in skip:
            continue
        if isinstance(module, PartialConv):
            skip.update(id(part) for part in module.maps)
        if isinstance(module, COUNTED):
            found.append(module)
    return found


@pytest.mark.parametrize("name, conventions, build, size", CASES,
                         ids=[f"{case[0]}-{case[1].describe()}" for case in CASES])
def test_torch_agrees(name, conventions, build, size):
    with torch.device("meta"):  # shapes without computing anything
        model = build()
    figures = compute(load_network(name), conventions)
    assert sum(p.numel() for p in model.parameters()) == figures.total(Quantity.PARAMS)

    modules = layers_of(model)
    assert len(modules) == len(figures.layers)
    shapes = []
    hooks = [module.register_forward_hook(lambda _m, _i, out: shapes.append(tuple(out.shape[1:])))
             for module in modules]
    model(torch.empty(1, load_network(name).input_shape[2], size, size, device="meta"))
    for hook in hooks:
        hook.remove()
    for module, shape, layer in zip(modules, shapes, figures.layers):
        engine_shape = (layer.shape[2], layer.shape[0], layer.shape[1]) if len(layer.shape) == 3 else layer.shape
        assert shape == engine_shape, layer.name
        assert sum(p.numel() for p in module.parameters()) == layer.params, layer.name
