"""`grader reference --from model.onnx`: a small graph built with onnx.helper (conv, batch norm,
ReLU, pooling, two branches summed, a concatenation, global pooling, Gemm) read into a spec whose
figures are checked against counts worked by hand and against the initializers' own sizes. The
onnx extra is optional: without it these tests skip, but for the message that names the extra."""
from __future__ import annotations

import builtins
import math

import pytest

from grader.core import GraderError, Quantity
from grader.reference.costs import Cost, costs
from grader.reference.engine import compute
from grader.reference.spec import parse_network


def _model(path):
    """input 1×3×32×32
    conv1  3×3, 3→8, pad 1, bias     32×32×8   weights 3·3·3·8 = 216, biases 8
    bn1    8 channels                           scale 8, shift 8 (mean 8, var 8: statistics)
    relu1
    pool1  max 2×2 stride 2          16×16×8
    a      3×3, 8→8, pad 1, no bias  16×16×8   weights 3·3·8·8 = 576
    b      1×1, 8→8, no bias (reads pool1)     weights 1·1·8·8 = 64
    sum    a + b                     16×16×8
    cat    [sum, pool1]              16×16×16
    gap    global average pool       1×1×16
    flat
    fc     Gemm transB, 16→10        weights 160, biases 10"""
    onnx = pytest.importorskip("onnx")
    from onnx import TensorProto, helper

    def init(name, *dims):
        return helper.make_tensor(name, TensorProto.FLOAT, dims, [0.0] * math.prod(dims))

    inits = [init("conv1.weight", 8, 3, 3, 3), init("conv1.bias", 8),
             init("bn1.weight", 8), init("bn1.bias", 8), init("bn1.running_mean", 8), init("bn1.running_var", 8),
             init("a.weight", 8, 8, 3, 3), init("b.weight", 8, 8, 1, 1),
             init("fc.weight", 10, 16), init("fc.bias", 10)]
    nodes = [
        helper.make_node("Conv", ["x", "conv1.weight", "conv1.bias"], ["c1"], name="/conv1/Conv",
                         kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        helper.make_node("BatchNormalization", ["c1", "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var"],
                         ["n1"], name="/bn1/BatchNormalization"),
        helper.make_node("Relu", ["n1"], ["r1"], name="/relu1/Relu"),
        helper.make_node("MaxPool", ["r1"], ["p1"], name="/pool1/MaxPool", kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Conv", ["p1", "a.weight"], ["ya"], name="/a/Conv", kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        helper.make_node("Conv", ["p1", "b.weight"], ["yb"], name="/b/Conv", kernel_shape=[1, 1]),
        helper.make_node("Add", ["ya", "yb"], ["s"], name="/sum/Add"),
        helper.make_node("Concat", ["s", "p1"], ["k"], name="/cat/Concat", axis=1),
        helper.make_node("GlobalAveragePool", ["k"], ["g"], name="/gap/GlobalAveragePool"),
        helper.make_node("Flatten", ["g"], ["f"], name="/flat/Flatten", axis=1),
        helper.make_node("Gemm", ["f", "fc.weight", "fc.bias"], ["y"], name="/fc/Gemm", transB=1),
    ]
    graph = helper.make_graph(nodes, "tiny", [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 3, 32, 32])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 10])], initializer=inits)
    model = helper.make_model(graph)
    onnx.checker.check_model(model)
    onnx.save(model, str(path))
    return model


@pytest.fixture
def derived(tmp_path):
    from grader.reference.from_onnx import spec_from_onnx, write_spec

    path = tmp_path / "tiny.onnx"
    model = _model(path)
    text = write_spec(spec_from_onnx(path), source=str(path))
    spec = tmp_path / "tiny.yaml"
    spec.write_text(text, encoding="utf-8")
    return model, spec


def test_the_derived_spec_has_the_graphs_layers(derived):
    import yaml

    _, spec = derived
    raw = yaml.safe_load(spec.read_text(encoding="utf-8"))
    assert raw["input"] == [32, 32, 3]
    layers = {layer["name"]: layer for layer in raw["layers"]}
    assert [layer["type"] for layer in raw["layers"]] == [
        "conv", "bn", "relu", "pool", "conv", "conv", "add", "concat", "pool", "flatten", "fc"]
    assert layers["conv1"] == {"name": "conv1", "type": "conv", "filters": 8, "kernel": 3, "padding": 1}
    assert layers["b"]["inputs"] == ["pool1"] and layers["b"]["bias"] is False
    assert layers["sum.add"]["inputs"] == ["a", "b"]
    assert layers["cat.concat"]["inputs"] == ["sum.add", "pool1"]
    assert "inputs" not in layers["a"]  # it reads the layer listed before it


def test_the_derived_spec_counts_as_worked_by_hand(derived):
    from grader.reference.spec import load_network

    _, spec = derived
    figures = compute(load_network(str(spec)))
    by_name = {f.name: f for f in figures.layers}
    assert (by_name["conv1"].weights, by_name["conv1"].biases) == (216, 8)  # 3·3·3·8, 8
    assert by_name["bn1"].params == 16  # a scale and a shift per channel
    assert by_name["a"].weights == 576 and by_name["b"].weights == 64  # 3·3·8·8; 1·1·8·8
    assert by_name["cat.concat"].shape == (16, 16, 16)
    assert by_name["fc"].params == 170  # 16·10 + 10
    assert figures.total(Quantity.PARAMS) == 216 + 8 + 16 + 576 + 64 + 170 == 1050
    # MACs: conv1 216·32·32 = 221,184; a 576·16·16 = 147,456; b 64·16·16 = 16,384; fc 160
    assert costs(figures).total(Cost.MACS) == 221_184 + 147_456 + 16_384 + 160 == 385_184


def test_the_parameters_are_the_initializers_less_the_running_statistics(derived):
    """The framework's own count: every initializer is a parameter but batch norm's running mean and
    variance (inputs 3 and 4 of BatchNormalization), which PyTorch keeps as buffers."""
    from grader.reference.spec import load_network

    model, spec = derived
    sizes = {init.name: math.prod(init.dims) for init in model.graph.initializer}
    statistics = {name for node in model.graph.node if node.op_type == "BatchNormalization" for name in node.input[3:5]}
    parameters = sum(size for name, size in sizes.items() if name not in statistics)
    assert sum(sizes.values()) == 1066 and parameters == 1050
    assert compute(load_network(str(spec))).total(Quantity.PARAMS) == parameters


def test_the_command_writes_the_spec_and_never_replaces_a_file(tmp_path, capsys):
    from grader.cli import main

    path = tmp_path / "tiny.onnx"
    _model(path)
    out = tmp_path / "tiny.yaml"
    assert main(["reference", "--from", str(path), "--out", str(out)]) == 0
    assert "conv1" in out.read_text(encoding="utf-8")
    assert main(["reference", "--from", str(path), "--out", str(out)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert main(["reference", str(out)]) == 0  # its answer key
    assert "1,050" in capsys.readouterr().out


def test_an_operator_with_no_layer_kind_is_named(tmp_path):
    onnx = pytest.importorskip("onnx")
    from onnx import TensorProto, helper

    from grader.reference.from_onnx import spec_from_onnx

    graph = helper.make_graph([helper.make_node("Resize", ["x"], ["y"], name="up")], "g",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 8, 8])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 3, 16, 16])])
    path = tmp_path / "up.onnx"
    onnx.save(helper.make_model(graph), str(path))
    with pytest.raises(GraderError, match=r"up\.onnx: node up \(Resize\): the operator Resize has no layer kind"):
        spec_from_onnx(path)


def test_not_an_onnx_file_is_named(tmp_path):
    pytest.importorskip("onnx")
    from grader.reference.from_onnx import spec_from_onnx

    path = tmp_path / "junk.onnx"
    path.write_bytes(b"\x00\xffnot protobuf at all")
    with pytest.raises(GraderError, match=r"junk\.onnx: not an ONNX model"):
        spec_from_onnx(path)


def test_without_the_extra_the_message_names_it(tmp_path, monkeypatch):
    real_import = builtins.__import__

    def no_onnx(name, *args, **kwargs):
        if name == "onnx" or name.startswith("onnx."):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_onnx)
    from grader.reference.from_onnx import spec_from_onnx

    with pytest.raises(GraderError, match=r'pip install -e "\.\[onnx\]"'):
        spec_from_onnx(tmp_path / "model.onnx")


def test_a_derived_spec_parses_as_a_spec():
    """The YAML writer's layer lines are the spec format's own (no onnx needed)."""
    import yaml

    from grader.reference.from_onnx import write_spec

    spec = {"name": "n", "title": "t", "source": "n.onnx", "input": [8, 8, 1],
            "layers": [{"name": "c", "type": "conv", "filters": 2, "kernel": 3, "bias": False},
                       {"name": "f", "type": "fc", "units": 3}]}
    text = write_spec(spec, "n.onnx")
    assert "  - {name: c, type: conv, filters: 2, kernel: 3, bias: false}" in text
    network = parse_network(yaml.safe_load(text), "n.yaml")
    assert compute(network).total(Quantity.PARAMS) == 3 * 3 * 1 * 2 + (6 * 6 * 2 * 3 + 3)
