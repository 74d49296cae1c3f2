"""Walking a Document: every number a student wrote, with its label, its row and its section,
before its slot is known.

- A *section* starts at a heading or line that names one network ("Q2) Alexnet", "9) VGG/6",
  "# AlexNet的实际网络结构") or a network that is not shipped ("Custom MLP Model"); text before any
  such line is a section that names none.
- A *row* is a layer mention: a table row's label, or in prose a heading or label that names a layer
  ("**1. conv1层**", "1.3 pool1 核：…", "Conv1 3, 64, 3"). Prose readings without a layer of their
  own belong to the current row ("神经元数量：…" under "conv1层"). Rows are grouped (one table, or
  one section's prose) so that the slot stage can place rows by position.
- A *reading* is one value with what its label says: the quantity a header or label names, a total,
  the input shape, or nothing (left to the slot stage: context, the asked quantities, evidence).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from grader.core import Cell, Document, Quantity, Source, Table, TextLine
from grader.extract.layers import LayerLabel, find_networks, parse_layer
from grader.extract.quantities import (INPUT, NOT_ANSWER, Label, classify, names_other_network, names_total,
                                      quantity_beside)
from grader.extract.regions import ARROW, Parsed, clean, drop_remarks, is_math, read_values, strip_numbering

# prose: a layer named further into a label than this is a reference, not the label's subject
LABEL_REACH = 30
# a row waiting for its value ("Conv1 3, 64, 3" … "= 1792") waits this many non-blank lines
PENDING_LINES = 3
# prose: a paragraph is read this far (labels and values come early; keeps the work linear)
MAX_LINE = 4000
# prose: sentences are read for "290,400 neurons" only in lines this short, and a layer named anywhere
# in a sentence this short ("There are 186,624 neurons in the second convolutional layer.")
SENTENCE_LINE = 240
SHORT_SENTENCE = 100
# prose: a longer "label" is a sentence
LABEL_LENGTH = 48
LAYER_HEADERS = {"layer", "layers", "layer name", "name", "type", "层", "레이어", "layer type"}


@dataclass(eq=False, slots=True)
class Row:
    label: LayerLabel
    group: int  # rows of one table, or of one section's prose
    table: bool = False  # a table's rows run in order; prose may come back to a layer


@dataclass(frozen=True, slots=True)
class Reading:
    kind: str  # "layer" (its row's layer), "total", "input" (the input shape), "orphan" (no label)
    parsed: Parsed
    source: Source
    row: Row | None = None
    quantity: Quantity | None = None  # named by a header or label
    context: Quantity | None = None  # named by the heading above, for readings that name none
    column: tuple[int, int] | None = None  # (table, column): columns are judged as a whole
    evidence_only: bool = False  # from a column that is not an answer: kept only if it fits a figure
    before_rows: bool = False  # a total written before its section's rows (the previous section's)


@dataclass(eq=False, slots=True)
class Section:
    networks: tuple[str, ...]  # the shipped networks its heading names; () none
    other: bool = False  # its heading names a network that is not shipped
    title: str = ""
    heading: bool = False  # started by a heading (a passing mention in prose does not end it)
    rows: list[Row] = field(default_factory=list)
    readings: list[Reading] = field(default_factory=list)


def read_sections(document: Document) -> list[Section]:
    walker = _Walker()
    for block in document.blocks:
        if isinstance(block, Table):
            walker.table(block)
        elif isinstance(block, TextLine):
            walker.line(block)
    return walker.sections


# a line of a program: an assignment from a call, a definition, a control statement, an import
_CODE = re.compile(r"\s*(?:[A-Za-z_][\w.\[\]]*\s*=\s*[A-Za-z_][\w.]*\s*\(|(?:def|class|return|import|from|with|"
                   r"for|while|if|elif|else|try|except|print)\b[^:：]*(?:[:(]|$))")


def _family(network: str) -> str:
    return re.match(r"[a-z]*", network)[0]


def _is_bold(raw: str) -> bool:
    text = raw.strip().replace("\\*", "*")
    return len(text) > 4 and text.startswith("**") and text.rstrip(":：").endswith("**")


class _Walker:
    def __init__(self) -> None:
        self.sections: list[Section] = [Section(())]
        self.row: Row | None = None
        self.groups = 0
        self.prose_group = 0
        self.tables = 0
        self.context: Quantity | None = None
        self.pending: tuple[str, Row | None, Quantity | None] | None = None  # (kind, row, quantity)
        self.pending_age = 0

    @property
    def section(self) -> Section:
        return self.sections[-1]

    def _new_group(self) -> int:
        self.groups += 1
        return self.groups

    def start_section(self, networks: tuple[str, ...], other: bool, title: str, heading: bool) -> None:
        self.sections.append(Section(networks, other, title, heading))
        self.row = None
        self.pending = None
        self.prose_group = self._new_group()

    def new_row(self, label: LayerLabel, group: int | None = None) -> Row:
        row = Row(label, group if group is not None else (self.prose_group or self._new_prose_group()),
                  table=group is not None)
        self.section.rows.append(row)
        return row

    def _new_prose_group(self) -> int:
        self.prose_group = self._new_group()
        return self.prose_group

    def add(self, reading: Reading) -> None:
        self.section.readings.append(reading)

    # ------------------------------------------------------------------------------ prose

    def line(self, block: TextLine) -> None:
        text = clean(block.text[:MAX_LINE])
        if not text:
            return
        if self.pending is not None:
            self.pending_age += 1
            if self.pending_age > PENDING_LINES:
                self.pending = None
        if _CODE.match(text):
            return  # a statement of a program, not a student's label
        heading = block.heading > 0 or _is_bold(block.text)
        body = strip_numbering(text)
        if self._section_line(body, heading, block.source):
            return
        if heading:
            mention = parse_layer(body, within=LABEL_REACH, bare=False)
            if mention is not None and mention.is_input:
                self.row = None  # "### INPUT层-输入层": what follows is about the input
            label = classify(body)
            if label.quantity is not None:
                self.context = label.quantity
            elif label.role == NOT_ANSWER:
                self.context = None
        if not body:
            return
        arrow = ARROW.match(body)
        if body.startswith(("=", "＝")) or arrow or self._continues(body) or is_math(drop_remarks(body)):
            region = body[arrow.end():] if arrow else body
            if self.pending is not None:
                kind, row, quantity = self.pending
                self.pending = None
                self._value(kind, row, quantity, region, block.source)
            elif arrow:  # "→ 138 357 544" after a section's rows: its total
                self._value("total", None, None, region, block.source, before_rows=not self.section.rows)
            elif is_math(drop_remarks(body)) and self.context is not None:
                for parsed in read_values(region)[:1]:
                    self.add(Reading("orphan", parsed, block.source, context=self.context))
            return
        self._pairs(body, block.source, heading)

    def _continues(self, body: str) -> bool:
        """A line of working that gives the pending row its value."""
        if self.pending is None:
            return False
        plain = drop_remarks(body)
        return is_math(plain) or (bool(re.match(r"[\d(（]", plain)) and "=" in plain
                                  and parse_layer(plain, within=LABEL_REACH) is None)

    def _section_line(self, body: str, heading: bool, source: Source) -> bool:
        """A line naming one network (or one that is not shipped) starts a section."""
        networks = find_networks(body)
        if networks:
            if len({_family(n) for n in networks}) != 1:
                return False
            if not heading and self.section.heading and not find_networks(body[:LABEL_REACH]):
                return False  # named in passing under a heading that is about something else
            self.start_section(networks, False, body, heading)
        elif names_other_network(body[:LABEL_REACH] if not heading else body):
            self.start_section((), True, body, heading)
        else:
            return False
        label = classify(body)
        if heading:
            self.context = label.quantity
        head, colon, rest = (re.split(r"([:：=])", body, maxsplit=1) + ["", ""])[:3]
        named = classify(head)
        if colon and (named.total or (len(head) <= LABEL_REACH and not named.role and networks
                                      and not parse_layer(head, bare=False))):
            # "Total Parameters for LeNet-5: 156 (conv1) + … = 17166", "VGG16: 138,357,544"
            quantity = named.quantity or classify(rest).quantity
            rest = drop_remarks(rest)
            if rest.strip() and self._value("total", None, quantity, rest, source):
                return True
            if named.total:
                self.pending, self.pending_age = ("total", None, quantity), 0
                return True
        if not heading:  # "In total, AlexNet has about 650K neurons", "VGG16 has 138,357,544 parameters."
            self._sentences(body, source, network_line=bool(networks))
        arrow = ARROW.search(body)
        if arrow:  # "Q2) Alexnet ⇒ 61,706": a total written on the heading, before any row
            self._value("total", None, None, body[arrow.end():], source, before_rows=True)
        return True

    def _pairs(self, body: str, source: Source, heading: bool) -> None:
        # "Pool(Conv 1)" names a layer; "156 (conv1) + 2416 (conv2)" annotates a sum
        keep = None if re.match(r"[\d(（]", body) else (lambda inner: parse_layer(inner, within=0) is not None)
        body = drop_remarks(body, keep=keep)
        before = len(self.section.readings)
        for label_text, value in _split_pairs(body):
            self._pair(label_text, value, source, heading)
        if not heading:
            read = {r.parsed.value for r in self.section.readings[before:]}
            self._sentences(body, source, read)

    def _sentences(self, body: str, source: Source, read: set = frozenset(), network_line: bool = False) -> None:
        """Numbers a sentence names by the word beside them: "There are 290,400 neurons in the first
        layer", "so the weights are 11x11x3x96 = 34,848". Only in a sentence that names its layer (or a
        total): elsewhere a number and a word side by side say too little."""
        from grader.extract.numbers import scan

        if len(body) > SENTENCE_LINE:
            return  # a paragraph of explanation: its numbers are worked examples, not answers
        for sentence in re.split(r"(?<=[.!?;])\s+|(?<=[。；！？])", body):
            reach = None if len(sentence) <= SHORT_SENTENCE else LABEL_REACH
            layer = parse_layer(sentence, within=reach, bare=False)
            total = layer is None and (network_line or names_total(sentence[:LABEL_REACH]))
            if (layer is None or layer.is_input) and not total:
                continue
            found = []
            for written in scan(sentence):
                quantity = quantity_beside(sentence[:written.start], sentence[written.end:])
                if quantity is not None and written.value not in read:
                    found.append((quantity, sentence[written.start:written.end]))
            if not found:
                continue
            row = None
            if not total:  # the layer this line already made current, or a new row
                same = self.row is not None and self.row.label.key == layer.key
                row = self.row if same else self.new_row(layer)
                self.row, self.pending = row, None
            for quantity, text in found:
                self._value("total" if total else "layer", row, quantity, text, source)

    def _pair(self, label_text: str, value: str, source: Source, heading: bool = False) -> None:
        label = classify(label_text)
        if len(label_text) > LABEL_LENGTH and not heading and not (label.total and label.quantity):
            return  # a sentence, not a label
        layer = parse_layer(label_text, within=LABEL_REACH, bare=False)
        if layer is None and value.strip():
            bare = parse_layer(label_text, bare=True)  # "FC: 4096 neurons": the kind is the whole label
            if bare is not None and not re.sub(r"[\W_]+", "", label_text[:bare.start] + label_text[bare.end:]):
                layer = bare
        if layer is not None and layer.kind is None and not layer.is_input \
                and len(label.phrase) >= layer.end - layer.start:
            layer = None  # "Output: 27x27x256", "Output featuremap size": a shape, not the output layer
        if label.role == NOT_ANSWER and (layer is None or layer.is_input):
            return  # "Input channels = 1", "卷积核大小：…"
        if layer is not None and not layer.is_input:
            # "Output Layer": the words of the layer's name are not a quantity
            label = classify(label_text[:layer.start] + " " + label_text[layer.end:])
        value = value.strip()
        if label.role is None and value:
            segments = [strip_numbering(part) for part in re.split(r"[;；，]|,\s+|\s+and\s+|和", value)]
            segments = [part for part in segments if part]
            # a number, then the word for what it counts: "186,624 neurons" ("1）减少参数" is a list item)
            units = [_cell_quantity(part) if re.match(r"[\d(（=~≈]", part) else None for part in segments]
            if len(segments) > 1 and any(units):
                # "27×27×256 = 186,624 neurons; 5×5×48×256 = 307,200 weights; …"
                kind = "total" if label.total and (layer is None or layer.is_input) else "layer"
                if kind == "layer" and layer is not None and not layer.is_input:
                    self.row = self.new_row(layer)
                    self.pending = None
                for part, unit in zip(segments, units):
                    if unit is not None and (kind == "total" or self.row is not None):
                        self._value(kind, self.row if kind == "layer" else None, unit, part, source)
                return
            if units and units[0] is not None:  # "= 850 parameters", "4096 neurons", "Total ≈ 62.4M parameters"
                label = Label(units[0], total=label.total)
        if layer is not None and not layer.is_input:
            self.row = self.new_row(layer)
            self.pending = None
        if value and re.match(r"[^\W\d_]", value) and "=" in value and not layer_in_value(value) \
                and label.quantity is None and not label.total:
            for sub_label, sub_value in _split_equals(value):  # "Input channels = 1, Output channels = 6"
                self._pair(sub_label, sub_value, source)
            return
        if label.total and (layer is None or layer.is_input):
            self._value_or_wait("total", None, label.quantity, value, source)
        elif label.role == INPUT or (layer is not None and layer.is_input):
            if self.row is None or self.row.label.number == 1:
                self._value_or_wait("input", None, Quantity.SHAPE, value, source)
        elif label.role == NOT_ANSWER:
            return
        elif label.quantity is not None:
            if self.row is None:
                if value:
                    for parsed in read_values(value)[:1]:
                        self.add(Reading("orphan", parsed, source, quantity=label.quantity))
                return
            self._value_or_wait("layer", self.row, label.quantity, value, source)
        elif layer is not None and not layer.is_input:
            self._value_or_wait("layer", self.row, None, value, source)

    def _value_or_wait(self, kind: str, row: Row | None, quantity: Quantity | None, value: str,
                       source: Source) -> None:
        if value and self._value(kind, row, quantity, value, source):
            return
        self.pending = (kind, row, quantity)
        self.pending_age = 0

    def _value(self, kind: str, row: Row | None, quantity: Quantity | None, region: str, source: Source,
               *, before_rows: bool = False) -> bool:
        candidates = read_values(region)
        if not candidates:
            return False
        parsed = candidates[0]
        if quantity is not Quantity.SHAPE and parsed.size_formula and len(candidates) == 1:
            return True  # an output-size formula where a count was asked: no answer here
        self.add(Reading(kind, parsed, source, row=row, quantity=quantity,
                         context=self.context if quantity is None else None, before_rows=before_rows))
        return True

    # ------------------------------------------------------------------------------ tables

    def table(self, block: Table) -> None:
        self.pending = None
        self.tables += 1
        group = self._new_group()
        rows = [list(r) for r in block.rows if any(c.text.strip() for c in r)]
        if not rows:
            return
        if _layers_across(rows):
            rows = _transposed(rows)  # "| | Conv1 | Conv2 |" over "| Units | … |": a layer per column
        elif self.row is not None and _quantities_down(rows):
            self._key_values(rows)  # "| Units | 290,400 |" under a "### Conv1" heading
            return
        has_header = block.has_header or _looks_like_header(rows[0])
        header = rows[0] if has_header else []
        body = rows[1:] if has_header else rows
        roles = [classify(clean(c.text), fuzzy=True) for c in header]
        layer_col = _layer_column(header, roles, body)
        quantity_cols = [j for j, r in enumerate(roles) if r.quantity is not None]
        single = roles[quantity_cols[0]].quantity if len({roles[j].quantity for j in quantity_cols}) == 1 \
            else None
        for cells in body:
            self._table_row(cells, roles, layer_col, single, has_header, group)

    def _key_values(self, rows: list[list[Cell]]) -> None:
        for row in rows:
            quantity = classify(clean(row[0].text), fuzzy=True).quantity if row else None
            cell = next((c for c in row[1:] if c.text.strip()), None)
            if quantity is not None and cell is not None:
                self._value("layer", self.row, quantity, cell.text, cell.source)

    def _table_row(self, cells: list[Cell], roles: list[Label], layer_col: int, single: Quantity | None,
                   has_header: bool, group: int) -> None:
        texts = [clean(c.text) for c in cells]
        # the label cell; a row whose leading pipe was dropped is shifted to line up with the header
        at = layer_col if layer_col < len(texts) and parse_layer(texts[layer_col], within=12) is not None else None
        if at is None:
            at = next((k for k, t in enumerate(texts) if _label_like(t) and parse_layer(t) is not None), None)
        if at is None and layer_col < len(texts) and names_total(texts[layer_col]):
            at = layer_col
        if at is None:
            at = next((k for k, t in enumerate(texts) if _label_like(t) and names_total(t)), None)
        shift = at - layer_col if at is not None else 0
        label_text = texts[at] if at is not None else ""
        layer = parse_layer(label_text) if label_text else None
        row: Row | None = None
        if label_text and names_total(label_text) and (layer is None or layer.kind is None):
            kind = "total"
        elif layer is None:
            if not any(names_total(t) for t in texts):
                return
            kind = "total"  # "Softmax | 1,000 classes | 62,357,608 (Total)"
        elif layer.is_input:
            kind = "input"
        else:
            kind = "layer"
            inner = next((lab for lab in (_inner_label(t) for k, t in enumerate(texts) if k != at) if lab), None)
            row = self.new_row(inner or layer, group)
        single_col = next((j for j, r in enumerate(roles) if r.quantity is not None and r.quantity is single), None)
        answered = False
        evidence: list[tuple[Parsed, Source]] = []
        totals: list[Reading] = []
        for k, (cell, text) in enumerate(zip(cells, texts)):
            if k == at or not text:
                continue
            column = k - shift
            role = roles[column] if 0 <= column < len(roles) else Label(None)
            own = _cell_quantity(text)
            candidates = read_values(_without_inner_label(text))
            if not candidates:
                continue
            parsed = candidates[0]
            if kind == "total":
                if role.quantity is not None or own is not None:
                    totals.append(Reading("total", parsed, cell.source, quantity=own or role.quantity,
                                          context=self.context, column=(self.tables, column)))
                else:  # a total is often written in whatever cell comes next: "Total|62,378,344|"
                    totals.append(Reading("total", parsed, cell.source, quantity=single, context=self.context,
                                          column=(self.tables, single_col) if single_col is not None else None))
                continue
            if kind == "input":
                if (own or role.quantity) in (None, Quantity.SHAPE) and role.role != NOT_ANSWER:
                    self.add(Reading("input", parsed, cell.source, quantity=Quantity.SHAPE))
                continue
            if own is not None:
                self.add(Reading("layer", parsed, cell.source, row=row, quantity=own))
            elif role.quantity is not None:
                self.add(Reading("layer", parsed, cell.source, row=row, quantity=role.quantity,
                                 column=(self.tables, column)))
                answered = True
            elif role.role is None and (not has_header or column >= len(roles)) and not _is_list(text):
                self.add(Reading("layer", parsed, cell.source, row=row, context=self.context,
                                 column=(self.tables, column)))
                answered = True
            elif isinstance(parsed.value, (int, float)) and parsed.value >= 1000:
                evidence.append((parsed, cell.source))
        if kind == "total":
            named = [r for r in totals if r.quantity is not None and r.quantity is not single]
            named = named or [r for r in totals if names_total(r.parsed.text)]
            chosen = named or (totals if len(totals) == 1 else [])
            for reading in chosen:
                self.add(reading)
        elif not answered:
            for parsed, source in evidence:
                self.add(Reading("layer", parsed, source, row=row, evidence_only=True))


def _layers_across(rows: list[list[Cell]]) -> bool:
    """Layers along the first row and quantities down the first column: a table to read turned."""
    across = sum(1 for cell in rows[0][1:] if parse_layer(clean(cell.text), within=12) is not None)
    down = sum(1 for row in rows[1:] if row and classify(clean(row[0].text), fuzzy=True).quantity is not None)
    return across >= 2 and down >= 1


def _transposed(rows: list[list[Cell]]) -> list[list[Cell]]:
    width = max(len(row) for row in rows)
    blank = Cell("", rows[0][0].source)
    return [[row[j] if j < len(row) else blank for row in rows] for j in range(width)]


def _quantities_down(rows: list[list[Cell]]) -> bool:
    """A table of quantity and value, no layer in it: the current layer's figures."""
    if any(parse_layer(clean(cell.text), within=12) is not None for row in rows for cell in row[:1]):
        return False
    return sum(1 for row in rows if len(row) >= 2 and classify(clean(row[0].text), fuzzy=True).quantity) >= 2


def _label_like(text: str) -> bool:
    """A row label, not a cell of working: few digits, no "=" or operators."""
    return len(text) <= 40 and "=" not in text and len(re.findall(r"\d+", text)) <= 2


def layer_in_value(value: str) -> bool:
    """"conv5: …" inside a value names a layer; "Input channels = 1" does not."""
    label = parse_layer(value.split("=", 1)[0], within=0, bare=False)
    return label is not None and not label.is_input


def _split_pairs(text: str) -> list[tuple[str, str]]:
    """A prose line as (label, value) pairs: "1.3 pool1 核：3*3，步长：2，降采样后：27*27*96" gives
    ("pool1 核", "3*3"), ("步长", "2"), ("降采样后", "27*27*96"). Without a colon, the label is what
    comes before the first "=" ("Number of parameters = … = 156"), or the whole line."""
    colons = [m.start() for m in re.finditer(r"[:：]", text)
              if not (m.start() > 0 and text[m.start() - 1].isdigit()
                      and text[m.start() + 1:m.start() + 2].isdigit())]
    if not colons:
        # the label ends at "=" or at the first number that is not part of a layer's name
        mention = parse_layer(text, within=LABEL_REACH, bare=False)
        if mention is not None and "=" in text[:mention.start]:
            mention = None
        end = re.compile(r"=|(?<![^\W\d_])(?<![\d.])[\d(（]").search(text, mention.end if mention else 0)
        if end and end.start() > 0 and re.match(r"[^\W\d_]|#", text):
            return [(text[:end.start()], text[end.start():])]
        return [(text, "")]
    pairs = []
    start = 0
    for k, colon in enumerate(colons):
        label = text[start:colon]
        end = colons[k + 1] if k + 1 < len(colons) else len(text)
        segment = text[colon + 1:end]
        if k + 1 < len(colons):
            cut = _last_separator(segment)
            value, start = segment[:cut[0]], colon + 1 + cut[1]
        else:
            value = segment
        pairs.append((label, value))
    return pairs


def _last_separator(segment: str) -> tuple[int, int]:
    """Where a value ends and the next label starts within the text between two colons."""
    best = None
    for m in re.finditer(r"[，；;、]|,(?=\s*[^\W\d_])|\s{2,}|\s(?=[^\W\d_][^\d]*$)", segment):
        best = m
    if best is None:
        tail = re.search(r"[^\W\d_][^\d]*$", segment)
        return (tail.start(), tail.start()) if tail else (len(segment), len(segment))
    return best.start(), best.end()


def _split_equals(value: str) -> list[tuple[str, str]]:
    return [(part.split("=", 1)[0], part.split("=", 1)[1] if "=" in part else "")
            for part in re.split(r"[,，;；]\s*(?=[^\W\d_])", value)]


def _looks_like_header(cells: list[Cell]) -> bool:
    texts = [clean(c.text) for c in cells]
    if any(re.search(r"\d", t) and parse_layer(t) is None for t in texts if t):
        return False
    return any(classify(t, fuzzy=True).role is not None for t in texts if t)


def _layer_column(header: list[Cell], roles: list[Label], body: list[list[Cell]]) -> int:
    for j, (cell, role) in enumerate(zip(header, roles)):
        if role.phrase in LAYER_HEADERS or clean(cell.text).lower() in LAYER_HEADERS:
            return j
    counts: dict[int, int] = {}
    for cells in body:
        for j, cell in enumerate(cells):
            if parse_layer(clean(cell.text)) is not None:
                counts[j] = counts.get(j, 0) + 1
                break
    return max(counts, key=lambda j: (counts[j], -j)) if counts else 0


def _inner_label(text: str) -> LayerLabel | None:
    """"conv5: (3*3)*384*256 + 256": a cell that names its own layer."""
    match = re.match(r"\s*([^\d:：=]{1,20}\d{0,2}(?:_\d)?)\s*[:：]", text)
    if match:
        label = parse_layer(match[1])
        if label is not None and not label.positional and not label.is_input:
            return label
    return None


def _without_inner_label(text: str) -> str:
    return re.sub(r"^\s*[^\d:：=]{1,20}\d{0,2}(?:_\d)?\s*[:：]", "", text) if _inner_label(text) else text


def _cell_quantity(text: str) -> Quantity | None:
    """A unit word inside a cell: "4,096 neurons"."""
    words = re.sub(r"[\d.,×x*()+\-=/\s]+", " ", drop_remarks(text)).strip()
    if not words or len(words) > 30:
        return None
    label = classify(words)
    return label.quantity if label.role is not None and not label.total else None


def _is_list(text: str) -> bool:
    """"1, 96, 11": inputs, outputs, kernel; not an answer."""
    return "=" not in text and len(re.findall(r"\d+", text)) >= 2 and bool(re.search(r"\d\s*,\s+\d|\d\s*,\s*\d{1,2}\b", text))
