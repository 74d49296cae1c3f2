"""Walking a Document: every number a student wrote, with its label, its row and its section,
before its slot is known.

- A *section* starts at a heading or line that names one network ("Q2) Alexnet", "9) VGG/6",
  "# AlexNet的实际网络结构") or a network that is not shipped ("Custom MLP Model"); text before any
  such line is a section that names none.
- A *row* is a layer mention: a table row's label, or in prose a heading or label that names a layer
  ("**1. conv1层**", "1.3 pool1 核：…", "Conv1 3, 64, 3"). Prose readings without a layer of their
  own belong to the current row ("神经元数量：…" under "conv1层"). Rows are grouped (one table, or
  one section's prose) so that the slot stage can place rows by position.
- A prose line is cut into sentences and *clauses*: each layer mention that opens one ("FC6 has …;
  FC7 has …", "conv1 290400, conv2 186624"; an ordinal alone goes on counting the kind named
  before: "… The fourth (…) has …") owns the numbers after it; a mention that names a source
  ("input: conv5's output", "most of them in FC6") opens nothing; a total word that opens a clause
  ("In total …", ", total 61,706") makes its numbers totals; a clause about one filter or position
  ("Each filter has 121 weights") holds no layer's count. A long paragraph is read only where a
  layer, a total or a label opens a clause.
- Labels: "units=69,984 weights=34,848" binds each value to the name before it, and a name after the
  last "=" names it too ("… = 26,214,400 = connections"); a student's notation ("N_l = number of
  neurons") names the slot of "N_{conv1} = …"; a line of quantity words ("(units, weights,
  connections)") orders the lists of numbers below it; a label line with no number ("Number of
  neurons of each layer:") names the numbers on the lines right below it; a "Total" heading makes
  the lines below totals; in a layer's line the product after an arrow is its output shape.
- A *reading* is one value with what its label says: the quantity a header or label names, a total,
  the input shape, or nothing (left to the slot stage: context, the asked quantities, evidence).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from grader.core import Cell, Document, Quantity, Source, Table, TextLine
from grader.extract.layers import (LayerLabel, find_layers, find_networks, network_mentions, pair_start,
                                  parse_layer)
from grader.extract.lines import logical_lines
from grader.extract.quantities import (INPUT, NOT_ANSWER, TOTAL, Label, aligned, classify, coordinated, normalise,
                                      named_quantities, names_network_column, names_other_network, names_part,
                                      names_share, names_total, quantities_beside, quantity_beside, respective,
                                      says_respectively, total_adverb, vocabulary)
from grader.extract.regions import (ARROW, Parsed, clean, drop_remarks, exact_over_rounded, has_operator, is_math,
                                    is_share, read_value, read_values, strip_numbering, without_retractions)

# prose: a layer named further into a label than this is a reference, not the label's subject
LABEL_REACH = 30
# a row waiting for its value ("Conv1 3, 64, 3" … "= 1792") waits this many non-blank lines
PENDING_LINES = 3
# a line that opens with worked arithmetic and its result, then goes on: "(11 * 11 * 3 * 96) + 96 = 34848, 注: …"
_LEADING_WORKING = re.compile(r"\s*[\d(（][\d\s.,*×x()（）+\-−=/^]*=\s*\d(?:[\d.,]*\d)?(?=\s*[,，;；。](?!\d))")
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
    block: int = 0  # the headings passed before it: a layer named again under another heading is the same


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
    # its layer is the one a heading or label above made current, not one its own clause names
    # ("第一层 …" then a paragraph: "…总共有156个参数"): a weaker placement
    from_context: bool = False


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
    for block in logical_lines(document.blocks):
        if isinstance(block, Table):
            walker.table(block)
        elif isinstance(block, TextLine):
            walker.line(block)
    return walker.sections


# a line of a program: an assignment from a call, a definition, a control statement, an import
_CODE = re.compile(r"\s*(?:[A-Za-z_][\w.\[\]]*\s*=\s*[A-Za-z_][\w.]*\s*\(|(?:def|class|return|import|from|with|"
                   r"for|while|if|elif|else|try|except|print)\b[^:：]*(?:[:(]|$))")


def _layer_question(body: str) -> str | None:
    """The layer's name in a question that names one layer and holds no number of its own."""
    if not re.search(r"[?？]\s*$", body):
        return None
    named = find_layers(body)
    if len({m.key for m in named}) != 1:
        return None
    rest = body[:named[0].start] + body[named[0].end:]
    rest = re.sub(r"^\s*[^\W\d_]{1,12}\s*\d{1,2}\s*[.):：]", "", rest)  # "Вопрос 1.", "Question 3:"
    return None if re.search(r"\d", rest) else body[named[0].start:named[0].end]


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
        # while a clause whose only total word can qualify a layer's count is read: the layer a
        # heading made current, which its "totals" may belong to ("总共有156个参数" under "## C1")
        self.adverb_row: Row | None = None
        self.pending_age = 0
        # a label line that names a quantity and no number ("Number of neurons of each layer:"): the
        # quantity of the bare numbers on the lines right below it
        self.lead: Quantity | None = None
        self.lead_line: int | None = None
        self.symbols: dict[str, Quantity] = {}  # a student's notation: "N_l = number of neurons"
        self.line_rows: dict[str, Row] = {}  # the rows this prose line opened, by layer key
        # "Format: (units, weights, connections)": the quantities, in order, of the lists of numbers below
        self.order: tuple[Quantity, ...] | None = None
        self.total_block = False  # under a heading that names a total
        self.headings = 0  # headings passed: prose that names a layer again after one comes back to it
        self.list_number: int | None = None  # the number of the line's list item ("3. …")
        self.last_line: int | None = None  # the source line of the block read last
        self.last_group = 0  # the group of the rows of the block read last
        self.listing = False  # the block read last was a table of rows placed by position
        self.heading_row: Row | None = None  # the layer the last heading named: its section's layer
        # "### Layer 1 (CONV1 + POOL1)": a heading that names a convolution and its pooling is the
        # convolution's section; a line that names the pooling says only that line about it
        self.block_row: Row | None = None
        # the last table row's layer key and Row: a table "in long form" gives one layer a row per
        # quantity ("conv1,units,290400" then "conv1,weights,34848"), one layer
        self.table_row: tuple[int, str, Row] | None = None
        # a listing of parameter tensors ("features.0.weight | (64, 3, 3, 3) | 1728"): each module's
        # row, by module name, and the modules that are normalisations (no layer of the spec)
        self.tensor_rows: dict[str, Row] = {}
        self.norm_modules: set[str] = set()

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
        self.lead = self.order = None
        self.total_block = False
        self.heading_row = self.block_row = None
        self.prose_group = self._new_group()
        self.tensor_rows, self.norm_modules = {}, set()

    def new_row(self, label: LayerLabel, group: int | None = None) -> Row:
        if group is None and label.key in self.line_rows:
            return self.line_rows[label.key]  # one prose line says one thing per layer it names
        row = Row(label, group if group is not None else (self.prose_group or self._new_prose_group()),
                  table=group is not None, block=self.headings)
        self.section.rows.append(row)
        if group is None:
            self.line_rows[label.key] = row
        return row

    def _new_prose_group(self) -> int:
        self.prose_group = self._new_group()
        return self.prose_group

    def add(self, reading: Reading) -> None:
        self.section.readings.append(reading)

    # ------------------------------------------------------------------------------ prose

    def line(self, block: TextLine) -> None:
        text = without_retractions(clean(block.text[:MAX_LINE]))
        if self.listing and block.source.line is not None and self.last_line is not None \
                and block.source.line == self.last_line + 1:
            self.prose_group = self.last_group  # the listing's next line, after rows split off as a table
        self.listing = False
        self.last_line, self.last_group = block.source.line, self.prose_group
        if not text:
            return
        self.line_rows = {}
        if self.pending is not None:
            self.pending_age += 1
            if self.pending_age > PENDING_LINES:
                self.pending = None
        line = block.source.line
        if self.lead is not None and (line is None or self.lead_line is None or line > self.lead_line + 1):
            self.lead = None  # a blank line (or a paragraph of its own) ends the list under the label
        if _CODE.match(text):
            return  # a statement of a program, not a student's label
        text = _KEY_COMMENT.sub(r"\1", text)  # "vgg19:   # same as vgg16 plus …": the key, not its note
        if (listed := _TENSOR_LINE.fullmatch(text)) is not None:
            # "features.0.weight torch.Size([64, 3, 11, 11]) 23232": a printed tensor's row
            parts = [listed["name"], listed["shape"] or "", listed["count"]]
            self._tensor_row([Cell(part, block.source) for part in parts], parts, 0, [], self.prose_group)
            return
        body = strip_numbering(text)
        heading = block.heading > 0 or _is_bold(block.text)
        if not heading and (asked := _layer_question(body)):
            # "Вопрос 1. Сколько нейронов … в слое conv1?": a question about one layer heads its answer
            body, heading = asked, True
        numbered = re.match(r"\s*(\d{1,2})\s*[.)）、]\s", text)
        self.list_number = int(numbered[1]) if numbered and body != text.strip() else None
        if not heading:
            body = _without_idle_head(body)
        if self._section_line(body, heading, block.source):
            return
        if heading:
            self.lead = self.order = None
            self.headings += 1
            self.heading_row = self.block_row = None
            mention = parse_layer(body, within=LABEL_REACH, bare=False)
            if mention is not None and mention.is_input:
                self.row = None  # "### INPUT层-输入层": what follows is about the input
            # "### Total": the lines below it are the network's totals
            self.total_block = mention is None and names_total(body) and _total_label(body)
            if self.total_block:
                self.row = None
            label = classify(body)
            if mention is not None and mention.kind is None and not mention.is_input and _only_names(body):
                label = Label(None)  # "## Output": the output layer's heading, no quantity's
            if label.quantity is not None:
                self.context = label.quantity
            elif label.role == NOT_ANSWER:
                self.context = None
        elif self.block_row is not None:
            self.row = self.block_row
        if not body or (not heading and self._numbered_list(body, block.source)):
            return
        working = _LEADING_WORKING.match(body) if self.pending is not None else None
        if working is not None and body[working.end():].strip(" ,，;；。"):
            # "本层参数数量为:" above, then "(11*11*3*96) + 96 = 34848, 注: …": the working is the
            # label's value, and the line goes on
            kind, row, quantity = self.pending
            self.pending = None
            self._value(kind, row, quantity, working[0], block.source)
            body = body[working.end():].lstrip(" ,，;；。")
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
        if heading and self.row is not None and self.line_rows.get(self.row.label.key) is self.row:
            self.heading_row = self.row
            named = find_layers(body)
            if self.row.label.kind == "conv" and any(m.kind == "pool" for m in named):
                self.block_row = self.row

    def _continues(self, body: str) -> bool:
        """A line of working that gives the pending row its value."""
        if self.pending is None:
            return False
        plain = drop_remarks(body)
        if is_math(plain):
            return True
        # not "4,096 neurons. Weights: 9,216 × 4,096 = …": sentences and labels of their own
        return bool(re.match(r"[\d(（]", plain)) and "=" in plain and parse_layer(plain, within=LABEL_REACH) is None \
            and not re.search(r"[^\W\d_]{2,}\s*[:：]", plain) and not _SENTENCE_END.search(plain.strip())

    def _section_line(self, body: str, heading: bool, source: Source) -> bool:
        """A line naming one network (or one that is not shipped) starts a section; "network: number"
        with no layer named is that network's total. A bracketed remark names no layer ("**LeNet-5**（…C3
        全连接…）：61,706"); a line that names several networks, each opening a clause ("VGG16：138,357,544；
        VGG19：143,667,240"), gives each its own."""
        plain = drop_remarks(body)
        if not heading and _owned_by_label(plain):
            return False  # "Total: 143,667,240, … more than VGG16: …": the label owns the line
        if not heading and self._network_clauses(plain, source):
            return True
        networks = find_networks(body)
        if networks and not heading and self.section.networks and _only_compared(plain):
            return False  # "比 VGG16 多 3 个卷积层", "more than VGG16": the section's network still
        if networks:
            if len({_family(n) for n in networks}) != 1:
                return False
            if not heading and self.section.heading and not find_networks(body[:LABEL_REACH]):
                if set(networks) <= set(self.section.networks) and not find_layers(plain):
                    # "Sanity check: the slides say AlexNet has 61M parameters and 724M MACs": the
                    # section's network named again, no layer: its totals
                    self._sentences(plain, source, network_line=True)
                    return True
                return False  # named in passing under a heading that is about something else
            self.start_section(networks, False, body, heading)
        elif names_other_network(body[:LABEL_REACH] if not heading else body):
            self.start_section((), True, body, heading)
        else:
            return False
        label = classify(body)
        if heading:
            self.context = label.quantity
        self.order = _declared_order(body)  # "AlexNet (units / weights / connections per layer)"
        head, colon, rest = (re.split(r"([:：=])", plain, maxsplit=1) + ["", ""])[:3]
        named = classify(head)
        if colon and (named.total or (len(head) <= LABEL_REACH and not named.role and find_networks(head)
                                      and not parse_layer(head, bare=False))):
            # "Total Parameters for LeNet-5: 156 (conv1) + … = 17166", "VGG16: 138,357,544"
            value = rest if named.total else _first_clause(rest)
            quantity = named.quantity or classify(value).quantity or classify(rest).quantity
            if value.strip() and not _no_count(value) and classify(value).role not in (INPUT, NOT_ANSWER) \
                    and self._value("total", None, quantity, value, source):  # not "lenet5:  # 32x32x1 input"
                return True
            before = len(self.section.readings)
            if named.total and not re.search(r"\d", rest) and re.search(r"\d", head):
                self._sentences(head, source, network_line=True)  # "VGG16总参数量是138M,具体如下:"
                if len(self.section.readings) > before:
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

    def _network_clauses(self, plain: str, source: Source) -> bool:
        """"VGG16 总参数约 1.38亿，VGG19 约 1.44亿": several networks, each opening a clause with its
        number and no layer: a section and a total each."""
        mentions = [m for m in network_mentions(plain) if _CLAUSE_OPENER.fullmatch(plain[:m[0]])
                    or _CLAUSE_OPENER.fullmatch(plain, _last_stop(plain, m[0]), m[0])]
        if len(mentions) < 2:
            return False
        totals = []
        for k, (start, end, name) in enumerate(mentions):
            piece = plain[end:mentions[k + 1][0] if k + 1 < len(mentions) else len(plain)]
            found = _NETWORK_VALUE.match(piece)
            if found is None or parse_layer(found["label"], bare=False) is not None or _no_count(found["value"]) \
                    or classify(found["label"]).role == NOT_ANSWER:
                return False
            totals.append((name, classify(found["label"]).quantity, _first_clause(found["value"])))
        for name, quantity, value in totals:
            self.start_section((name,), False, plain, False)
            self._value("total", None, quantity, value, source)
        return True

    def _pairs(self, body: str, source: Source, heading: bool) -> None:
        order = None if heading else _declared_order(body)
        if order is not None:
            self.order = order
            return
        if not heading and (order := _slashed_order(body)) is not None:
            self.order = order  # the sentence goes on to be read as any other
        # "Pool(Conv 1)" names a layer; "156 (conv1) + 2416 (conv2)" annotates a sum
        keep = None if re.match(r"[\d(（]", body) else (lambda inner: parse_layer(inner, within=0) is not None)
        body = drop_remarks(body, keep=keep)
        if heading:
            for label_text, value in _split_pairs(body):
                self._pair(label_text, value, source, heading)
            return
        body = _without_dash_remark(body)
        body = _DASH_LABEL.sub(r"\1: ", body)  # "нейронов — 253 440": the dash of a label, as a colon
        self._definitions(body)
        start = len(self.section.readings)
        rows_before, row_before = len(self.section.rows), self.row
        self._clauses_of(body, source)
        opened = self.section.rows[rows_before:]
        counted = any(r.row is not None and any(r.row is row for row in opened) for r in self.section.readings[start:])
        # (not "FC6 and FC7:", a label waiting for its values below)
        # ("第一层 卷积层 conv1", "Layer 1 (CONV1)": a layer by its number and by its name is one layer)
        named = {r.label.key for r in opened if r.label.kind != "layer"}
        numbered = {r.label.key for r in opened if r.label.kind == "layer"}
        together = len(named) >= 2 or (not named and len(numbered) >= 2)
        if not counted and together and not re.search(r"[:：=]\s*$", body):
            # "conv2, conv4 and conv5 only see their own GPU": layers talked about together, no count
            # of theirs: no row, and the layer the text was on stays current
            del self.section.rows[rows_before:]
            self.row = row_before
            if self.pending is not None and self.pending[1] in opened:
                self.pending = None
        self._same_as(body, self.section.readings[start:], source)
        if self.lead is not None and len(self.section.readings) > start:
            self.lead_line = source.line  # the list under the label goes on

    def _same_as(self, body: str, read: list[Reading], source: Source) -> None:
        """"… 16,777,216 weights, and its connections equal its weights", "the connections the same",
        "连接数与权重相同": a quantity said to be the same as another the line gave one layer."""
        layers = {id(r.row) for r in read if r.kind == "layer" and r.row is not None}
        if len(layers) != 1:
            return
        row = next(r.row for r in read if r.kind == "layer")
        given = {r.quantity: r for r in read if r.kind == "layer" and r.quantity not in (None, Quantity.SHAPE)}
        for same, like in _same_statements(body):
            if same in given:
                continue
            source_reading = given.get(like) if like is not None else (
                list(given.values())[-1] if len(given) >= 1 else None)
            if source_reading is not None and not isinstance(source_reading.parsed.value, tuple):
                self.add(Reading("layer", source_reading.parsed, source, row=row, quantity=same))
                given[same] = source_reading

    def _numbered_list(self, body: str, source: Source) -> bool:
        """"1. 290400 / 34848 / 105415200" under "For each layer: units / weights / connections": a list
        item of as many values as the quantities declared, numbered as the layers with weights are."""
        if self.order is None or self.list_number is None or find_layers(body):
            return False
        pieces = _listed_values(body, len(self.order))
        if not pieces:
            return False
        number = self.list_number
        self.row = self.new_row(LayerLabel(body, "layer", number, f"layer{number}"))
        for quantity, piece in zip(self.order, pieces):
            self._value("layer", self.row, quantity, piece, source)
        return True

    def _clauses_of(self, body: str, source: Source) -> None:
        if len(find_layers(body)) >= 2:  # sentences read as lists of layers are read: the rest goes on
            sentences = [s for s in _SENTENCE_END.split(body) if s.strip()]
            rest = [s for s in sentences if not self._layer_lists(s, source)]
            if len(rest) < len(sentences):
                body = " ".join(rest)
        line_row: Row | None = None  # the row a clause of this line opened: later clauses continue it
        line_total = False  # "Total: 60,954,656 weights; connections about 724M": the line is of totals
        kind = self.row.label.kind if self.row is not None and self.row.label.kind in ANAPHOR_KINDS else None
        for k, clause in enumerate(_clauses(body, kind)):
            self.adverb_row = None
            line_total = (line_total or (k == 0 and clause.total)) and clause.layer is None
            if clause.per_item:  # "each filter has 121 weights": not the layer's count
                named = find_layers(clause.text)
                if named:  # "Each kernel of conv2 …": about conv2
                    line_row = self.row = self.new_row(named[0])
                    self.pending = None
                continue
            lead = _lead_label(clause.text)
            if lead is not None:
                self.lead, self.lead_line = lead, source.line
            late = None if clause.layer is not None or line_row is not None or clause.total or line_total \
                else _named_late(clause.text)
            if clause.layer is not None or late is not None:
                line_row = self.row = self.new_row(clause.layer or late)
                self.pending = None
            elif clause.paragraph and line_row is None and not clause.total and not _LABELLED.match(clause.text):
                # a paragraph's sentence that no layer, total or label opens: worked examples, but for
                # a number with its word beside it ("…共有156个参数") under the heading's layer
                if self._prose_row() is not None:
                    self._beside(clause, source, set(), None)
                continue
            if line_row is not None and clause.layer is not None and self._arrow_shape(clause.text, source):
                continue
            in_block, self.total_block = self.total_block, self.total_block or (line_total and line_row is None)
            line_row = self._read_clause(clause, source, line_row)
            self.total_block = in_block
        self.adverb_row = None

    def _read_clause(self, clause: Clause, source: Source, line_row: Row | None) -> Row | None:
        """A clause's labelled values and the numbers named by the words beside them; the row the line
        is on after it."""
        if says_respectively(clause.text) and self._respectively(clause, source, line_row):
            return line_row
        before = len(self.section.readings)
        equations = _equations(clause.text)
        if len(equations) >= 2 or any(len(eq.names) > 1 for eq in equations):
            # "units=69,984 weights=34,848", "W_fc6 = 43,264 x 4096 = 177,209,344 = C_fc6"
            head = clause.text[:equations[0].start]
            for label_text, value in _split_pairs(head) if head.strip() else ():
                self._pair(label_text, value, source)
            for equation in equations:
                for name in equation.names:
                    self._pair(name, equation.region, source)
        else:
            for label_text, value in _split_pairs(clause.text):
                self._pair(label_text, value, source)
        if self.row is not None and self.line_rows.get(self.row.label.key) is self.row:
            line_row = self.row
        read = {r.parsed.value for r in self.section.readings[before:]}
        self._beside(clause, source, read, line_row)
        return line_row

    def _layer_lists(self, sentence: str, source: Source) -> bool:
        """"fc6, fc7 and fc8 have 4096, 4096 and 1000 neurons and 37,748,736, 16,777,216 and 4,096,000
        weights": each list of values as long as the list of layers, one value for each, in order."""
        found = _layer_lists(sentence)
        if not found:
            return False
        layers, lists = found
        rows = [self.new_row(layer) for layer in layers]
        for quantity, values in lists:
            for row, value in zip(rows, values):
                self._value("layer", row, quantity, value, source)
        self.row, self.pending = rows[-1], None
        return True

    def _respectively(self, clause: Clause, source: Source, line_row: Row | None) -> bool:
        """"the parameters and connections are 12 and 5,880 respectively", "参数和连接数分别是 1516 和
        151600": the values, in order, of the quantities named before them."""
        from grader.extract.numbers import scan

        text = exact_over_rounded(clause.text)
        names = [(m.start, m.end) for m in find_layers(text)]
        numbers = [w for w in scan(text) if not is_share(text, w) and not any(a <= w.start < b for a, b in names)]
        quantities = respective(text[:numbers[0].start]) if numbers else ()
        if not quantities or len(numbers) != len(quantities):
            return False
        row, from_context = line_row, False
        if row is None and not clause.total:
            named = parse_layer(text[:numbers[0].start], bare=False)  # "For S2, the parameters and …"
            if named is not None and not named.is_input:
                row = self.row = self.new_row(named)
                self.pending = None
            else:
                row, from_context = self._prose_row(), True
            if row is None:
                return False
        for quantity, written in zip(quantities, numbers):
            self._value("total" if clause.total else "layer", None if clause.total else row, quantity,
                        text[written.start:written.end], source, from_context=from_context)
        return True

    def _definitions(self, body: str) -> None:
        """A student's own notation: "N_l = number of neurons, W_l = number of weights" makes "W_{conv1}"
        the weights of conv1."""
        for m in _DEFINITION.finditer(body):
            label = classify(m[2])
            if label.quantity is not None and label.quantity is not Quantity.SHAPE and not label.total:
                self.symbols[m[1]] = label.quantity

    def _arrow_shape(self, text: str, source: Source) -> bool:
        """"POOL1: 3x3, stride 2: (55 - 3)/2 + 1 = 27 -> 27x27x96": in a layer's line, the product after
        the arrow is its output shape; what leads to it (window, stride, size formula) is working."""
        arrows = list(ARROW.finditer(text))
        if not arrows:
            return False
        before, after = text[:arrows[-1].start()], text[arrows[-1].end():]
        named = classify(before).quantity
        if named is not None and named is not Quantity.SHAPE or not _PRODUCT_AHEAD.match(after):
            return False
        parsed = read_value(after)
        if parsed is None or not parsed.factors or len(parsed.factors) < 2:
            return False
        self._value("layer", self.row, Quantity.SHAPE, after, source)
        return True

    def _sentences(self, body: str, source: Source, network_line: bool = False) -> None:
        """A line that names a network: "VGG16 has 138,357,544 parameters." gives its total."""
        for clause in _clauses(body):
            if not clause.per_item:
                self._beside(clause, source, set(), None, network_line)

    def _beside(self, clause: Clause, source: Source, read: set, line_row: Row | None,
                network_line: bool = False) -> None:
        """Numbers a clause names by the word beside them: "FC7 has 4,096 neurons and 16,777,216 weights",
        "so the weights are 11x11x3x96 = 34,848". They belong to the layer whose mention opened the clause
        (or an earlier clause of the line), or to a total; a sentence that opens none must name its
        layer (anywhere, when it is short: "There are 186,624 neurons in the second convolutional
        layer") or a total: elsewhere a number and a word side by side say too little."""
        from grader.extract.numbers import scan

        text = exact_over_rounded(clause.text)  # "权重约 6095 万（60954656）": the exact figure
        layer = None
        total = clause.total or (self.total_block and line_row is None)
        context_row = None  # the layer a heading above made current, for a sentence that names none
        if not total and line_row is None and self._kind_subtotal(text):
            return
        if not total and line_row is None:
            reach = None if len(text) <= SHORT_SENTENCE else LABEL_REACH
            layer = None if clause.paragraph else _layer_about(text, reach)
            if (layer is not None and _sum_of_layers(text)) or _PLURAL_LAYERS.search(text):
                return  # "FC6 + FC7 hold 54M of the 61M parameters": no one layer's
            total = layer is None and (network_line or names_total(text[:LABEL_REACH]))
            if total and not network_line and _only_adverbs(text[:LABEL_REACH]):
                self.adverb_row = self._prose_row()  # "总共有156个参数" under "## C1": C1's, or the total
            if layer is None and not total and not network_line:
                context_row = self._prose_row()
            if (layer is None or layer.is_input) and not total and context_row is None:
                return
        found = []  # (quantity, text, a total)
        names = [(m.start, m.end) for m in find_layers(text)]
        numbers = [w for w in scan(text) if not is_share(text, w) and not any(a <= w.start < b for a, b in names)]
        # "conv2 units 43,264 weights 307,200": where the first number has its word before it, so do all
        pairs = bool(numbers) and quantity_beside(text[:numbers[0].start], "") is not None
        for k, written in enumerate(numbers):  # not "~96% of the weights", nor the 1 of "全连接层1 参数"
            if _BYTES_AFTER.match(text, written.end):
                continue  # "746,496 bytes": a size, no count
            named = quantities_beside(text[:written.start], text[written.end:], before_first=pairs)
            quantity, joined = (named[0], named[1:]) if named else (None, ())
            whole = numbers[k + 1] if k + 1 < len(numbers) else None
            if whole is not None and _PART_OF.fullmatch(text[written.end:whole.start]):
                # "37.7M of the 58.6M weights": the part is this clause's, the whole is a total
                quantity = quantity_beside("", text[whole.end:])
            if quantity is not None and written.value not in read:
                of_whole = k > 0 and _PART_OF.fullmatch(text[numbers[k - 1].end:written.start]) is not None
                found.append((quantity, text[written.start:written.end], total or of_whole))
                also = _also_after(text[written.end:whole.start if whole is not None else len(text)])
                if also not in (None, quantity):  # "37,752,832 parameters, and the same number of connections"
                    found.append((also, text[written.start:written.end], total or of_whole))
                # "its parameters and its connections are both 10,164"
                found += [(q, text[written.start:written.end], total or of_whole) for q in joined]
        if not found and numbers and not re.search(r"[^\W\dxX_]", text[numbers[0].start:numbers[-1].end]):
            # one region of numbers ("(120 + 1) x84 = 10164"): one value
            self._far_words(text, numbers[0].start, numbers[-1].end, source, total, line_row or context_row, layer,
                            from_context=line_row is None and context_row is not None)
            return
        if not found:
            return
        row = None
        if not all(in_total for _, _, in_total in found):
            row = line_row or context_row or self.new_row(layer)
            self.row, self.pending = row, None
        for quantity, value, in_total in found:
            self._value("total" if in_total else "layer", None if in_total else row, quantity, value, source,
                        from_context=context_row is not None and not in_total)

    def _kind_subtotal(self, text: str) -> bool:
        """Text that opens with a layer kind alone, then the word for a count: "卷积层参数：2334080",
        "FC层参数共58631144个", "conv params: …": all the layers of that kind, no layer's and not the
        network's. Not "这个卷积层总共有…" (this layer), nor the kind of the layer a heading made current
        (under "## C1", "卷积层参数：156" is C1's)."""
        mention = parse_layer(text[:LABEL_REACH])
        current = self.heading_row
        return mention is not None and mention.number is None and mention.kind in ANAPHOR_KINDS \
            and (current is None or current.label.kind != mention.kind) \
            and not text[:mention.start].strip(" -*•") \
            and classify(re.split(r"[\d:：=]", text[mention.end:])[0][:12]).quantity not in (None, Quantity.SHAPE)

    def _block_list(self, layer: LayerLabel, value: str, source: Source) -> bool:
        """A bracketed list of values under a block's name, one for each of its layers in order:
        "conv3: [295168, 590080, 590080, 590080]" (VGG19's block 3), "fc: [102764544, 16781312,
        4097000]" (fc6-fc8). The list must be as long as the block is in the section's network."""
        found = _BRACKETED_LIST.fullmatch(value.strip())
        if found is None or len(self.section.networks) != 1:
            return False
        from grader.reference.spec import load_network

        items = [item.strip() for item in found[1].split(",")]
        network = load_network(self.section.networks[0])
        if layer.kind == "conv" and layer.number is not None and not layer.positional:
            names = [n.name for n in network.layers if re.fullmatch(rf"conv{layer.number}_\d+", n.name)]
        elif layer.kind == "fc" and layer.positional:
            names = [n.name for n in network.layers if n.kind == "fc"]
        else:
            return False
        if len(names) < 2 or len(names) != len(items):
            return False
        for name, item in zip(names, items):
            self._value("layer", self.new_row(LayerLabel(name, None, None, name)), None, item, source)
        self.row, self.pending = None, None
        return True

    def _far_words(self, text: str, start: int, end: int, source: Source, total: bool, row: Row | None,
                   layer: LayerLabel | None, *, from_context: bool) -> None:
        """"The parameters and connections of this layer are 10164": a clause's one value (text[start:
        end]), the words for what it counts earlier in the clause than beside it; read as weaker than
        words beside it would be (as a heading's quantity is)."""
        far = named_quantities(text[:start])
        found = read_values(text[start:end])
        if not found or not 1 <= len(far) <= 2 or _BYTES_AFTER.match(text, end) \
                or _DIFFERENCE.search(text) or _MORE_AFTER.match(text, end):
            return  # "… more than VGG16: 5,309,696 more": a difference, no count
        if not total:
            row = row or self.new_row(layer)
            self.row, self.pending = row, None
        for quantity in sorted(far, key=lambda q: q.value):
            self.add(Reading("total" if total else "layer", found[0], source, row=None if total else row,
                             context=quantity, from_context=from_context and not total))

    def _pair(self, label_text: str, value: str, source: Source, heading: bool = False) -> None:
        label_text = _QUOTED_KEY.sub(r"\1", label_text)  # "{'total'": a printed dict's key
        span = _layer_range(label_text)
        if span is not None:
            self._range(span, label_text, value, source)
            return
        label = _nearest_label(label_text)
        if len(label_text) > LABEL_LENGTH and not heading and not (label.total and label.quantity):
            return  # a sentence, not a label
        if not heading and self._kind_subtotal(label_text):
            return
        layer = _layer_about(label_text, LABEL_REACH) or self._subscripted(label_text)
        if layer is None and value.strip():
            bare = parse_layer(label_text, bare=True)  # "FC: 4096 neurons": the kind is the whole label
            if bare is not None and not re.sub(r"[\W_]+", "", label_text[:bare.start] + label_text[bare.end:]):
                layer = bare
        if layer is not None and layer.kind is None and not layer.is_input \
                and len(label.phrase) >= layer.end - layer.start and not (not value.strip() and (heading or _only_names(label_text))):
            layer = None  # "Output: 27x27x256", "Output featuremap size": a shape, not the output layer
        if layer is not None and label.role is None and self._block_list(layer, value, source):
            return  # VGG19's "conv3: [295168, 590080, 590080, 590080]": a value for each layer of block 3
        if label.role == NOT_ANSWER and (layer is None or layer.is_input):
            return  # "Input channels = 1", "卷积核大小：…"
        if _DIFFERENCE.search(label_text) or _DIFFERENCE.match(value.strip()[::-1]):
            return  # "5,309,696 more than VGG16": a difference, no count
        if _per_item().match(value):
            return  # "conv1: each filter is 11×11×3 = 363 weights", "fc6: each GPU holds 2048": one item's
        if _sum_of_layers(label_text) or _sum_of_layers(value) or _PLURAL_LAYERS.search(label_text):
            return  # "FC6 + FC7 = 54M", "the three FC layers hold …": several layers' count, no layer's
        if label.total and not _total_label(label_text):
            label = Label(label.role, phrase=label.phrase)  # "Pooling takes the sum of the 3x3 window"
        if label.total and layer is None and _only_adverbs(label_text):
            self.adverb_row = self._prose_row()  # "这个卷积层总共有…" under "## C1": C1's count, or the total
        if layer is not None and not layer.is_input:
            # "Output Layer": the words of the layer's name are not a quantity
            label = classify(label_text[:pair_start(label_text, layer)] + " " + label_text[layer.end:])
            symbol = _SYMBOL.match(label_text)
            if label.role is None and symbol and symbol[1] in self.symbols:
                label = Label(self.symbols[symbol[1]])  # "W_{conv1}" in the student's notation
        value = value.strip()
        segments = [strip_numbering(part, bare=False) for part in _value_parts().split(value)] \
            if value else []
        segments = [part for part in segments if part]
        # a number, then the word for what it counts: "186,624 neurons" ("1）减少参数" is a list item)
        # "400 values down to 120 units": the units are 120
        counted = [_counted_later(part) or part for part in segments]
        if len(segments) == 1 and counted != segments:
            value = counted[0]
        segments = counted
        units = [_cell_quantity(part) if re.match(r"[\d(（=~≈]", part) else None for part in segments]
        if label.quantity is Quantity.SHAPE and units and units[0] is not None:
            label = Label(None, total=label.total)  # "FC6 takes conv5's output and has 37,748,736 weights"
        elif label.quantity is not None and units and all(units) and any(u is not label.quantity for u in units) \
                and all(_WORD_AFTER_NUMBER.search(part) for part in segments):
            # "FC7. 4096 neurons fed by FC6's: 16,777,216 weights and 16,777,216 connections": the word
            # right after each number says what it counts, not a word of the label
            label = Label(None, total=label.total)
        first, *rest = _value_parts().split(value) if value else [""]
        more: list[tuple[Quantity, str]] = []  # other quantities the rest of the value names
        if label.quantity is not None and rest and re.match(r"\s*[\d(（=~≈$]", first) \
                and re.search(r"[^\W\d_]{2,}", " ".join(rest)):
            value = first  # "is 64,896 and in conv5 it is 43,264": the value, then the sentence goes on
            more = _more_quantities(rest, first, label.quantity)
        if label.quantity is not None and value:
            trailing = _TRAILING_NAME.search(value)
            named = classify(trailing[1]).quantity if trailing else None
            if named not in (None, Quantity.SHAPE, label.quantity):
                more.append((named, value))  # "Weights 6*6*256*4096 = 37.7M = connections"
        if label.quantity is not None and value:
            more += [(q, value) for q in _equated_quantities(label_text) if q is not label.quantity]
        worded = _WORD_FIRST.match(value) if label.role is None and (layer is not None or label.total) else None
        if worded is not None:
            named = classify(worded[1])
            if named.quantity is not None and not named.total \
                    and len(worded[1]) <= len(named.phrase) + 2:
                # "FC7: units 4096", "S4: 输出 5×5×16", "合计：权重共 60954656 个"
                label, value = Label(named.quantity, total=label.total), worded[2]
        if label.role is None and value:
            if len(segments) > 1 and any(units):
                # "27×27×256 = 186,624 neurons; 5×5×48×256 = 307,200 weights; …"
                kind = "total" if label.total and (layer is None or layer.is_input) else "layer"
                if kind == "layer" and layer is not None and not layer.is_input:
                    self.row = self._row_of(layer, heading)
                    self.pending = None
                stated = None
                for part, unit in zip(segments, units):
                    also = _same_value(part) if unit is None and stated is not None else None
                    if (unit or also) is not None and (kind == "total" or self.row is not None):
                        # "… = 16,781,312 parameters and connections": one value, two quantities
                        self._value(kind, self.row if kind == "layer" else None, unit or also,
                                    part if unit else stated, source)
                    if unit is not None:
                        stated = part
                return
            if units and units[0] is not None:  # "= 850 parameters", "4096 neurons", "Total ≈ 62.4M parameters"
                label = Label(units[0], total=label.total)
        if layer is not None and not layer.is_input:
            self.row = self._row_of(layer, heading)
            self.pending = None
            shown = _OUTPUT_SHAPE.search(value) if label.role is None else None
            if shown:  # "conv1: output 54x54x96 -> neurons = …": the layer's shape, said in passing
                self._value("layer", self.row, Quantity.SHAPE, shown["shape"], source)
            if label.role is None and self._arrow_shape(value if ARROW.search(value) else label_text + value, source):
                return  # "conv: 96 kernels 11x11x3, stride 4 → 55x55x96", "max pool → 13x13x256"
        if not value and label.quantity is not None and re.match(r"\s*[\d(（]", label_text) \
                and (label.quantity is not Quantity.SHAPE or _SHAPE_FIRST.match(label_text)):
            value = label_text  # "4,096 neurons.", "27x27x256 feature map": the number, then its word
        if value and re.match(r"[^\W\d_]", value) and "=" in value and not layer_in_value(value) \
                and label.quantity is None and not label.total:
            for sub_label, sub_value in _split_equals(value):  # "Input channels = 1, Output channels = 6"
                self._pair(sub_label, sub_value, source)
            return
        if value and label.role is None and layer is not None and _BRACKETED_SHAPE.fullmatch(value):
            label = Label(Quantity.SHAPE)  # "CONV3-64: [224x224x64]": a tensor's shape
        if value and label.role is None and not label.total and layer is not None and self.order:
            pieces = _listed_values(value, len(self.order))
            if pieces:  # "conv1: 290,400 / 34,848 / 105,415,200" under "(units / weights / connections)"
                for quantity, piece in zip(self.order, pieces):
                    self._value("layer", self.row, quantity, piece, source)
                return
        if value and label.role is None and not label.total and layer is not None and not _answer_like(value):
            return  # "Conv5 has 256 filters of 3x3x192", "POOL1: 3x3": no number here is an answer
        if (label.total or self.total_block) and (layer is None or layer.is_input):
            self._value_or_wait("total", None, label.quantity, value, source)
            for quantity, region in more:
                self._value("total", None, quantity, region, source)
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
            for quantity, region in more:
                self._value("layer", self.row, quantity, region, source)
        elif layer is not None and not layer.is_input:
            self._value_or_wait("layer", self.row, None, value, source)
        elif label.role is None and _LONE_SYMBOL.fullmatch(clean(label_text)) and has_operator(value) \
                and self._prose_row() is not None:
            # "W &= 11·11·3·96 = 34 848" under "conv1": a symbol of the student's own, its worked count
            # the current layer's; what it counts is left to the value (evidence.py)
            self._value("layer", self._prose_row(), None, value, source, from_context=True, worded=False)

    def _subscripted(self, label_text: str) -> LayerLabel | None:
        """"units_4", "\\text{weights}_5" under "Conv4 and Conv5": a quantity's word with the number of a
        layer of the kind being counted as its subscript."""
        match = _SUBSCRIPTED.fullmatch(clean(label_text))
        row = self.row or self.heading_row
        if match is None or row is None or row.label.kind not in ANAPHOR_KINDS \
                or classify(match["word"]).quantity in (None, Quantity.SHAPE):
            return None
        kind, number = row.label.kind, int(match["number"])
        return LayerLabel(label_text, kind, number, f"{kind}{number}")

    def _range(self, span: list[LayerLabel], label_text: str, value: str, source: Source) -> None:
        """"conv3_2 ~ conv3_4: 590,080 each" is each layer's; "conv1-conv3: 290400, 186624, 64896" one
        value each, in order; a range with one value and no "each" is their sum, no layer's."""
        words = re.sub(_RANGE.pattern, " ", label_text, flags=re.IGNORECASE)
        quantity = classify(words).quantity
        pieces = _listed_values(value, len(span)) if len(span) > 1 else None
        each = _EACH.search(value) or _EACH.search(label_text)
        if pieces is None and not each:
            return
        for k, layer in enumerate(span):
            self.row = self.new_row(layer)
            self._value("layer", self.row, quantity, pieces[k] if pieces else _EACH.sub(" ", value), source)
        self.pending = None

    def _row_of(self, layer: LayerLabel, heading: bool) -> Row:
        """The row a label opens; under a heading that names a layer, a bare kind of the same layer
        ("### Layer 1 (CONV1)" then "- conv: 96 kernels …") is that layer."""
        if layer.positional and not heading and self.heading_row is not None \
                and self.heading_row.label.kind == layer.kind:
            return self.heading_row
        return self.new_row(layer)

    def _value_or_wait(self, kind: str, row: Row | None, quantity: Quantity | None, value: str,
                       source: Source) -> None:
        if value and self._value(kind, row, quantity, value, source):
            return
        self.pending = (kind, row, quantity)
        self.pending_age = 0

    def _value(self, kind: str, row: Row | None, quantity: Quantity | None, region: str, source: Source,
               *, before_rows: bool = False, from_context: bool = False, worded: bool = True) -> bool:
        """A reading of the region's value; `worded` False: no word around it, the heading's and the
        label line's quantity included, says what it counts (only its value will)."""
        if kind == "total" and _no_count(drop_remarks(clean(region))):
            return True  # "一共 7 层": a number of layers, no total
        if _IN_BYTES.search(region):
            return True  # "24M * 4 bytes ~= 93MB": a size in bytes, no count
        candidates = read_values(region)
        if not candidates:
            return False
        parsed = candidates[0]
        if quantity is not Quantity.SHAPE and parsed.size_formula and len(candidates) == 1:
            return True  # an output-size formula where a count was asked: no answer here
        if kind == "total" and row is None and parsed.value == 0:
            return True  # "max pooling => pools have 0 params": no network counts nothing
        if kind == "total" and row is None and self.adverb_row is not None:
            row, from_context = self.adverb_row, True  # the slot stage decides by the value
        self.add(Reading(kind, parsed, source, row=row, quantity=quantity,
                         context=(self.lead or self.context) if quantity is None and worded else None,
                         before_rows=before_rows, from_context=from_context))
        return True

    def _prose_row(self) -> Row | None:
        """The layer a heading or a prose label made current in this section, if any (not a table's)."""
        row = self.row
        return row if row is not None and not row.table and row in self.section.rows else None

    # ------------------------------------------------------------------------------ tables

    def table(self, block: Table) -> None:
        self.pending = None
        self.lead = self.order = None
        self.tables += 1
        rows = [list(r) for r in block.rows if any(c.text.strip() for c in r)]
        follows = self.last_line is not None and block.source.line == self.last_line + 1
        self.last_line = max((c.source.line for r in rows for c in r if c.source.line is not None), default=None)
        if not rows:
            return
        # a listing cut into pieces ("CONV3-64 …" rows between "POOL2 …" lines, as a reader may split
        # space-aligned text): headerless rows placed by position run on from the lines right above
        positional = not block.has_header and _placed_by_position(rows)
        group = self.last_group if follows and positional and self.last_group else self._new_group()
        self.last_group = group
        self.listing = positional
        if _layers_across(rows):
            rows = _transposed(rows)  # "| | Conv1 | Conv2 |" over "| Units | … |": a layer per column
        elif self.row is not None and _quantities_down(rows):
            self._key_values(rows)  # "| Units | 290,400 |" under a "### Conv1" heading
            return
        rows = rows[_header_row(rows):]
        rows = _without_index_column(rows)
        has_header = block.has_header or _looks_like_header(rows[0])
        if has_header and _second_header_row(rows):
            rows = [_joined_header(rows[0], rows[1])] + rows[2:]
        header = rows[0] if has_header else []
        body = rows[1:] if has_header else rows
        roles = _one_column_a_count(header, _with_flops_as_connections(
            [classify(clean(c.text), fuzzy=True) for c in header]))
        layer_col = _layer_column(header, roles, body)
        quantity_cols = [j for j, r in enumerate(roles) if r.quantity is not None]
        single = roles[quantity_cols[0]].quantity if len({roles[j].quantity for j in quantity_cols}) == 1 \
            else None
        running = _running_index(body)
        network_col = next((j for j, c in enumerate(header) if names_network_column(clean(c.text))), None)
        body = _long_form_filled(body, layer_col)
        for cells in body:
            named = find_networks(clean(cells[network_col].text)) if network_col is not None \
                and network_col < len(cells) else ()
            if len(named) == 1 and named != self.section.networks:
                # "LeNet-5,conv1,…" then "AlexNet,conv1,…": the network column opens each network's section
                self.start_section(named, False, clean(cells[network_col].text), heading=False)
                group = self._new_group()
            if len(named) == 1 and not any(parse_layer(clean(c.text)) or names_total(clean(c.text)) for c in cells):
                self._network_row(cells, header)  # "| vgg16 | 14714688 | 123642856 | 138357544 |"
                continue
            self._table_row(cells, roles, layer_col, single, has_header, group, running)
        if any(row.table and row.group == group for row in self.section.rows):
            # the table named its own layers: a line below that names none is not the layer of a line
            # above the table (its number is placed by its value, or not at all)
            self.row = None

    def _network_row(self, cells: list[Cell], header: list[Cell]) -> None:
        """A row that is one network's, in a table of networks: the cells under a header naming a
        total ("total params") are its totals; the others count parts of it ("conv params")."""
        for cell, head in zip(cells, header):
            label = classify(clean(head.text), fuzzy=True)
            if label.total and label.quantity not in (None, Quantity.SHAPE) \
                    and (found := read_values(clean(cell.text))):
                self.add(Reading("total", found[0], cell.source, quantity=label.quantity))

    def _key_values(self, rows: list[list[Cell]]) -> None:
        for row in rows:
            quantity = classify(clean(row[0].text), fuzzy=True).quantity if row else None
            at = _value_cell([clean(c.text) for c in row[1:]], quantity)
            cell = row[1 + at] if at is not None else None
            if quantity is not None and cell is not None:
                self._value("layer", self.row, quantity, cell.text, cell.source)

    def _table_row(self, cells: list[Cell], roles: list[Label], layer_col: int, single: Quantity | None,
                   has_header: bool, group: int, running: bool = False) -> None:
        texts = [clean(c.text) for c in cells]
        tensor_at = next((k for k, t in enumerate(texts) if _TENSOR.fullmatch(t)), None)
        if tensor_at is not None:
            self._tensor_row(cells, texts, tensor_at, roles, group)
            return
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
        if running and layer is not None and layer.number is not None:
            # "Conv2d-4" in torchsummary's table is the fourth module: the next convolution
            layer = LayerLabel(layer.text, layer.kind, None, layer.kind or layer.key, positional=True,
                               start=layer.start, end=layer.end)
        if layer is not None and _PART_OF_LAYER.search(label_text[layer.end:] if layer.end else label_text):
            return  # "conv2 [A]", "conv4 (GPU 1)": one tower's half of the layer, the whole is on its own row
        row: Row | None = None
        if label_text and names_total(label_text) and (layer is None or layer.kind is None or (
                layer.number is None and "+" in label_text)):
            kind = "total"  # "Total", "Total (conv + fc)": the kinds summed are the whole network
        elif layer is None:
            if not any(names_total(t) for t in texts):
                return
            kind = "total"  # "Softmax | 1,000 classes | 62,357,608 (Total)"
        elif layer.is_input:
            kind = "input"
        else:
            kind = "layer"
            inner = next((lab for lab in (_inner_label(t) for k, t in enumerate(texts) if k != at) if lab), None)
            row_layer = inner or layer
            previous = self.table_row
            if previous is not None and previous[0] == self.tables and previous[1] == row_layer.key \
                    and row_layer.number is not None and not row_layer.positional \
                    and _quantity_cell(texts, at) is not None:
                row = previous[2]  # the same layer's next quantity, in long form
            else:
                row = self.new_row(row_layer, group)
            self.table_row = (self.tables, row_layer.key, row)
        single_col = next((j for j, r in enumerate(roles) if r.quantity is not None and r.quantity is single), None)
        first_reading = len(self.section.readings)
        answered = False
        evidence: list[tuple[Parsed, Source]] = []
        totals: list[Reading] = []
        carried: Label | None = None  # a cell that is only a label ("memory:") labels the cell after it
        # a cell of quantity words alone ("conv1,weights,11*11*3*96,34848"): the row's quantity, given
        # to its value, not to the working or a note beside it
        quantity_at = _quantity_cell(texts, at) if row is not None else None
        quantity_label = classify(texts[quantity_at], fuzzy=True) if quantity_at is not None else None
        target = None
        for k, (cell, text) in enumerate(zip(cells, texts)):
            if k == at and row is not None and layer is not None:
                # "conv1 -> 290400 neurons": the label cell holds a value with its word
                after = re.match(r"\s*(?:->|→|=>|:|：)\s*(.*\d.*)", text[layer.end:])
                own = _cell_quantity(after[1]) if after else None
                if own is not None and (found := read_values(after[1])):
                    self.add(Reading("layer", found[0], cell.source, row=row, quantity=own))
            if k == at or not text:
                continue
            if _LABEL_CELL.fullmatch(text):
                carried = classify(text[:-1])
                continue
            if k == quantity_at:
                carried, target = quantity_label, _value_cell(texts[k + 1:], quantity_label.quantity)
                target = None if target is None else k + 1 + target
                continue
            if quantity_at is not None and k > quantity_at and k != target:
                continue  # the working or a note beside the value a quantity cell labels
            column = k - shift
            role = roles[column] if 0 <= column < len(roles) else Label(None)
            if carried is not None:
                role, carried = (carried if carried.role is not None else role), None
                if role.role == NOT_ANSWER:
                    continue  # "memory: | 224*224*64=3.2M": a size, no count
            if kind == "layer" and role.role is None and len(labelled := _labelled_values(text)) > 0:
                # "[params:295,168, calc:925,646,848]": a cell of its own labelled values
                for quantity, parsed in labelled:
                    self.add(Reading("layer", parsed, cell.source, row=row, quantity=quantity))
                answered = True
                continue
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
            if own is None and role.quantity is None and _BRACKETED_SHAPE.fullmatch(text):
                own = Quantity.SHAPE  # "[224x224x64]": a tensor's shape, as cs231n writes it
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
        if quantity_at is not None and target is None:
            self._same_in_row(row, " ".join(texts[quantity_at:]), cells[quantity_at].source)
        if kind == "total":
            _without_rounded_glosses(totals, 0)
            named = [r for r in totals if r.quantity is not None and r.quantity is not single]
            named = named or [r for r in totals if names_total(r.parsed.text)]
            chosen = named or (totals if len(totals) == 1 else [])
            for reading in chosen:
                self.add(reading)
        elif not answered:
            for parsed, source in evidence:
                self.add(Reading("layer", parsed, source, row=row, evidence_only=True))
        _without_rounded_glosses(self.section.readings, first_reading)

    def _same_in_row(self, row: Row, text: str, source: Source) -> None:
        """" | conn | same as weights": the row's layer's value of the other quantity, given to this one."""
        for same, like in _same_statements(text):
            given = next((r for r in reversed(self.section.readings) if r.row is row and r.quantity is like), None)
            if like is not None and same is not like and given is not None \
                    and not isinstance(given.parsed.value, tuple):
                self.add(Reading("layer", given.parsed, source, row=row, quantity=same))

    def _tensor_row(self, cells: list[Cell], texts: list[str], at: int, roles: list[Label], group: int) -> None:
        """A row of a listing of parameter tensors, as `model.named_parameters()` or a state dict
        prints them: "features.0.weight | (64, 3, 3, 3) | 1728". The tensor's module is a layer: the
        one its name names ("conv1.weight", "block1_conv1/kernel:0"), else the next convolution (a
        weight of rank 4) or FC layer (rank 2) of the listing, or the next layer with weights; the
        tensor holds the layer's weights or its biases. Its shape is the tensor's, no layer's output;
        a module whose weight is a vector is a normalisation."""
        found = _TENSOR.fullmatch(texts[at])
        module, holds = found["module"], found["tensor"]
        shapes = [shape for k, t in enumerate(texts) if k != at and (shape := _tensor_shape(t)) is not None]
        rank = len(shapes[0]) if shapes else None
        if _NORM_MODULE.search(module) or (holds.startswith(("weight", "kernel")) and rank == 1):
            self.norm_modules.add(module)
        if module in self.norm_modules:
            return
        row = self.tensor_rows.get(module)
        if row is None:
            named = parse_layer(module.replace("/", " "))
            if named is None or (named.number is None and named.kind is not None):
                kind = {4: "conv", 2: "fc"}.get(rank, "layer")
                number = 1 + sum(1 for r in self.tensor_rows.values() if r.label.kind == kind)
                named = LayerLabel(module, kind, number, f"{kind}{number}")
            row = self.tensor_rows[module] = self.new_row(named, group)
        quantity = Quantity.BIASES if holds.startswith("bias") else Quantity.WEIGHTS
        counts = {k: found[0] for k, t in enumerate(texts) if k != at and _tensor_shape(t) is None
                  and (found := read_values(t)) and isinstance(found[0].value, int)}
        named_column = [k for k in counts if k < len(roles) and roles[k].quantity not in (None, Quantity.SHAPE)]
        chosen = named_column or list(counts)[-1:]  # the count column, else the row's last count
        if chosen:
            self.add(Reading("layer", counts[chosen[0]], cells[chosen[0]].source, row=row, quantity=quantity))


# a parameter tensor's name: its module's path, then what it holds ("features.0.weight",
# "conv1.bias", "block1_conv1/kernel:0", "dense_1/bias:0")
_TENSOR_NAME = r"(?P<module>[a-z_][\w.]*?|[\w.]*\d)[./](?P<tensor>weights?|bias(?:es)?|kernel)(?::0)?"
_TENSOR = re.compile(_TENSOR_NAME, re.IGNORECASE)
# a printed tensor's line: its name, perhaps its shape, its count
_TENSOR_LINE = re.compile(rf"(?P<name>{_TENSOR_NAME})\s*[:：,|\s]\s*"
                          r"(?P<shape>(?:torch\.size\s*)?[(\[]{1,2}[\d,\s]*[)\]]{1,2})?"
                          r"\s*[:：,|=\s]?\s*(?P<count>[\d,_]+)", re.IGNORECASE)
_NORM_MODULE = re.compile(r"(?:^|[._/])(?:bn|batch_?norm|norm|ln|layer_?norm)\d*(?:$|[._/])", re.IGNORECASE)
_TENSOR_SHAPE = re.compile(r"(?:torch\.size\s*)?[(\[]{1,2}\s*(\d+(?:\s*,\s*\d+)*)\s*,?\s*[)\]]{1,2}",
                           re.IGNORECASE)


def _tensor_shape(text: str) -> tuple[int, ...] | None:
    """A tensor's shape as frameworks print it: "(64, 3, 3, 3)", "torch.Size([64])", "(64,)"."""
    found = _TENSOR_SHAPE.fullmatch(text.strip())
    return tuple(int(n) for n in re.split(r"\s*,\s*", found[1])) if found else None


_WORD_AFTER_FIRST = re.compile(r"\s*[\d(（][\d\s.,×x*()+\-=/]*?\s*([^\W\d_]+(?:\s+[^\W\d_]+)?)\s*(?:$|[^\w\s])")


# a cell's own "label: value" pairs, one after another: "[params:295,168, calc:925,646,848]"
_INNER_PAIR = re.compile(r"(?:^|(?<=[\[(（,，;；]))\s*([^\W\d_][^\W\d_ ]{1,20})\s*[:：=]\s*([\d(（][^:：=;；]*?)"
                         r"(?=\s*[,，;；]\s*[^\W\d_][^\W\d_ ]{1,20}\s*[:：=]|\s*[\])】]?\s*$)")


def _labelled_values(text: str) -> list[tuple[Quantity, Parsed]]:
    """The values a cell labels itself, each after its quantity's word and a colon."""
    found = []
    for m in _INNER_PAIR.finditer(text):
        quantity = classify(m[1], fuzzy=True).quantity
        values = read_values(m[2]) if quantity is not None else []
        if values:
            found.append((quantity, values[0]))
    return found


def _without_rounded_glosses(readings: list[Reading], start: int) -> None:
    """A row that gives a quantity exactly and rounded ("34,848 | 34.8K" under "Weights" and "≈
    weights") answers with the exact figure; the rounded one is a gloss."""
    row = readings[start:]
    exact = {r.quantity for r in row if r.quantity is not None and not r.parsed.approximate}
    readings[start:] = [r for r in row if not (r.parsed.approximate and r.quantity in exact)]


def _quantity_cell(texts: list[str], label_at: int | None) -> int | None:
    """The cell after the row's label that is only a quantity's words ("weights", "output_shape",
    "stride"), naming what the row's value is; None where the columns' headers say it."""
    if label_at is None:
        return None
    for k in range(label_at + 1, len(texts)):
        text = texts[k].replace("_", " ")
        if not text:
            continue
        if re.search(r"\d", text) or len(text) > 30 or _LABEL_CELL.fullmatch(text):
            return None  # ("memory:": a label of the cell after it)
        label = classify(text, fuzzy=True)
        return k if label.role is not None and not label.total else None
    return None


def _value_cell(texts: list[str], quantity: Quantity | None) -> int | None:
    """Which of a row's cells holds the value a quantity label names: a shape's product, or else the
    first number written without working, or else the first with digits: "11*11*3*96 | 34848 | 363
    per filter" gives 34848, "(227-11)/4+1 | 55x55x96" the shape."""
    numeric = [k for k, t in enumerate(texts) if re.search(r"\d", t)]
    if quantity is Quantity.SHAPE:
        return next((k for k in numeric if (v := read_values(texts[k])) and v[0].factors
                     and len(v[0].factors) >= 2), numeric[0] if numeric else None)
    plain = [k for k in numeric if not has_operator(texts[k]) and read_values(texts[k])]
    return plain[0] if plain else (numeric[0] if numeric else None)


def _with_flops_as_connections(roles: list[Label]) -> list[Label]:
    """A table whose only count of work is a FLOPs column gives its connections there, as stated
    (FLOPs are 2 × MACs; the value is kept as the student wrote it); beside a MACs or connections
    column it is no answer."""
    if any(role.quantity is Quantity.CONNECTIONS for role in roles):
        return roles
    return [Label(Quantity.CONNECTIONS, role.total, role.phrase) if role.role == NOT_ANSWER
            and role.phrase in ("flops", "flop") else role for role in roles]


def _long_form_filled(body: list[list[Cell]], layer_col: int) -> list[list[Cell]]:
    """A table in long form that names each layer once ("conv1 | units | 55*55*96" over " | weights |
    11*11*3*96"): a row with a blank label cell and a cell of quantity words is the row above's layer."""
    filled, above = [], None
    for cells in body:
        texts = [clean(c.text) for c in cells]
        if layer_col < len(texts) and parse_layer(texts[layer_col], within=12) is not None:
            above = cells[layer_col]
        elif above is not None and layer_col < len(texts) and not texts[layer_col] \
                and _quantity_cell(texts, layer_col) is not None:
            cells = cells[:layer_col] + [Cell(above.text, cells[layer_col].source)] + cells[layer_col + 1:]
        else:
            above = None
        filled.append(cells)
    return filled


def _one_column_a_count(header: list[Cell], roles: list[Label]) -> list[Label]:
    """A column of a count's share ("Anteil Gewichte in %") holds no answer; of two columns counting
    one quantity, one for a part of the layer ("per GPU") and one for the whole, the whole's is."""
    texts = [clean(c.text) for c in header]
    roles = [Label(NOT_ANSWER, role.total, role.phrase) if role.quantity is not None and names_share(text)
             else role for role, text in zip(roles, texts)]
    parts = {j for j, text in enumerate(texts) if roles[j].quantity is not None and names_part(text)}
    wholes = {roles[j].quantity for j in range(len(roles)) if j not in parts and roles[j].quantity is not None}
    return [Label(NOT_ANSWER, role.total, role.phrase) if j in parts and role.quantity in wholes else role
            for j, role in enumerate(roles)]


# VGG's way of naming a convolution by its kernel and filters ("CONV3-64"): a listing placed by position
VGG_CONV = re.compile(r"conv\s*\d{1,2}\s*[-–]\s*\d{2,4}(?!\d)", re.IGNORECASE)


def _placed_by_position(rows: list[list[Cell]]) -> bool:
    """Rows whose labels give no layer number ("CONV3-64", "FC"; the input; in such a listing "POOL2"
    is a 2x2 pool): a listing placed by position."""
    labels = [parse_layer(clean(r[0].text), within=12) if r else None for r in rows]
    vgg = any(VGG_CONV.search(clean(r[0].text)) for r in rows if r)
    return all(label is not None and (label.positional or label.is_input or (vgg and label.kind == "pool"))
               for label in labels) and any(label.positional for label in labels if label is not None)


_LABEL_CELL = re.compile(r"[^\d=:：]{1,30}[:：]")
_MODULE = re.compile(r"\s*([A-Za-z][A-Za-z0-9]*)-(\d+)\s*")


# the header of a column of row numbers: none, or a word for "number"
_INDEX_HEADER = re.compile(r"\s*(?:#|no\.?|nr\.?|idx|index|序号|编号|번호|№)?\s*", re.IGNORECASE)


def _without_index_column(rows: list[list[Cell]]) -> list[list[Cell]]:
    """The rows without a leading column that only numbers them (a DataFrame's index: "| | layer |
    …" over "| 0 | conv1 | …", "| 1 | …"): its numbers are no counts, and a total row's would be
    read as one."""
    if len(rows) < 3 or not _INDEX_HEADER.fullmatch(clean(rows[0][0].text) if rows[0] else "x"):
        return rows
    numbers = [clean(r[0].text) if r else "" for r in rows[1:]]
    if not all(n.isdigit() for n in numbers) or len(numbers) < 2:
        return rows
    values = [int(n) for n in numbers]
    if values[0] not in (0, 1) or any(b != a + 1 for a, b in zip(values, values[1:])):
        return rows
    return [r[1:] for r in rows]


def _running_index(rows: list[list[Cell]]) -> bool:
    """"Conv2d-1, ReLU-2, MaxPool2d-3, Conv2d-4 …": numbers that run on through modules of every kind
    (a framework's summary) count modules, not layers of a kind."""
    found = []
    for row in rows:
        text = next((clean(c.text) for c in row if c.text.strip()), "")
        match = _MODULE.fullmatch(text)
        if match:
            found.append((match[1].lower(), int(match[2])))
    numbers = [n for _, n in found]
    steps = [b - a for a, b in zip(numbers, numbers[1:])]
    # a row left out of the listing ("MaxPool2d-13", "Dropout-15": Flatten-14 not shown) leaves a gap
    return len(found) >= 3 and len({name for name, _ in found}) >= 2 \
        and all(step > 0 for step in steps) and sum(step == 1 for step in steps) >= 0.8 * len(steps)


def _layers_across(rows: list[list[Cell]]) -> bool:
    """Layers along the first row and quantities down the first column: a table to read turned. A
    header's "Output size" or "Input channels" names no layer, and a table with more layers down its
    first column than across its first row is read as it stands."""
    def names_layer(text: str) -> bool:
        label = parse_layer(text, within=12)
        return label is not None and (label.kind is not None or classify(text, fuzzy=True).role is None)

    across = sum(1 for cell in rows[0][1:] if names_layer(clean(cell.text)))
    down = sum(1 for row in rows[1:] if row and classify(clean(row[0].text), fuzzy=True).quantity is not None)
    layers_down = sum(1 for row in rows[1:] if row and names_layer(clean(row[0].text)))
    return across >= 2 and down >= 1 and across > layers_down


def _transposed(rows: list[list[Cell]]) -> list[list[Cell]]:
    width = max(len(row) for row in rows)
    blank = Cell("", rows[0][0].source)
    return [[row[j] if j < len(row) else blank for row in rows] for j in range(width)]


def _quantities_down(rows: list[list[Cell]]) -> bool:
    """A table of quantity and value, no layer in it: the current layer's figures."""
    if any(_names_layer(clean(cell.text)) for row in rows for cell in row[:1]):
        return False
    return sum(1 for row in rows if len(row) >= 2 and classify(clean(row[0].text), fuzzy=True).quantity) >= 2


def _names_layer(text: str) -> bool:
    """A cell that names a layer; not "output map", a quantity's words holding "output"."""
    layer = parse_layer(text, within=12)
    if layer is None:
        return False
    label = classify(text, fuzzy=True)
    return not (layer.kind is None and not layer.is_input and label.quantity is not None
                and len(label.phrase) >= layer.end - layer.start)


def _label_like(text: str) -> bool:
    """A row label, not a cell of working: few digits, no "=" or operators."""
    return len(text) <= 40 and "=" not in text and len(re.findall(r"\d+", text)) <= 2


def layer_in_value(value: str) -> bool:
    """"conv5: …" inside a value names a layer; "Input channels = 1" does not."""
    label = parse_layer(value.split("=", 1)[0], within=0, bare=False)
    return label is not None and not label.is_input


_LABEL_END = re.compile(r"=|(?<![A-Za-z\u00C0-\u024F_])(?<![\d.])[\d(（]")


_CLAUSE_BREAK = re.compile(r"[，；;。]|,(?!\d)")


def _nearest_label(label_text: str) -> Label:
    """What the words before a colon say it labels, the clause nearest the colon first: in "+ 偏置数量
    (即卷积的核数量),本层参数数量为:" the parameters, not the biases."""
    breaks = list(_CLAUSE_BREAK.finditer(label_text))
    if breaks:
        nearest = classify(label_text[breaks[-1].end():])
        if nearest.role is not None:
            return nearest
    return classify(label_text)


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
        # (digits glued to a Latin word are a name, "conv5"; after a CJK word they are its number, "有64896")
        after = mention.end if mention else 0
        words = re.match(r"\s*[(（][^\d()（）]*[)）]", text[after:]) if mention else None
        after += words.end() if words else 0  # "Layer 2 (max pooling)": the bracket is the label's
        # not a number inside another mention of a layer: "conv1（第1畳み込み層）" names conv1 twice
        named = [(m.start, m.end) for m in find_layers(text)] if mention else []
        end = next((m for m in _LABEL_END.finditer(text, after) if not any(a <= m.start() < b for a, b in named)),
                   None)
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
    # (a label may be quoted: "{'conv1': 34944, 'conv2': 307456}", a dict printed)
    for m in re.finditer(r"[，；;、]|,(?=\s*[\"'‘“]?[^\W\d_])|\s{2,}|\s(?=[^\W\d_][^\d]*$)", segment):
        best = m
    if best is None:
        tail = re.search(r"[^\W\d_][^\d]*$", segment)
        return (tail.start(), tail.start()) if tail else (len(segment), len(segment))
    return best.start(), best.end()


def _split_equals(value: str) -> list[tuple[str, str]]:
    equations = _equations(value)
    if equations:
        return [(name, equation.region) for equation in equations for name in equation.names]
    return [(part.split("=", 1)[0], part.split("=", 1)[1] if "=" in part else "")
            for part in re.split(r"[,，;；]\s*(?=[^\W\d_])", value)]


def _answer_like(value: str) -> bool:
    """Whether a value after a layer's name, with no word for what it counts, can be an answer: not a
    sentence ("4 and 5 all produce 13x13 maps"), not a count of what is no answer ("256 filters of
    5x5x48"), not a window or kernel ("3x3", "11 x 11")."""
    plain = drop_remarks(clean(value))
    words = re.findall(r"[^\W\d_]{2,}", re.sub(r"\\[a-zA-Z]+|(?<=\d)\s*(?:[kKmMgGbB]|thousand|million|billion)"
                                              r"(?![^\W\d_])", " ", plain))
    if len(words) >= 3:
        return False
    first = re.match(r"\s*[=≈~]?\s*[\d.,]+\s*([^\W\d_][^\W\d_ ]*(?:\s+[^\W\d_]+)?)", plain)
    if first and classify(first[1]).role == NOT_ANSWER:
        return False
    window = re.fullmatch(r"\s*(\d{1,2})\s*(?:[xX×*]|\\times)\s*(\d{1,2})\s*,?.*", plain)
    return not (window and window[1] == window[2] and "=" not in plain)


# "… = 37.7M = connections": a name after the value's last "="
_TRAILING_NAME = re.compile(r"=\s*([^\W\d_][^=\d]{0,30}?)\s*[.。]?\s*$")
# "and the same number of connections", "the connections are the same", "connections too"
_SAME_VALUE = re.compile(r"\s*(?:(?:and|also|as|with|the|same|number|count|amount|of|both|so|are|is)\s+)*"
                         r"(?P<word>[^\W\d_][^\W\d_ ]*(?:\s+[^\W\d_]+)?)"
                         r"(?:\s+(?:are|is)\s+(?:also\s+)?the\s+same|\s+too|\s+as\s+well)?\s*[.。]?\s*", re.IGNORECASE)


# a number and, right after it, a word (no "=" between): "16,777,216 weights", not "… = 37.7M = connections"
_WORD_AFTER_NUMBER = re.compile(r"\d\s*(?:[KkMmGg万亿](?![^\W\d_]))?\s*(?:个|개)?\s*[^\W\d_][^=\d]*$")


# a value that opens with the word for what it counts: "units 4096"
# (what follows a separator is the sentence going on: "S4：输出 5×5×16，无参数")
_WORD_FIRST = re.compile(r"\s*([^\W\d_][^\W\d_ ]*(?:\s+[^\W\d_]+)?)\s*[:：=]?\s*"
                         r"([\d(（][^a-zA-Z\u3400-\u9fff，;；。]*?)\s*(?:[，;；。]|[,.](?!\d)|$|(?=(?![万亿億萬千])[\u3400-\u9fff]))")


# a difference between two counts: "biases more than VGG16: … = 5,309,696 more", "比 VGG16 多"
_DIFFERENCE = re.compile(r"(?<![^\W\d_])(?:more|fewer|less|larger|smaller|bigger)\s+than(?![^\W\d_])|^[.。]?\s*(?:erom|rewef|ssel)"
                         r"(?![^\W\d_])|比.{1,12}[多少]", re.IGNORECASE)
# a network or a layer named as what another is compared with: "more … than VGG16", "比 VGG16 多",
# "与 VGG16 相比", "the differences from C1 are …"
_COMPARED_BEFORE = re.compile(r"(?:(?<![^\W\d_])(?:than|compared\s+(?:to|with)|versus|vs\.?|from|like|unlike|"
                              r"similar\s+to|same\s+as)(?:\s+the)?|比|相对于)\s*$", re.IGNORECASE)
_COMPARED_WITH = re.compile(r"(?:与|和|跟)\s*$")
_COMPARED_AFTER = re.compile(r"\s*(?:相比|比较)")


def _only_compared(text: str) -> bool:
    """Every network the line names is named as the one compared with, none as its subject."""
    norm = aligned(text)
    mentions = network_mentions(text)
    return bool(mentions) and all(
        _COMPARED_BEFORE.search(norm[:start]) or _COMPARED_WITH.search(norm[:start]) and _COMPARED_AFTER.match(norm, end)
        for start, end, _ in mentions)


# what may come before a network that opens a clause: the line's start, numbering, punctuation
_CLAUSE_OPENER = re.compile(r"[\s*_#>\-•]*(?:[(（]?[\d一二三四五六七八九十]{1,2}[.、)）]\s*)?[\s*_]*")
# after a network's name: a short label ("总参数约", "has", ":") and its number
_NETWORK_VALUE = re.compile(r"[\s*_]*(?P<label>[^\d:：=]{0,16}?)[\s*_]*[:：=]?[\s*_]*"
                            r"(?P<value>(?:约|~|≈|about\s+)?\s*\d.*)", re.DOTALL)


def _last_stop(text: str, end: int) -> int:
    """Where the clause before `end` starts: after the last punctuation that ends one."""
    stops = [m.end() for m in re.finditer(r"[,，;；。、]|\.\s", text[:end])]
    return stops[-1] if stops else 0


def _first_clause(value: str) -> str:
    """"60,965,224，约 0.61 亿，也就是大家常说的“6千万参数”": the value, up to where the sentence goes on."""
    return re.split(r"[，；;。]|,\s+(?=\D)|\.\s", value, maxsplit=1)[0]


def _no_count(value: str) -> bool:
    """"LeCun 1998", "一共7层", "16 layers": a year or a number of layers, not a network's total."""
    plain = value.strip()
    return bool(re.match(r"\D{0,6}?\d{1,3}\s*(?:个\s*)?(?:layers?|层|층|weight\s+layers)(?![^\W\d_])", plain,
                         re.IGNORECASE) or re.fullmatch(r"(?:19[5-9]\d|20[0-3]\d)\s*[.)）]?", plain))


def _owned_by_label(plain: str) -> bool:
    """"Total: 143,667,240 (≈143.7M), i.e. … more than VGG16: …": a line that opens with the label of
    a total, with the networks named only after it, is the label's."""
    colon = re.search(r"[:：]", plain)
    if colon is None or colon.start() > LABEL_REACH:
        return False
    label = plain[:colon.start()]
    if find_networks(label) or not re.search(r"\d", plain[colon.end():]):
        return False
    return names_total(label) and _total_label(label) and parse_layer(label, bare=False) is None


# "conv3_2 ~ conv3_4", "conv1-conv3", "FC6 to FC8": a range of layers of one kind
_RANGE = re.compile(r"(?P<a>[^\W\d_][\w]*?\d{1,2}(?:_\d)?)\s*(?:~|～|-|–|—|to|through|thru|…|\.\.\.?|至|到)\s*"
                    r"(?P<b>[^\W\d_][\w]*?\d{1,2}(?:_\d)?)(?![\w])", re.IGNORECASE)
_EACH = re.compile(r"(?<![^\W\d_])(?:each|apiece|every\s+one|per\s+layer)(?![^\W\d_])|每层|每个|各", re.IGNORECASE)


def _layer_range(label_text: str) -> list[LayerLabel] | None:
    """The layers a label names as a range ("conv3_2 ~ conv3_4": conv3_2, conv3_3, conv3_4), or None."""
    match = _RANGE.search(label_text)
    if match is None or match.start() > LABEL_REACH:
        return None
    first, last = find_layers(match["a"]), find_layers(match["b"])
    if len(first) != 1 or len(last) != 1:
        return None
    a, b = first[0], last[0]
    vgg_a, vgg_b = re.fullmatch(r"conv(\d)_(\d)", a.key), re.fullmatch(r"conv(\d)_(\d)", b.key)
    if vgg_a and vgg_b and vgg_a[1] == vgg_b[1] and int(vgg_a[2]) < int(vgg_b[2]):
        block = vgg_a[1]
        return [LayerLabel(label_text, None, None, f"conv{block}_{n}") for n in range(int(vgg_a[2]), int(vgg_b[2]) + 1)]
    if a.kind is not None and a.kind == b.kind and a.number is not None and b.number is not None \
            and a.number < b.number <= a.number + 12:
        return [LayerLabel(label_text, a.kind, n, f"{a.kind}{n}") for n in range(a.number, b.number + 1)]
    return None


_WORDS = r"[^\W\d_]+(?:\s+[^\W\d_]+)?"
_SAME_STATEMENT = re.compile(
    rf"(?:the\s+)?same\s+(?:number|count|amount)\s+of\s+(?P<a>{_WORDS})"
    rf"|(?P<b>{_WORDS})\s+(?:is\s+|are\s+)?(?:also\s+)?(?:(?:the\s+)?same|identical)(?![^\W\d_])"
    rf"(?:\s+(?:to|as)\s+(?:the\s+|its\s+)?(?P<c>{_WORDS}))?(?!\s*\d)"
    rf"|(?P<d>{_WORDS})\s+(?:equals?|(?:is\s+|are\s+)?equal\s+to)\s+(?:the\s+|its\s+)?(?P<e>{_WORDS})"
    r"|(?P<f>连接数?|权重数?|参数量?)(?:与|和|跟|同)(?P<g>连接数?|权重数?|参数量?)(?:相同|相等|一样)"
    r"|(?P<h>连接数?|权重数?|参数量?)(?:等于|=)(?P<i>连接数?|权重数?|参数量?)(?![\d])", re.IGNORECASE)


def _same_statements(text: str) -> list[tuple[Quantity, Quantity | None]]:
    """(the quantity said to be the same, the one it is the same as or None) for each statement."""
    found = []
    for m in _SAME_STATEMENT.finditer(text):
        same = next(g for g in (m["a"], m["b"], m["d"], m["f"], m["h"]) if g is not None)
        like = next((g for g in (m["c"], m["e"], m["g"], m["i"]) if g is not None), None)
        same_label = classify(re.sub(r"^(?:its|the|and)\s+", "", same, flags=re.IGNORECASE))
        like_label = classify(like) if like is not None else None
        if same_label.quantity in (None, Quantity.SHAPE) or len(same.split()) > 2 and not same_label.phrase:
            continue
        if like is not None and (like_label.quantity in (None, Quantity.SHAPE)):
            continue
        found.append((same_label.quantity, like_label.quantity if like_label else None))
    return found


def _same_value(part: str) -> Quantity | None:
    """The quantity a piece of a value names when it holds only its word: "and connections", "the same
    number of connections", "the connections are the same" give the value before it to that quantity
    too."""
    match = _SAME_VALUE.fullmatch(part)
    if match is None or re.search(r"\d", part):
        return None
    label = classify(match["word"])
    if label.quantity in (None, Quantity.SHAPE) or label.total or len(match["word"]) > len(label.phrase) + 2:
        return None
    return label.quantity


def _also_after(text: str) -> Quantity | None:
    """After "N parameters": "and connections", ", and the same number of connections": the same
    number counts another quantity too."""
    match = re.match(r"\s*(?:个|개)?\s*[^\W\d_]+(?:\s+(?!and\b)[^\W\d_]+)?\s*,?\s*(?=and\s|&|/)([^,;.，；。]*)",
                     text, re.IGNORECASE)
    return _same_value(match[1]) if match else None


def _more_quantities(rest: list[str], first: str, quantity: Quantity) -> list[tuple[Quantity, str]]:
    """"Weights: 4,096 × 4,096 = 16,777,216, connections 16,777,216", "…, and the connections are the
    same": after a labelled value, another quantity's word with its own number, or saying it is the
    same number."""
    found = []
    for part in rest:
        same = _same_value(part)
        own = re.fullmatch(r"\s*(?:and\s+)?(?:the\s+)?([^\W\d_][^\W\d_ ]*(?:\s+[^\W\d_]+)?)\s*[:：=]?\s*"
                           r"((?:约|~|≈)?\s*[\d(（][\d\s,.()（）×xX*+\-/^=·]*?(?:\s*[KkMmGg万亿])?)\s*[.。]?\s*", part)
        if same is not None and same is not quantity:
            found.append((same, first))
        elif own is not None:
            label = classify(own[1])
            if label.quantity not in (None, Quantity.SHAPE, quantity) and not label.total \
                    and len(own[1]) <= len(label.phrase) + 2:
                found.append((label.quantity, own[2]))
    return found


# ------------------------------------------------------------------------------ prose clauses


@dataclass(frozen=True, slots=True)
class Clause:
    """A piece of a prose sentence that owns the numbers in it."""

    text: str
    layer: LayerLabel | None = None  # the layer whose mention opens it ("FC7 has …", "conv2 186624")
    total: bool = False  # opened by a total word ("In total …", ", total 61,706")
    sentence: str = ""  # the sentence it is part of
    per_item: bool = False  # about one filter or position ("Each filter has 121 weights")
    paragraph: bool = False  # part of a line too long for a label: a paragraph of explanation


# (not a dot between numbers: "13 . 13 . 384", handwriting's multiplication)
# (nor the point of a scale word after a number: "307,2 Tsd. Gewichte", "61 Mio. Parameter")
_SENTENCE_END = re.compile(r"(?<=[!?;])\s+|(?<=\.)(?<!\d\.)(?<!\d\s\.)(?<!(?:Tsd|Mio|Mrd|тыс|млн)\.)\s+"
                           r"|(?<=\.)(?<!(?:Tsd|Mio|Mrd|тыс|млн)\.)\s+(?!\d)|(?<=[。；！？])")
# what a clause says after its label ("conv1: …", "fc6 is split over the two GPUs: …")
_AFTER_LABEL = re.compile(r"^[^:：=]{1,40}[:：]\s*")
# a layer named as the source of something ("input: conv5's output", "most of them in FC6"): a reference
_REFERENCE_BEFORE = re.compile(r"(?:(?<![^\W\d_])(?:of|in|into|from|to|by|after|before|than|as|like|with|on|at|"
                               r"fed|feeds?|input)\s*(?:the\s+)?[:：]?|输入\s*[:：]?|입력\s*[:：]?)\s*$", re.IGNORECASE)
_REFERENCE_AFTER = re.compile(r"\s*(?:['’]s(?![^\W\d_])|的|输出|의)")
# a layer named as the time of something: "C1之后接着就是池化运算" (after C1 comes the pooling),
# "conv5 이후", "conv5の後": what follows is about another layer
_SEQUENCE_AFTER = re.compile(r"\s*(?:之后|以后|之前|以前|后面|前面|이후|이전|다음에|の後|の前)")
# what may stand between the previous clause and a mention that opens the next one: punctuation, or a
# small word (then what follows the mention must say it opens a clause)
_PUNCTUATED = re.compile(r"(?:^|[,;:：，；、&(（])\s*$")
_SEPARATED = re.compile(r"(?:^|[,;:：，；、&(（]|(?<![^\W\d_])(?:the|a|an|and|while|whereas|then|also|so|thus|hence|"
                        r"therefore|but))\s*$",
                        re.IGNORECASE)
# a clause's start: nothing but a separator and small words before it
_LEADING = re.compile(r"(?:.*[,;:：，；、&(（])?\s*(?:(?:so|and|thus|hence|then|the|which|that|is|are|my|our)\s+)*",
                      re.IGNORECASE | re.DOTALL)
# what follows a mention that opens a clause: its numbers, a colon, or a verb ("FC7 has …")
_OPENS = re.compile(r"\s*(?:layer|层|층)?\s*(?:[\d(（:：=$]|(?:has|have|had|is|are|was|were|gives?|contains?|"
                    r"holds?|outputs?|produces?|needs?|uses?)(?![^\W\d_]))", re.IGNORECASE)


@lru_cache(maxsize=1)
def _per_item() -> re.Pattern:
    """A count said of one filter, kernel or position, in the vocabulary's words: "each filter has 121
    weights", "so a kernel has 1,200", "Cada filtro tiene 363 pesos", "每个卷积核有363个权重"."""
    words = vocabulary().per_item
    lead, each, item = (_words_alternation(words.get(key, ())) for key in ("lead", "each", "item"))
    return re.compile(rf"\s*(?:(?:{lead})\s+)?(?:{each})\s*(?:of\s+(?:the\s+)?(?:[\d,]+\s+)?)?(?:{item})",
                      re.IGNORECASE)


def _words_alternation(words) -> str:
    return "|".join(re.escape(str(w)) for w in sorted(words, key=lambda w: -len(str(w)))) or "(?!)"


# the kinds a bare ordinal may go on counting ("The third convolutional layer … The fourth …")
ANAPHOR_KINDS = ("conv", "fc", "pool")


@lru_cache(maxsize=1)
def _ordinal_alone() -> re.Pattern:
    """An ordinal word after an article with no layer word after it: "the fourth", "der vierte"; or
    opening a line as its label: "Fourth: …", "Third one: …"."""
    words = "|".join(sorted((w for w in vocabulary().ordinal_words if re.fullmatch(r"[a-z]{4,}", w)),
                            key=len, reverse=True))
    return re.compile(rf"(?<![^\W\d_])(?:the|der|die|das|den|la|le|el|il|lo|o|a)\s+({words})(?![^\W\d_])"
                      rf"|^\W*({words})(?:\s+one)?\s*[:：,-]")


def _anaphors(sentence: str, kind: str | None, mentions: list[LayerLabel]) -> list[LayerLabel]:
    """Layers named by an ordinal alone, of the kind the text was counting: "The third convolutional
    layer has … The fourth (384 kernels) has …" makes "the fourth" conv4."""
    if kind is None:
        return []
    found = []
    for m in _ordinal_alone().finditer(aligned(sentence)):
        group = 1 if m[1] else 2
        if any(mention.start <= m.start(group) < mention.end for mention in mentions):
            continue  # "the fourth convolutional layer": a mention of its own
        if any(re.fullmatch(r"[\s(（:：,—–-]*", sentence[m.end(group):mention.start]) for mention in mentions
               if mention.start >= m.end(group)):
            continue  # "La segunda (fc7)": the name right after says which layer; the ordinal counts among others
        n = vocabulary().ordinal_words[m[group]]
        found.append(LayerLabel(sentence, kind, n, f"{kind}{n}", start=m.start(group), end=m.end(group)))
    return found


def _clauses(body: str, kind: str | None = None) -> list[Clause]:
    """A prose line cut into sentences, and a sentence at each layer mention or total word that opens a
    clause, and before a conclusion (", so …"): "FC6 has 4,096 neurons; FC7 has 4,096 neurons and
    16,777,216 weights", "conv1 290400, conv2 186624", "fc3 (84+1)·10 = 850, total 61,706". A mention
    opens a clause where it starts the sentence or follows punctuation, or follows "and", "while", "the"
    and is followed by its numbers, a colon or a verb ("and FC7 has …", not "make FC6 and FC7 smaller");
    a mention that names where something comes from ("input: conv5's output", "most of them in FC6")
    is a reference and opens nothing."""
    clauses: list[Clause] = []
    totals = vocabulary().patterns[TOTAL]
    for sentence in _SENTENCE_END.split(body):
        if not sentence.strip():
            continue
        cuts: list[tuple[int, LayerLabel | None, bool]] = []
        mentions = find_layers(sentence)
        for mention in sorted(mentions + _anaphors(sentence, kind, mentions), key=lambda m: m.start):
            if _opens(sentence, mention.start, mention.end):
                cuts.append((mention.start, mention, False))
            if mention.kind in ANAPHOR_KINDS:
                kind = mention.kind
        layers = len(cuts)
        for m in totals.finditer(aligned(sentence)):
            if any(start <= m.start() < (layer.end if layer else start) for start, layer, _ in cuts):
                continue
            if total_adverb(m[0]) and sum(1 for start, _, _ in cuts[:layers] if start < m.start()) == 1:
                continue  # "第四个卷积层有…，总共112140288个连接": that layer's count, altogether
            if _opens(sentence, m.start(), m.end(), total=True):
                cuts.append((m.start(), None, True))
        if vocabulary().conclusion is not None:  # ", so …", ", which is …", ", por lo que …"
            # (not ", so = 34848": a label's value, its words before the comma)
            cuts += [(m.end(), None, False) for m in vocabulary().conclusion.finditer(sentence)
                     if re.search(r"[^\W\d_]", re.sub(r"^\w+", "", sentence[m.end():], count=1))]
        cuts.sort(key=lambda cut: cut[0])
        bounds = [(0, None, False)] + [cut for cut in cuts if cut[0] > 0] if not cuts or cuts[0][0] > 0 else cuts
        for k, (start, layer, total) in enumerate(bounds):
            end = bounds[k + 1][0] if k + 1 < len(bounds) else len(sentence)
            text = sentence[start:end]
            if text.strip():
                # "each filter has …", "conv1: each filter is 11×11×3 = 363 weights": one item's count
                per_item = bool(_per_item().match(text) or _per_item().match(_AFTER_LABEL.sub("", text, count=1)))
                clauses.append(Clause(text, layer, total, sentence, per_item,
                                      len(body) > SENTENCE_LINE))
    return clauses


_INPUT_LABEL = re.compile(r"\s*(?:input|输入|입력)[^:：]{0,20}[:：]", re.IGNORECASE)


# layers of a kind in the plural: "the three FC layers", "all conv layers", "两个全连接层",
# or a block of them, "conv3-64 x 2": two layers' count
_PLURAL_LAYERS = re.compile(r"(?<![^\W\d_])(?:fc|fully[ -]connected|dense|linear|conv(?:olution(?:al)?)?|pool(?:ing)?)"
                            r"\s+layers(?![^\W\d_])|(?:[两二三四五六七八九十几]|\d{1,2})\s*个\s*(?:全连接|卷积|池化)层"
                            r"|(?<![^\W\d_])(?:conv|fc|pool|dense|linear)[\w-]*\s+[x×]\s?[2-9](?![\d.x×])",
                            re.IGNORECASE)


# a number with a unit of bytes
_IN_BYTES = re.compile(r"\d\s*(?:[kmgt]i?b|bytes?)(?![^\W\d_])", re.IGNORECASE)
_BYTES_AFTER = re.compile(r"\s*(?:[kmgt]i?b|bytes?)(?![^\W\d_])", re.IGNORECASE)


def _only_adverbs(text: str) -> bool:
    """Every total word in the text is one that can qualify a layer's count ("总共", "in total")."""
    found = list(vocabulary().patterns[TOTAL].finditer(aligned(text)))
    return bool(found) and all(total_adverb(m[0]) for m in found)


def _sum_of_layers(text: str) -> bool:
    """"FC6 + FC7 = 54M of 61M": a layer named with a plus and another of its kind (a sum of their
    counts); not "CONV1 + POOL1", a convolution and its pooling."""
    mentions = find_layers(text[:LABEL_REACH * 2])
    return any(a.kind == b.kind and re.fullmatch(r"\s*(?:[+＋]|plus)\s*", text[a.end:b.start], re.IGNORECASE)
               for a, b in zip(mentions, mentions[1:]))


# a quantity's word and its number: the next label after a value ("… total wts ≈ 61 M")
_NEXT_LABEL = re.compile(r"\s*[^\W\d_]{2,}(?:\s+[^\W\d_]+)?\s*[:：=≈~]?\s*(?:约|about\s+)?[\d(]")


_MORE_AFTER = re.compile(r"\s*(?:more|fewer|less)(?![^\W\d_])", re.IGNORECASE)
_IDLE_HEAD = re.compile(r"([^:：\d]{1,40})[:：]\s*(?=[^\W\d_])")


def _without_idle_head(body: str) -> str:
    """A line opened by words that label nothing, then a colon and a sentence ("说明：输入取227×227×3",
    "I follow the paper exactly: the input is 224x224x3"): the sentence is read as the line."""
    found = _IDLE_HEAD.match(body)
    if found is None:
        return body
    head = found[1]
    label = classify(head)
    if label.role is not None or label.total or find_layers(head) or parse_layer(head, bare=True) \
            or find_networks(head) or names_other_network(head):
        return body
    return body[found.end():]


def _named_late(text: str) -> LayerLabel | None:
    """"There are 186,624 neurons in the second convolutional layer", "the weights are 663,552 for
    conv4": a short sentence that names one layer after its numbers is about that layer."""
    from grader.extract.numbers import scan

    mentions = find_layers(text)
    numbers = scan(text)
    if len(text) > SHORT_SENTENCE or len({m.key for m in mentions}) != 1 or not numbers \
            or numbers[-1].end > mentions[0].start or _INPUT_LABEL.match(text):
        return None  # not "Input: all 6 feature maps of S2"
    counted = any(quantity_beside(text[:w.start], text[w.end:]) for w in numbers)
    return mentions[0] if counted else None


@lru_cache(maxsize=1)
def _layer_word_before() -> re.Pattern:
    """The word "layer" written before a layer's name ("Layer C1 is …", "Capa C3 tiene …")."""
    words = sorted(vocabulary().layer_kinds["layer"], key=len, reverse=True)
    return re.compile(rf"(?<![^\W\d_])(?:{'|'.join(map(re.escape, words))})\s*$", re.IGNORECASE)


def _layer_about(text: str, within: int | None) -> LayerLabel | None:
    """The layer a label or a short sentence is about; not one it compares with ("The differences
    from C1 are … only 1 weight" is about the layer under the heading)."""
    layer = parse_layer(text, within=within, bare=False)
    if layer is None or _SEQUENCE_AFTER.match(aligned(text), layer.end):
        return None
    return None if _COMPARED_BEFORE.search(text[:layer.start]) else layer

_QUOTED_KEY = re.compile(r"^\s*[{\[]?\s*[\"'‘“]([^\"'’”]{1,40})[\"'’”]\s*$")
_DASH_LABEL = re.compile(r"([^\W\d_])\s+[—–]\s+(?=[\d(（])")
_BULLET_ONLY = re.compile(r"\s*[-*•·]\s+")


def _opens(sentence: str, start: int, end: int, total: bool = False) -> bool:
    prefix = sentence[:start]
    if not total:  # "Layer C1 is a convolutional layer: …": the mention begins at its word "Layer"
        prefix = _layer_word_before().sub("", prefix)
    if _REFERENCE_BEFORE.search(prefix) or (not total and _REFERENCE_AFTER.match(sentence, end)):
        return False
    if not total and _sum_of_layers(sentence[start:]):
        return False  # "FC6 + FC7 = 54M": no clause of one layer's
    if not prefix.strip() or _BULLET_ONLY.fullmatch(prefix):  # "… 来计算。 - 第2个隐层, …": an item
        return True
    if total:  # "In total …", "…, total 61,706", "So the total is …"; not "the sum of the pixels"
        if re.search(r"\d\s*(?:[^\W\d_]+\s*)?$", prefix) and _NEXT_LABEL.match(sentence, end):
            return True  # "total conn ≈ 1.45 GFLOP total wts ≈ 61 M": a value, then the next label
        return bool(_LEADING.fullmatch(prefix)) and not re.match(r"\s+of(?![^\W\d_])", sentence[end:])
    if _PUNCTUATED.search(prefix):  # "conv1 290400, conv2 186624", "conv1层的参数为34944，conv2层的参数为…"
        return True
    opener = vocabulary().sentence_opener
    if opener is not None and opener.fullmatch(normalise(prefix)):
        return True  # "The fourth convolution returns …", "En la tercera convolución …": the sentence's subject
    return bool(_SEPARATED.search(prefix)) and bool(_OPENS.match(sentence, end))


_PART_OF = re.compile(r"\s+(?:out\s+)?of\s+(?:the\s+|all\s+|its\s+)?(?:about\s+|~\s*)?", re.IGNORECASE)
_BRACKETED_SHAPE = re.compile(r"\s*\[\s*\d+(?:\s*(?:[xX×*]|\\times)\s*\d+)+\s*\]\s*")
_LIST_SEPARATOR = re.compile(r"\s*(?:/|\||;|；|、|,\s+|，|\s+and\s+|\t|\s{2,})\s*")


def _declared_order(text: str) -> tuple[Quantity, ...] | None:
    """"Format: (units, weights, connections)", "layer: neurons / weights / connections": a line of
    quantity words in order and no number, the order of the lists of numbers below it."""
    if re.search(r"\d", text):
        return None
    inner = re.search(r"[(（]([^()（）]+)[)）]", text)
    words = inner[1] if inner else text.rsplit(":", 1)[-1].rsplit("：", 1)[-1]
    words = re.sub(r"\s+(?:for|of|in|per)\s+(?:each|every|the|a)?\s*layers?\s*$", "", words.strip(" .:"), flags=re.I)
    parts = [p.strip(" .") for p in _LIST_SEPARATOR.split(words) if p.strip(" .")]
    if parts and parts[0].lower() in LAYER_HEADERS:
        parts = parts[1:]
    labels = [classify(p) for p in parts]
    # each part is the word for a quantity and little else ("# weights", "neurons"), not a sentence
    if len(labels) < 2 or any(label.quantity is None or len(part) > len(label.phrase) + 12
                              for part, label in zip(parts, labels)):
        return None
    quantities = tuple(label.quantity for label in labels)
    return quantities if len(set(quantities)) == len(quantities) else None


def _slashed_order(text: str) -> tuple[Quantity, ...] | None:
    """"Each line below is units / weights / connections (biases not counted; input 227×227×3)": quantity
    words joined by slashes inside a sentence that states no value of its own, the order of the lists
    below it. The first word may close a phrase and the last open one; those between stand alone."""
    plain = clean(text)
    pieces = re.split(r"\s*[/／|]\s*", plain)
    if len(pieces) < 2 or re.search(r"[/／|]\s*\d", plain):
        return None

    def named(piece: str, side: str) -> Quantity | None:
        words = piece.split()
        for n in (3, 2, 1):
            part = " ".join(words[-n:] if side == "tail" else words[:n])
            label = classify(part)
            if label.quantity not in (None, Quantity.SHAPE) and len(part) <= len(label.phrase) + 3 and not label.total:
                return label.quantity
        return None

    for start in range(len(pieces) - 1):
        run = [named(pieces[start], "tail")]
        for piece in pieces[start + 1:]:
            whole = classify(piece)
            if whole.quantity not in (None, Quantity.SHAPE) and len(piece) <= len(whole.phrase) + 3:
                run.append(whole.quantity)
                continue
            run.append(named(piece, "head"))
            break
        run = [q for q in run if q is not None] if None not in run[:2] else []
        if len(run) >= 2 and len(set(run)) == len(run):
            return tuple(run)
    return None


# "output 54x54x96", "输出 27×27×256", "out: 13x13x384": the output's H×W×C in a layer's prose
_OUTPUT_SHAPE = re.compile(r"(?<![^\W\d_])(?:output|out|输出)(?:\s*(?:shape|size|dims?|feature\s*maps?|尺寸|大小|特征图))?"
                           r"\s*(?:is|为|是|[:：=])?\s*(?P<shape>\d+(?:\s*(?:[xX×*]|\\times)\s*\d+){2})"
                           r"(?!\s*(?:[xX×*]|\\times)\s*\d)", re.IGNORECASE)


@lru_cache(maxsize=1)
def _list_join() -> re.Pattern:
    """What may stand between the items of a list, in the aligned text: "fc6, fc7 and fc8", "4096, 4096 and
    1000", "C1、C3 和 C5" (the conjunctions are the vocabulary's)."""
    conjunction = vocabulary().conjunction.pattern if vocabulary().conjunction is not None else "(?!)"
    return re.compile(rf"\s*(?:,|，|、|/|;|；)?\s*(?:{conjunction})?\s*(?:the\s+)?")


# a mark after a layer's name that makes the row one part of the layer: "[A]", "(B)", "GPU 1", "tower 2",
# "half", "每个GPU"
_PART_OF_LAYER = re.compile(r"^\s*(?:[\[(（]\s*(?:[A-Da-d]|\d)\s*[\])）]|[\[(（]?\s*(?:gpu|tower|half|part|塔|半)\s*\d?\s*[\])）]?"
                            r"(?![^\W\d_])|[\[(（]?\s*(?:per|each|每个?|单个?)\s*(?:gpu|tower)\s*[\])）]?)", re.IGNORECASE)


def _only_names(text: str) -> bool:
    """A line that only names a layer, in one or two languages: "OUTPUT-输出层", "Output layer"."""
    rest = text
    for _ in range(2):
        layer = parse_layer(rest, bare=False)
        if layer is None:
            break
        norm = aligned(rest)
        rest = norm[:layer.start] + " " + norm[layer.end:]
    return not re.search(r"[^\W\d_]", rest)


# a word with a layer's number as its subscript: "units_4", "weights _{5}"
_SUBSCRIPTED = re.compile(r"\s*(?P<word>[^\W\d_][^\W\d_ ]*(?:\s[^\W\d_]+)?)\s*_\s*\{?\s*(?P<number>\d{1,2})\s*\}?\s*")
_SAME_BEFORE = re.compile(r"\s*(?:(?:is|are)\s+)?(?:also\s+)?(?:the\s+same|of)?\s*[:：]?\s*$", re.IGNORECASE)


def _layer_lists(sentence: str) -> tuple[list[LayerLabel], list[tuple[Quantity, list[str]]]] | None:
    """The list of layers a sentence names and, after it, each list of as many values with the word
    for what they count after it ("4096, 4096 and 1000 neurons") or before it ("the connections are
    the same: 37,748,736, 16,777,216 and 4,096,000"); None unless there is at least one."""
    from grader.extract.numbers import scan

    text = aligned(sentence)
    mentions = find_layers(sentence)
    run: list[LayerLabel] = []
    for mention in mentions:
        if run and not _list_join().fullmatch(text[run[-1].end:mention.start]):
            if len(run) >= 2:
                break
            run = []
        run.append(mention)
    if len(run) < 2 or len({m.key for m in run}) < len(run):
        return None
    taken = [(m.start, m.end) for m in mentions]
    numbers = [w for w in scan(sentence) if w.start >= run[-1].end and not is_share(sentence, w)
               and not any(a <= w.start < b for a, b in taken)]
    groups: list[list] = []
    for written in numbers:
        if groups and _list_join().fullmatch(text[groups[-1][-1].end:written.start]):
            groups[-1].append(written)
        else:
            groups.append([written])
    lists = []
    previous_end = run[-1].end
    for group in groups:
        if len(group) == len(run):
            quantity = quantity_beside("", sentence[group[-1].end:])
            if quantity is None:  # "the connections are the same: …", "with weights of …"
                between = _SAME_BEFORE.sub("", sentence[previous_end:group[0].start])
                quantity = quantity_beside(between, "")
            if quantity not in (None, Quantity.SHAPE):
                lists.append((quantity, [sentence[w.start:w.end] for w in group]))
        previous_end = group[-1].end
    return (run, lists) if lists else None


def _equated_quantities(label_text: str) -> tuple[Quantity, ...]:
    """"weights = connections", "Trainable parameters / connections", "parameters and connections": a
    label that equates or joins the words for two counts names both, each part the word for a quantity
    and little else (as in `_declared_order`)."""
    parts = [p.strip(" .:：-*•") for p in re.split(r"\s*(?:=|/|／)\s*", label_text)]
    if len(parts) < 2:
        return coordinated(label_text)
    labels = [classify(p) for p in parts]
    if any(label.quantity in (None, Quantity.SHAPE) or len(part) > len(label.phrase) + 12
           for part, label in zip(parts, labels)):
        return ()
    return tuple(dict.fromkeys(label.quantity for label in labels))


def _listed_values(value: str, count: int) -> list[str] | None:
    """The values of a list ("290,400 / 34,848 / 105,415,200", "(290400, 34848, 105415200)") when it
    holds exactly `count` of them."""
    text = value.strip().rstrip(".")
    if re.fullmatch(r"[(（\[].*[)）\]]", text):
        text = text[1:-1]
    pieces = [p for p in _LIST_SEPARATOR.split(text) if p.strip()]
    if len(pieces) != count and "," in text:  # "(290400,34848,105415200)"; not "290,400"
        pieces = [p for p in re.split(r"\s*,(?!\d{3}(?!\d))\s*", text) if p.strip()]
    if len(pieces) != count or not all(len(read_values(p)) == 1 for p in pieces):
        return None
    return pieces


def _total_label(label_text: str) -> bool:
    """A label with a total word that names a total: the word opens it ("Total params", "In total",
    "So the total is"), or a count follows it ("the total number of weights"), or it is written in a
    language that puts it late ("모두 합치면", "参数总计"); not "the sum of the 3x3 window"."""
    for m in vocabulary().patterns[TOTAL].finditer(aligned(label_text)):
        rest = label_text[m.end():]
        if re.search(r"[\u3040-\u9fff\uac00-\ud7af]", m[0]) or _LEADING.fullmatch(label_text[:m.start()]) \
                or classify(rest).quantity not in (None, Quantity.SHAPE) or not rest.strip(" :：=~≈"):
            return True
    return False


_LABELLED = re.compile(r"[^\d:：]{1,48}[:：]")
_LEAD = re.compile(r"\s*([^\d:：]+?)\s*[:：]\s*")


def _lead_label(text: str) -> Quantity | None:
    """"Number of neurons of each layer = product of the output shape:": a label that names a count and
    states no number, for the numbers below or after it."""
    match = _LEAD.fullmatch(text)
    if match is None or parse_layer(match[1], bare=False) is not None:
        return None
    label = classify(match[1])
    return label.quantity if label.quantity not in (None, Quantity.SHAPE) and not label.total else None


_DASH_REMARK = re.compile(r"\s+(?:--|—|–)\s+(?=[^\W\d_])")


def _without_dash_remark(body: str) -> str:
    """"Layer 2 (CONV2)   -- each GPU's filters see only that GPU's 48 maps": a layer's label, then a
    remark after a dash that names no count."""
    match = _DASH_REMARK.search(body)
    if match is None or match.start() > LABEL_REACH:
        return body
    label = parse_layer(body[:match.start()], within=0, bare=False)
    remark = classify(body[match.end():])
    if label is None or remark.quantity not in (None, Quantity.SHAPE):
        return body
    return body[:match.start()]


# "N_\ell = number of neurons", "W_l: number of weights": a symbol of the student's and what it counts
_DEFINITION = re.compile(r"(?<![\w\\])([A-Za-z])(?:_\s*(?:\\?[A-Za-z]+|\d+))?\s*(?:=|:|denotes?|is|means?|stands?\s+for)\s*(?:the\s+)?"
                         r"([^=,;:.()\d]{3,60})")
_SYMBOL = re.compile(r"\s*([A-Za-z])\s*(?:_|[(\[])")
# a label that is one letter, maybe with a subscript or an alignment mark: "W", "V &", "C_1"
_LONE_SYMBOL = re.compile(r"\s*[A-Za-z](?:_\s*\w{1,3})?\s*&?\s*")
_PRODUCT_AHEAD = re.compile(r"\s*[(\[]?\s*\d[\d,]*\s*(?:[xX×*·]|\\times|\\cdot)\s*\d")


@dataclass(frozen=True, slots=True)
class Equation:
    """"weights = 6,400 * 4,096 = 26,214,400 = connections": the names a value is given, and the value."""

    start: int
    names: tuple[str, ...]
    region: str


# a name: a few words ("number of weights", "W_ conv1"), not a product's "x11" nor a scale word
_NAME = r"(?![xX]\d)(?!(?:[kKmMgGbB]|thousand|million|billion)(?![^\W\d_]))[^\W\d_][\w'’]*(?:\s*_\s*\w+)?" \
        r"(?:\s+[^\W\d_][\w'’]*(?:\s*_\s*\w+)?){0,3}"
_EQUATION_START = re.compile(rf"(?:^\s*|(?<=[,;:：，；&>→⇒])\s*|(?<=[\d)])\s+)(?P<name>{_NAME})\s*(?:=(?![=>])|＝)")
_EQUALS = re.compile(r"(?<![<>=!])=(?![=>])|＝")


def _equations(text: str) -> list[Equation]:
    """"units=69,984 weights=34,848 connections=…": each value is bound to the name before it; a name
    after the value's last "=" names it too ("… = 26,214,400 = connections")."""
    from grader.extract.numbers import scan

    starts = list(_EQUATION_START.finditer(text))
    equations = []
    for k, m in enumerate(starts):
        end = starts[k + 1].start("name") if k + 1 < len(starts) else len(text)
        links = _EQUALS.split(text[m.end():end].rstrip(" ,;，；&"))
        names = [m["name"].strip()]
        while len(links) > 1 and re.search(r"[^\W\d_]", links[-1]) and not scan(links[-1]):
            names.append(links.pop().strip())
        while len(links) > 1 and re.fullmatch(_NAME, links[0].strip()) and not scan(links[0]):
            names.append(links.pop(0).strip())  # "weights = connections = 9216×4096 = 37,748,736"
        region = "=".join(links)
        if scan(region):
            equations.append(Equation(m.start("name"), tuple(names), region))
    return equations


def _header_row(rows: list[list[Cell]]) -> int:
    """Where a sheet's header is: under rows of the student's name and the course ("Imię i
    nazwisko;Jakub …", "Przedmiot;…"), the first row of column names that comes before any layer's
    row; 0 where the first row is the header or no row is."""
    if _looks_like_header(rows[0]):
        return 0
    for k, row in enumerate(rows[:_HEADER_SEARCH]):
        texts = [clean(c.text) for c in row]
        if any(parse_layer(t, within=12) is not None for t in texts[:1]):
            return 0
        named = [t for t in texts if t and classify(t, fuzzy=True).quantity is not None]
        if len(named) >= 2 and _looks_like_header(row):
            return k
    return 0


_HEADER_SEARCH = 6


def _second_header_row(rows: list[list[Cell]]) -> bool:
    """A header over two rows ("| Capa | Salida || Pesos ||" over "| | dimensiones | neuronas | …"):
    the row under the header names no layer, holds no number and words in most columns, and the
    header above it leaves columns blank (cells merged over the ones below)."""
    if len(rows) < 3:
        return False
    top, second = rows[0], rows[1]
    words = [c for c in second if c.text.strip()]
    return not second[0].text.strip() and (len(top) < len(second) or any(not c.text.strip() for c in top[1:])) \
        and 2 * len(words) >= len(second) - 1 and not any(re.search(r"\d", c.text) for c in second)


def _joined_header(top: list[Cell], second: list[Cell]) -> list[Cell]:
    """Each column's header as both rows say it: the top cell spanning blank ones to its right,
    then the cell below ("Salida" + "neuronas"). Under a top cell over several columns, a cell below
    that names a count is the column's ("Parameters" over "weights | biases | total": the weights,
    the biases, and the row's parameters in all, no network's total)."""
    joined, above = [], ""
    for k in range(max(len(top), len(second))):
        head = top[k].text.strip() if k < len(top) else ""
        lower = second[k].text.strip() if k < len(second) else ""
        above = head or above
        # a top cell over several columns (blank ones to its right) heads a group the cells below name
        grouped = not head or (k + 1 < len(top) and not top[k + 1].text.strip())
        if not k:
            text = head or lower
        elif grouped and lower and classify(clean(lower), fuzzy=True).quantity is not None:
            text = lower
        elif grouped and lower and names_total(lower) and _total_only(lower):
            text = above
        else:
            text = f"{above} {lower}".strip() if not head or lower else head
        joined.append(Cell(text, top[k].source if k < len(top) else second[k].source))
    return joined


def _total_only(text: str) -> bool:
    """A header of total words alone ("total", "Σ", "合计")."""
    return not vocabulary().patterns[TOTAL].sub("", aligned(text)).strip(" .:()")


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


def _counted_later(part: str) -> str | None:
    """The rest of a value from a later number, where the value's count word is that number's:
    "400 values down to 120 units" -> "120 units"; None where the first number has its own word."""
    if not re.match(r"[\d(（]", part) or _cell_quantity(part) is None:
        return None
    later = re.search(r"[^\W\d_]{2,}\D*?(?<![^\W\d_])(?=\d)", part)  # (not the 1 of a name, "C1")
    if later is None or _cell_quantity(part[:later.end()]) is not None \
            or _PART_OF.fullmatch(part[:later.end()], re.match(r"[\d(（][\d\s.,]*[^\W\d_]?", part).end()):
        return None  # (not "37.7M of the 58.6M weights": a part, then its whole)
    return part[later.end():]


# an "x" that multiplies ("13 x 13", "3x3"), not one inside a word ("conexiones")
_SIGN_X = re.compile(r"(?<![^\W\d_])[xX](?![^\W\d_])")


@lru_cache(maxsize=1)
def _value_parts() -> re.Pattern:
    """What separates the parts of a value that go on to other counts: "442,368 weights and 43,264 ·
    1,728 = 74,760,192 connections", "442.368 pesos y …": punctuation, and the vocabulary's
    conjunctions as words of their own."""
    words = {w for w in vocabulary().conjunctions if re.fullmatch(r"[^\W\d_]+|&", w)} or {"and"}
    return re.compile(rf"[;；，、]|,\s+|\s+(?:{_words_alternation(words)})\s+|和")


def _cell_quantity(text: str) -> Quantity | None:
    """A unit word inside a cell: "4,096 neurons"; in a long cell, the word right after its number
    ("223,948,800 connections   <-- fixed, each filter only sees …")."""
    words = re.sub(r"[\d.,×*()+\-=/\s]+", " ", _SIGN_X.sub(" ", drop_remarks(text))).strip()
    if len(words) > 30 and (after := _WORD_AFTER_FIRST.match(text)):
        words = after[1]
    if not words or len(words) > 30:
        return None
    label = classify(words)
    return label.quantity if label.role is not None and not label.total else None


# a map's sides and depth, then the word for a shape: "27x27x256 feature map", "13×13×384 output"
_SHAPE_FIRST = re.compile(r"\s*\d+\s*[x×*]\s*\d+(?:\s*[x×*]\s*\d+)?\s+[^\W\d_]", re.IGNORECASE)
# a YAML key with a comment after it and no value
_KEY_COMMENT = re.compile(r"^(\s*[\w.\-]+\s*:)\s+#\s.*$")
# a list of whole numbers in brackets, as YAML, JSON and Python print one: "[1792, 36928]"
_BRACKETED_LIST = re.compile(r"[\[(]\s*(\d[\d_]*(?:\s*,\s*\d[\d_]*)+)\s*,?\s*[\])]")


def _is_list(text: str) -> bool:
    """"1, 96, 11": inputs, outputs, kernel; not an answer."""
    return "=" not in text and len(re.findall(r"\d+", text)) >= 2 and bool(re.search(r"\d\s*,\s+\d|\d\s*,\s*\d{1,2}\b", text))
