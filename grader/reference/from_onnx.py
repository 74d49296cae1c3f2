"""A network spec from an ONNX model: `grader reference --from model.onnx`.

The graph's layers become the spec's (reference/*.yaml, grader/reference/spec.py): Conv, Gemm and
MatMul with their initializers' shapes, BatchNormalization, Max/AveragePool and their global forms,
Add and Concat of two layers, and the operators that pass their input on (activations, Dropout,
Flatten, Reshape, Softmax, LRN). Nodes off the data path (the Shape, Gather and Constant nodes a
PyTorch export computes a Reshape's target with) are left out. Where a layer has weights, its name
is its weight's without ".weight" (PyTorch's module name: `features.0`); else the node's name.

The `onnx` package is the optional extra `[onnx]`; it is imported only here.
"""
from __future__ import annotations

import math
import re
from pathlib import Path

from grader.core import GraderError
from grader.reference.spec import INPUT

EXTRA = "reading an ONNX model needs the onnx extra: pip install -e \".[onnx]\" (or pip install onnx)"
# Operators that keep their input's shape (and count nothing): the spec's pass-through kinds.
PASS_THROUGH = {"Relu": "relu", "LeakyRelu": "relu", "PRelu": "relu", "Sigmoid": "relu", "Tanh": "relu",
                "Clip": "relu", "HardSigmoid": "relu", "HardSwish": "relu", "Elu": "relu", "Selu": "relu",
                "Gelu": "relu", "Dropout": "dropout", "Softmax": "softmax", "LogSoftmax": "softmax",
                "LRN": "lrn", "Flatten": "flatten", "Reshape": "flatten", "Identity": "relu"}


def _onnx():
    try:
        import onnx
    except ImportError:
        raise GraderError(EXTRA) from None
    return onnx


def spec_from_onnx(path: str | Path, *, name: str | None = None) -> dict:
    """The spec (as reference/*.yaml holds it) of the ONNX model at `path`; GraderError naming the
    file and the node where the graph holds what a spec cannot say."""
    onnx = _onnx()
    path = Path(path)
    try:
        model = onnx.load(str(path))
    except FileNotFoundError:
        raise GraderError(f"{path}: no such file") from None
    except Exception as err:  # noqa: BLE001 - protobuf's decode errors have no common public type
        raise GraderError(f"{path}: not an ONNX model ({type(err).__name__}: {err})") from None
    try:
        return _Graph(onnx, model.graph, path, name or _name(path.stem)).spec()
    except GraderError as err:
        raise GraderError(f"{path}: {err}") from None


def write_spec(spec: dict, source: str) -> str:
    """The spec as YAML, a layer a line as the shipped specs are written."""
    import yaml

    def flow(value) -> str:
        return yaml.safe_dump(value, default_flow_style=True, width=math.inf, sort_keys=False).strip()

    head = {key: spec[key] for key in ("name", "title", "source", "input")}
    lines = [f"# Derived from {source} by `grader reference --from`: check the layer names and add aliases.",
             yaml.safe_dump(head, default_flow_style=None, width=math.inf, sort_keys=False).strip(), "layers:"]
    lines += [f"  - {flow(layer)}" for layer in spec["layers"]]
    return "\n".join(lines) + "\n"


def _name(text: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("._-")
    return cleaned or "model"


class _Graph:
    def __init__(self, onnx, graph, path: Path, name: str):
        self.onnx, self.graph, self.path, self.name = onnx, graph, path, name
        self.initializers = {init.name: tuple(init.dims) for init in graph.initializer}
        self.producer: dict[str, str] = {}  # data tensor -> the spec layer that outputs it
        self.names: set[str] = {INPUT}
        self.layers: list[dict] = []

    def spec(self) -> dict:
        inputs = [i for i in self.graph.input if i.name not in self.initializers]
        if len(inputs) != 1:
            raise GraderError(f"the graph has {len(inputs)} inputs besides its weights; a spec has one")
        shape = self._input_shape(inputs[0])
        self.producer[inputs[0].name] = INPUT
        for number, node in enumerate(self.graph.node):
            data = [t for t in node.input if t in self.producer]
            if not data:
                continue  # off the data path: shape arithmetic, constants
            self._node(node, number, data)
        return {"name": self.name, "title": self.graph.name or self.name, "source": self.path.name,
                "input": list(shape), "layers": self.layers}

    def _input_shape(self, value_info) -> tuple[int, int, int]:
        dims = value_info.type.tensor_type.shape.dim
        sizes = [d.dim_value if d.HasField("dim_value") else None for d in dims]
        if len(sizes) != 4 or None in sizes[1:]:
            raise GraderError(f"input {value_info.name!r} must be N×C×H×W with C, H and W fixed, not "
                              f"{'×'.join(str(s) if s else '?' for s in sizes)}")
        return sizes[2], sizes[3], sizes[1]

    # ------------------------------------------------------------ nodes

    def _node(self, node, number: int, data: list[str]) -> None:
        op = node.op_type
        where = f"node {node.name or number} ({op})"
        attrs = {a.name: self.onnx.helper.get_attribute_value(a) for a in node.attribute}
        if op == "Conv":
            layer = self._conv(node, attrs, where)
        elif op in ("Gemm", "MatMul"):
            layer = self._dense(node, attrs, where)
        elif op == "BatchNormalization":
            layer = {"type": "bn"}
        elif op in ("MaxPool", "AveragePool"):
            layer = self._pool(op, attrs, where)
        elif op in ("GlobalAveragePool", "GlobalMaxPool"):
            layer = {"type": "pool", "pool": "avg" if op == "GlobalAveragePool" else "max", "adaptive": 1}
        elif op in ("Add", "Sum", "Concat") and len(data) >= 2:
            if op == "Concat" and attrs.get("axis") not in (1, -3):
                raise GraderError(f"{where}: a concatenation along axis {attrs.get('axis')}; a spec concatenates "
                                  "channels (axis 1)")
            layer = {"type": "concat" if op == "Concat" else "add"}
        elif op == "Add" and self._bias_of_previous(node, data):
            self.layers[-1].pop("bias")  # MatMul then Add of a vector: a fully connected layer's bias
            self.producer[node.output[0]] = self.layers[-1]["name"]
            return
        elif op in PASS_THROUGH:
            layer = {"type": PASS_THROUGH[op]}
        else:
            raise GraderError(f"{where}: the operator {op} has no layer kind in a spec")
        layer = {"name": self._unique(self._layer_name(node, number)), **layer}
        previous = self.layers[-1]["name"] if self.layers else INPUT
        if len(data) > 1 or self.producer[data[0]] != previous:
            layer["inputs"] = [self.producer[t] for t in data]  # a branch: the spec's default is the layer before
        self.layers.append(layer)
        self.producer[node.output[0]] = layer["name"]

    def _bias_of_previous(self, node, data: list[str]) -> bool:
        last = self.layers[-1] if self.layers else None
        return (last is not None and last["type"] == "fc" and last.get("bias") is False and len(data) == 1
                and self.producer[data[0]] == last["name"] and any(t in self.initializers for t in node.input))

    def _weight(self, node, index: int, where: str) -> tuple[int, ...]:
        if len(node.input) <= index or node.input[index] not in self.initializers:
            raise GraderError(f"{where}: its weights (input {index}) are not an initializer of the graph")
        return self.initializers[node.input[index]]

    def _conv(self, node, attrs: dict, where: str) -> dict:
        weight = self._weight(node, 1, where)
        if len(weight) != 4:
            raise GraderError(f"{where}: a {len(weight) - 2}-D convolution; a spec's are 2-D")
        if any(d != 1 for d in attrs.get("dilations", [1, 1])):
            raise GraderError(f"{where}: a dilated convolution (dilations {attrs['dilations']}) has no spec form")
        layer = {"type": "conv", "filters": weight[0], **self._window(attrs, where, kernel=list(weight[2:]))}
        if attrs.get("group", 1) > 1:
            layer["groups"] = attrs["group"]
        if len(node.input) < 3 or not node.input[2]:
            layer["bias"] = False
        return layer

    def _dense(self, node, attrs: dict, where: str) -> dict:
        weight = self._weight(node, 1, where)
        if len(weight) != 2:
            raise GraderError(f"{where}: weights of shape {list(weight)}; a fully connected layer's are 2-D")
        transposed = node.op_type == "Gemm" and attrs.get("transB", 0)
        layer = {"type": "fc", "units": weight[0] if transposed else weight[1]}
        if node.op_type == "MatMul" or len(node.input) < 3 or not node.input[2]:
            layer["bias"] = False
        return layer

    def _pool(self, op: str, attrs: dict, where: str) -> dict:
        if "kernel_shape" not in attrs:
            raise GraderError(f"{where}: no kernel_shape")
        layer = {"type": "pool", **self._window(attrs, where, kernel=list(attrs["kernel_shape"]))}
        if op == "AveragePool":
            layer["pool"] = "avg"
        if attrs.get("ceil_mode", 0):
            layer["ceil"] = True
        return layer

    def _window(self, attrs: dict, where: str, kernel: list[int]) -> dict:
        if attrs.get("auto_pad", b"NOTSET") not in (b"NOTSET", b"VALID", "NOTSET", "VALID"):
            raise GraderError(f"{where}: auto_pad {attrs['auto_pad']!r}; export with explicit pads")
        pads = list(attrs.get("pads", [0, 0, 0, 0]))
        if pads[:2] != pads[2:]:
            raise GraderError(f"{where}: padding {pads} differs before and after; a spec's is the same on both sides")
        stride = list(attrs.get("strides", [1, 1]))
        window = {"kernel": _single(kernel), "stride": _single(stride)}
        if any(pads[:2]):
            window["padding"] = _single(pads[:2])
        if window["stride"] == 1:
            del window["stride"]
        return window

    def _layer_name(self, node, number: int) -> str:
        """The module's name: its weight's ("features.0.weight": features.0), else the module path of
        PyTorch's node name ("/layer1/layer1.0/relu_1/Relu": layer1.0.relu_1), a sum or concatenation
        a module computes named after it as the shipped specs name them (layer1.0.add)."""
        if len(node.input) > 1 and node.input[1] in self.initializers and node.input[1].endswith(".weight"):
            return node.input[1][: -len(".weight")]
        parts = [part for part in node.name.strip("/").split("/") if part]
        if parts and re.fullmatch(re.escape(node.op_type) + r"(_\d+)?", parts[-1]):
            parts.pop()
        dotted = [i for i, part in enumerate(parts) if "." in part]
        parts = parts[dotted[-1]:] if dotted else parts
        if parts and node.op_type in ("Add", "Sum", "Concat"):
            parts.append(node.op_type.lower() if node.op_type != "Sum" else "add")
        return _name(".".join(parts)) if parts else f"{node.op_type.lower()}{number}"

    def _unique(self, name: str) -> str:
        candidate, n = name, 2
        while candidate in self.names:
            candidate, n = f"{name}_{n}", n + 1
        self.names.add(candidate)
        return candidate


def _single(pair: list[int]):
    """[3, 3] as 3, as the specs write a square window; [3, 1] as it is."""
    return pair[0] if len(pair) == 2 and pair[0] == pair[1] else list(pair)


__all__ = ["EXTRA", "spec_from_onnx", "write_spec"]
