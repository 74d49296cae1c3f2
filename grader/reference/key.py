"""The answer key: a network's figures under chosen conventions, each with the formula that gives
it, for a human (Markdown) or a program (CSV, JSON, XLSX). `grader reference` prints it."""
from __future__ import annotations

import sys
from pathlib import Path

from grader.core import GraderError, Quantity
from grader.reference.costs import FLOPS_SHORT, Cost, CostConventions, Costs, costs, kilobytes
from grader.reference.engine import Conventions, Figures, LayerFigures, compute, n
from grader.reference.spec import Network, load_network

FORMATS = ("md", "csv", "json", "xlsx")
# The columns of every format, in this order; shape comes first as "output".
COUNTS = (Quantity.UNITS, Quantity.WEIGHTS, Quantity.BIASES, Quantity.PARAMS, Quantity.CONNECTIONS)
HEADERS = {Quantity.UNITS: "units", Quantity.WEIGHTS: "weights", Quantity.BIASES: "biases",
           Quantity.PARAMS: "parameters", Quantity.CONNECTIONS: "connections"}
# What `--quantities` accepts: the cost's own name, and "memory" for the activation memory.
COST_NAMES = {**{cost.value: cost for cost in Cost}, "memory": Cost.ACTIVATION_BYTES}
COST_HEADERS = {Cost.MACS: "MACs", Cost.FLOPS: "FLOPs", Cost.ACTIVATIONS: "activations",
                Cost.ACTIVATION_BYTES: "memory"}


def parse_costs(text: str) -> tuple[Cost, ...]:
    """`macs,flops,activations,memory` (or `all`) as the costs, in the order written."""
    names = [name.strip().lower() for name in text.split(",") if name.strip()]
    if names == ["all"]:
        return tuple(Cost)
    unknown = [name for name in names if name not in COST_NAMES]
    if unknown or not names:
        raise GraderError(f"unknown quantities {', '.join(unknown) or repr(text)} "
                          f"(quantities: {', '.join(COST_NAMES)}, or all)")
    return tuple(dict.fromkeys(COST_NAMES[name] for name in names))


def print_key(network: str | Network, *, input_size: int | None = None, bias: bool = False,
              towers: int | None = None, fmt: str = "md", out: str | Path | None = None,
              quantities: tuple[Cost, ...] = (), cost_conventions: CostConventions = CostConventions()) -> int:
    """Print (or write to `out`) the answer key of a shipped network name, a spec path or a Network.

    bias: connections counted with biases, and parameters (not weights) as the headline figure.
    towers: 1 merges the towers, 2 keeps them, None keeps the spec's.
    quantities: the costs (MACs, FLOPs, activations, memory) to add, under cost_conventions."""
    if fmt not in FORMATS:
        raise GraderError(f"unknown key format {fmt!r} (formats: {', '.join(FORMATS)})")
    if fmt == "xlsx" and out is None:
        raise GraderError("--format xlsx writes a binary workbook: give the file with --out KEY.xlsx")
    spec = network if isinstance(network, Network) else load_network(network)
    conventions = Conventions(input_size=input_size, towers=towers, connections_with_bias=True if bias else None)
    figures = compute(spec, conventions)
    rendered = render_key(figures, fmt, network=spec,
                          costs=costs(figures, cost_conventions) if quantities else None, quantities=quantities)
    if out is None:
        _write_stdout(rendered)
        return 0
    path = Path(out)
    try:
        if isinstance(rendered, bytes):
            path.write_bytes(rendered)
        else:
            path.write_text(rendered, encoding="utf-8", newline="")
    except OSError as err:
        raise GraderError(f"{path}: cannot write the key: {err.strerror or err}") from None
    print(f"grader: wrote the {spec.name} key to {path}", file=sys.stderr)
    return 0


def _write_stdout(text: str) -> None:
    try:
        sys.stdout.write(text)
    except UnicodeEncodeError:  # a console that cannot show · or ×: send UTF-8 bytes
        sys.stdout.flush()
        sys.stdout.buffer.write(text.encode("utf-8"))


def render_key(figures: Figures, fmt: str, *, network: Network | None = None, costs: Costs | None = None,
               quantities: tuple[Cost, ...] = ()) -> str | bytes:
    """The key in one format: str for md, csv and json; bytes for xlsx. `network` (the spec the
    figures come from) adds its source and notes to the Markdown and the workbook; `costs` adds the
    `quantities` asked for (all of them in JSON, whose keys do not depend on what was asked)."""
    if costs is not None and not quantities:
        quantities = tuple(Cost)
    if fmt == "md":
        return _markdown(figures, network) + (_markdown_costs(costs, quantities, figures) if costs else "")
    if fmt == "csv":
        return _csv(figures, costs, quantities)
    if fmt == "json":
        return _json(figures, costs)
    if fmt == "xlsx":
        return _xlsx(figures, network, costs, quantities)
    raise GraderError(f"unknown key format {fmt!r} (formats: {', '.join(FORMATS)})")


def headline(figures: Figures) -> Quantity:
    """Parameters when biases are counted (in connections), weights otherwise."""
    return Quantity.PARAMS if figures.connections_with_bias else Quantity.WEIGHTS


def totals(figures: Figures) -> dict[Quantity, int]:
    return {quantity: figures.total(quantity) for quantity in COUNTS}


def conventions_lines(figures: Figures, network: Network | None = None) -> list[str]:
    """The conventions the figures follow, in words."""
    h, w, c = figures.input_shape
    lines = [f"input {h}×{w}×{c}" + (" (set for this key)" if figures.conventions.input_size is not None else "")]
    split = [layer.name for layer in figures.layers if layer.split]
    if split:
        count = {2: "two", 3: "three", 4: "four"}.get(figures.towers, str(figures.towers))
        lines.append(f"{count} towers: {_enumerate(split)} see only their own tower's share of the "
                     "input channels; the other layers see all of them")
    elif network is not None and any(layer.split for layer in network.layers):
        lines.append(f"towers merged: every filter sees all the input channels (the spec has {network.towers} towers)")
    if headline(figures) is Quantity.PARAMS:
        lines.append("parameters = weights + biases, the headline figure")
    else:
        lines.append("weights without biases, the headline figure; parameters = weights + biases")
    if figures.connections_with_bias:
        lines.append("connections with biases: (weights + biases) × output positions for a convolution "
                     "or trainable pooling; weights + biases for a fully connected layer")
    else:
        lines.append("connections without biases: weights × output positions for a convolution; "
                     "the weights for a fully connected layer")
    lines.append("units: the neurons of a layer's output (H·W·C), before any pooling that follows it")
    kinds = {layer.kind for layer in figures.layers}
    if "bn" in kinds:
        lines.append("batch norm: 2 trainable parameters per channel, a scale (counted with the weights) and a "
                     "shift (with the biases); its running mean and variance are statistics, not parameters "
                     "(as PyTorch counts them); a connection per scale per output position")
    if kinds & {"add", "concat"}:
        lines.append("residual sums (add) and concatenations (concat) have no weights and no connections")
    if network is not None and any(layer.groups > 1 for layer in network.layers):
        lines.append("grouped convolutions: each filter sees its group's share of the input channels "
                     "(a depthwise convolution, groups = channels: one channel)")
    return lines


def _enumerate(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _output(layer: LayerFigures) -> str:
    shape = "×".join(str(size) for size in layer.shape)
    return f"{shape}: {layer.size_formula}" if layer.size_formula else shape


def _markdown(figures: Figures, network: Network | None) -> str:
    total = totals(figures)
    main = headline(figures)
    lines = [f"# Answer key: {figures.title or figures.network}", ""]
    if network is not None and network.source:
        lines += [f"Source: {network.source}", ""]
    if network is not None and network.note:
        lines += [network.note, ""]
    if main is Quantity.PARAMS:
        head = (f"**{n(total[Quantity.PARAMS])} parameters** (weights + biases: {n(total[Quantity.WEIGHTS])} + "
                f"{n(total[Quantity.BIASES])})")
    else:
        head = (f"**{n(total[Quantity.WEIGHTS])} weights** (biases not counted; "
                f"{n(total[Quantity.PARAMS])} parameters with them)")
    lines += [f"{head} · {n(total[Quantity.UNITS])} units · {n(total[Quantity.CONNECTIONS])} connections", "",
              "Conventions:"]
    lines += [f"- {line}" for line in conventions_lines(figures, network)]
    lines += ["", "| layer | output | " + " | ".join(HEADERS[q] for q in COUNTS) + " |",
              "|---" * (len(COUNTS) + 2) + "|"]
    for layer in figures.layers:
        cells = [layer.name, _output(layer)] + [layer.formulas[q] for q in COUNTS]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("| **total** | | " + " | ".join(f"**{n(total[q])}**" for q in COUNTS) + " |")
    if {layer.kind for layer in figures.layers} & {"bn", "add", "concat"}:
        lines += ["", "Units total the outputs of the convolutional and fully connected layers (and any "
                      "trainable pooling); pooling, batch norm, sums and concatenations pass those neurons on "
                      "and are not counted again. The other totals add every layer."]
    else:
        lines += ["", "Totals add the convolutional and fully connected layers and any trainable pooling; "
                      "the outputs of pooling without parameters are not counted as units."]
    notes = [f"- {layer.name}: {layer.size_formula} to {layer.shape[0]}×{layer.shape[1]}: the window does "
             "not fit a whole number of times; " + ("in ceil mode a last, partial window is kept." if layer.ceil
                                                   else "frameworks drop the remainder.")
             for layer in figures.layers if layer.non_integral]
    if network is not None:
        counted = {layer.name for layer in figures.layers}
        notes += [f"- {layer.name}: {layer.note}" for layer in network.layers if layer.note and layer.name in counted]
    if notes:
        lines += ["", "Notes:"] + notes
    return "\n".join(lines) + "\n"


def _scaled(count: float) -> str:
    """1,814,073,344 as 1.81 G; small counts as they are."""
    for size, prefix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if count >= size:
            return f"{count / size:.2f} {prefix}"
    return n(int(count))


def _kb(value: float) -> str:
    """KB as a key prints them: whole when they are (EECS 498's 784), else to 0.01."""
    return f"{value:,.0f}" if value == int(value) else f"{value:,.2f}"


def cost_cell(layer, cost: Cost, conventions: CostConventions) -> str:
    """A cost with its formula; memory in bytes and in KB."""
    text = layer.formulas[cost]
    if cost is Cost.ACTIVATION_BYTES:
        return f"{text} B = {_kb(kilobytes(layer.activation_bytes, conventions))} KB"
    return text


def _markdown_costs(costs: Costs, quantities: tuple[Cost, ...], figures: Figures) -> str:
    conventions = costs.conventions
    heads = []
    if Cost.MACS in quantities:
        heads.append(f"**{n(costs.total(Cost.MACS))} MACs** ({_scaled(costs.total(Cost.MACS))})")
    if Cost.FLOPS in quantities:
        heads.append(f"{n(costs.total(Cost.FLOPS))} FLOPs ({_scaled(costs.total(Cost.FLOPS))}, "
                     f"{FLOPS_SHORT[conventions.flops]})")
    if Cost.ACTIVATIONS in quantities:
        heads.append(f"{n(costs.total(Cost.ACTIVATIONS))} activations")
    if Cost.ACTIVATION_BYTES in quantities:
        total = costs.total(Cost.ACTIVATION_BYTES)
        heads.append(f"{n(total)} bytes of activations ({_kb(kilobytes(total, conventions))} KB, "
                     f"{kilobytes(total, conventions, 2):,.2f} MB)")
    kilo = "1 KB = 1,024 B" if conventions.kilo == 1024 else "1 KB = 1,000 B"
    headers = [COST_HEADERS[c] + (f" (bytes; KB: {kilo})" if c is Cost.ACTIVATION_BYTES else "") for c in quantities]
    lines = ["", "## Cost of one forward pass (one image)", "", " · ".join(heads), "", "Conventions:"]
    lines += [f"- {line}" for line in conventions.lines()]
    lines += ["", "| layer | output | " + " | ".join(headers) + " |", "|---" * (len(quantities) + 2) + "|"]
    for layer, record in zip(costs.layers, figures.layers):
        cells = [layer.name, "×".join(map(str, record.shape))] + [cost_cell(layer, c, conventions) for c in quantities]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("| **total** | | " + " | ".join(
        f"**{n(costs.total(c))}**" + (f" B = {_kb(kilobytes(costs.total(c), conventions))} KB"
                                      if c is Cost.ACTIVATION_BYTES else "") for c in quantities) + " |")
    lines += ["", "Every layer's figures add up to the totals; KB are rounded to 0.01."]
    return "\n".join(lines) + "\n"


def _rows(figures: Figures) -> list[list]:
    """One row per counted layer, then the totals: network, layer, kind, output, the counts, non_integral."""
    rows = [[figures.network, layer.name, layer.kind, "x".join(str(s) for s in layer.shape)]
            + [layer.figure(q) for q in COUNTS]
            + [layer.non_integral] for layer in figures.layers]
    total = totals(figures)
    rows.append([figures.network, "total", "", ""] + [total[q] for q in COUNTS] + [""])
    return rows


def _csv(figures: Figures, costs: Costs | None = None, quantities: tuple[Cost, ...] = ()) -> str:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    asked = quantities if costs is not None else ()
    writer.writerow(["network", "layer", "kind", "output"] + [q.value for q in COUNTS] + ["non_integral"]
                    + [cost.value for cost in asked])
    rows = _rows(figures)
    if asked:  # the costs after the columns every key has, so that readers of those keep working
        for row, layer in zip(rows, costs.layers):
            row += [layer.figure(cost) for cost in asked]
        rows[-1] += [costs.total(cost) for cost in asked]
    writer.writerows(rows)
    return buffer.getvalue()


def _json(figures: Figures, costs: Costs | None = None) -> str:
    import json

    document = {
        "network": figures.network,
        "title": figures.title,
        "input": list(figures.input_shape),
        "conventions": {"input_size": figures.input_shape[0], "towers": figures.towers,
                        "connections_with_bias": figures.connections_with_bias},
        "headline": headline(figures).value,
        "layers": [
            {"layer": layer.name, "kind": layer.kind, "input": list(layer.input_shape), "shape": list(layer.shape),
             **{q.value: layer.figure(q) for q in COUNTS},
             "non_integral": layer.non_integral, "split": layer.split, "size_formula": layer.size_formula,
             "formulas": {q.value: layer.formulas[q] for q in COUNTS}}
            for layer in figures.layers
        ],
        "total": {q.value: value for q, value in totals(figures).items()},
    }
    if costs is not None:  # every cost, whatever was asked: the keys are a contract
        conventions = costs.conventions
        document["cost_conventions"] = {"flops": conventions.flops, "bytes_per_element": conventions.bytes_per_element,
                                        "kilo": conventions.kilo}
        for record, layer in zip(document["layers"], costs.layers):
            record.update({cost.value: layer.figure(cost) for cost in Cost})
            record["formulas"].update({cost.value: layer.formulas[cost] for cost in Cost})
        document["total"].update({cost.value: costs.total(cost) for cost in Cost})
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _xlsx(figures: Figures, network: Network | None, costs: Costs | None = None,
          quantities: tuple[Cost, ...] = ()) -> bytes:
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "key"
    sheet.append(["layer", "kind", "output"] + [HEADERS[q] for q in COUNTS] + ["non-integral size"])
    for row in _rows(figures):
        sheet.append(row[1:-1] + ["yes" if row[-1] is True else ""])
    for cell in sheet[1] + sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row in sheet.iter_rows(min_row=2, min_col=4, max_col=3 + len(COUNTS)):
        for cell in row:
            cell.number_format = "#,##0"
    formulas = book.create_sheet("formulas")
    formulas.append(["layer", "output"] + [HEADERS[q] for q in COUNTS])
    for layer in figures.layers:
        formulas.append([layer.name, _output(layer)] + [layer.formulas[q] for q in COUNTS])
    if costs is not None:
        sheet_costs = book.create_sheet("costs")
        sheet_costs.append(["layer"] + [COST_HEADERS[c] + (" (bytes)" if c is Cost.ACTIVATION_BYTES else "")
                                        for c in quantities])
        for layer in costs.layers:
            sheet_costs.append([layer.name] + [layer.figure(c) for c in quantities])
        sheet_costs.append(["total"] + [costs.total(c) for c in quantities])
    about = book.create_sheet("about")
    about.append([figures.title or figures.network])
    if network is not None and network.source:
        about.append([f"Source: {network.source}"])
    about.append(["Conventions:"])
    for line in conventions_lines(figures, network) + (costs.conventions.lines() if costs is not None else []):
        about.append([f"- {line}"])
    for ws, widths in ((sheet, (12, 8, 12) + (16,) * len(COUNTS) + (18,)), (formulas, (12, 34) + (30,) * len(COUNTS))):
        for column, width in zip("ABCDEFGHIJ", widths):
            ws.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


__all__ = ["COST_NAMES", "FORMATS", "conventions_lines", "cost_cell", "headline", "parse_costs", "print_key",
           "render_key", "totals"]
