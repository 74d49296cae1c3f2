"""Layer names as students write them, and the layer of a network spec they mean.

`parse_layer` reads a mention ("Conv 1", "Convolution Layer 1", "Max Pool 1", "FC1", "F6层",
"Linear-1", "Pool(Conv 1)", "CONV3-64", "第1层", "卷积层1", "C1", "block1_conv2", "Output Layer")
without knowing the network; `resolve` then finds the spec's layer: its name, an alias, the
literal kind and number (FC6 -> fc6), else the ordinal among layers of that kind (FC1 of AlexNet is
fc6, Conv7 of VGG16 is conv3_3; "第14层" counts the layers that hold weights). Mentions without a
usable number (VGG's "CONV3-64", a bare "FC") are placed by position by the caller.

`find_networks` reads the networks a line names ("Q2) Alexnet", "9) VGG/6", "ZFNET")."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from grader.extract.memo import memoised, memoised_list
from grader.extract.quantities import aligned, normalise, vocabulary

CANONICAL = {"conv": "conv", "pool": "pool", "fc": "fc", "lrn": "norm", "layer": "layer"}
SINGLE_LETTER = {"c": "conv", "s": "pool", "f": "fc"}
CJK_NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
# Pseudo-layers: what a row or label can name besides a spec's layers.
INPUT_NAMES = ("input", "inputimage", "inputlayer", "input层", "输入层", "输入")


@dataclass(frozen=True, slots=True)
class LayerLabel:
    """A layer mention. `kind` is conv, pool, fc, norm or layer (counting layers with weights), or
    None for a bare name (`key`, matched against the spec's names and aliases)."""

    text: str
    kind: str | None
    number: int | None
    key: str  # separators removed: "conv1", "outputlayer", "c5", "conv5_3"
    positional: bool = False  # no usable number: placed after the previous row's layer
    pool_after: bool = False  # "Pool(Conv 1)": the convolution, with pooling after it
    start: int = 0  # where the mention starts and ends in the normalised text
    end: int = 0
    # "Layer 2 (max pooling)": the kind a bracket after a counted "Layer N" names (a student who
    # numbers the pools too means the layers in order of kind, not the N-th with weights)
    bracket_kind: str | None = None

    @property
    def is_input(self) -> bool:
        return self.kind is None and self.key in INPUT_NAMES


@lru_cache(maxsize=8192)
def _key(text: str) -> str:
    return re.sub(r"[\s\-–.·()（）]+", "", normalise(text))


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern]:
    kinds = vocabulary().layer_kinds
    alternatives = sorted(((w, kind) for kind, words in kinds.items() for w in words if len(w) > 1),
                          key=lambda item: -len(item[0]))
    kind_re = "|".join(re.escape(w).replace(r"\ ", r"\s*") for w, _ in alternatives)
    ordinal_re = "|".join(re.escape(w) for w in sorted(vocabulary().ordinal_words, key=len, reverse=True))
    return {
        # Keras' VGG names, and their short forms: "block3_conv1", "b3_conv1", "block3_pool"
        "block": re.compile(r"(?<![a-z])(?:block|blk|b)\s*(\d)\s*_?\s*conv\s*(\d)(?!\d)"),
        "block_pool": re.compile(r"(?<![a-z])(?:block|blk|b)\s*(\d)\s*_?\s*(?:max)?pool(?:ing)?(?![a-z\d])"),
        "literal": re.compile(r"(?<![a-z])conv(\d)_(\d)(?!\d)"),
        "vgg": re.compile(r"(?<![a-z])conv\s*(\d{1,2})\s*[-–]\s*(\d{2,4})(?!\d)"),
        "vgg_fc": re.compile(r"(?<![a-z])fc\s*[-–]\s*\d{3,5}(?!\d)"),  # VGG's table: "FC-4096", "FC-1000"
        "numbered": re.compile(rf"(?<![a-z])({kind_re}|{'|'.join(_swapped_kinds())})\s*[-_.]?\s*(\d{{1,2}})"
                               r"(?![\d.,]\d)(?![a-z])"),
        "letter": re.compile(r"(?<![a-z0-9])([csf])_?\{?(\d{1,2})\}?(?![0-9a-z])"),  # LeNet's C1, S2, F6; "C_1", "C_{1}"
        "before": re.compile(rf"(?<![\d.])(\d{{1,2}})\s*(?:번째|st|nd|rd|th)\s*({kind_re})"),
        "ordinal": re.compile(rf"(?<![a-z])({ordinal_re})\s*(?:个|번째)?\s*({kind_re})"),
        "di": re.compile(rf"第\s*(\d{{1,2}}|[一二三四五六七八九十]+)\s*个?\s*({kind_re})?\s*层?"),
        "bare": re.compile(rf"(?<![a-z])({kind_re})(?![a-z])"),
        "names": re.compile(r"(?<![a-z])(input\s*image|input\s*(?:layer|层)|input|rbf|输入层|输入|"
                            + "|".join(re.escape(w).replace(r"\ ", r"\s*") for w in vocabulary().output_layer)
                            + r")(?![a-z])"),
    }


@lru_cache(maxsize=1)
def _swapped_kinds() -> dict[str, str]:
    """Kind words of four letters or more with two neighbouring letters swapped ("Covn3" for conv3),
    read only before a layer number, where no word of the language stands."""
    words = {w for ws in vocabulary().layer_kinds.values() for w in ws}
    swapped = {}
    for word in words:
        if len(word) >= 4 and word.isalpha() and word.isascii():
            for i in range(len(word) - 1):
                typo = word[:i] + word[i + 1] + word[i] + word[i + 2:]
                if typo != word and typo not in words:
                    swapped[typo] = word
    return swapped


@memoised
def _kind_of(word: str) -> str:
    word = normalise(word)
    word = _swapped_kinds().get(word, word)
    for kind, words in vocabulary().layer_kinds.items():
        if word in words or re.sub(r"\s+", "", word) in (re.sub(r"\s+", "", w) for w in words):
            return CANONICAL[kind]
    return "layer"


def _cjk_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + CJK_NUMERALS.get(text[1:], 0)
    if text.endswith("十"):
        return CJK_NUMERALS.get(text[0], 0) * 10
    if "十" in text:
        tens, ones = text.split("十", 1)
        return CJK_NUMERALS.get(tens, 0) * 10 + CJK_NUMERALS.get(ones, 0)
    return CJK_NUMERALS.get(text, 0)


@memoised_list
def _mentions(text: str) -> list[LayerLabel]:
    """Every numbered mention in the text (overlapping ones included), in no particular order."""
    norm = aligned(text)
    pats = _patterns()
    found: list[LayerLabel] = []
    for m in pats["block"].finditer(norm):
        found.append(LayerLabel(text, None, None, f"conv{m[1]}_{m[2]}", start=m.start(), end=m.end()))
    for m in pats["block_pool"].finditer(norm):
        found.append(LayerLabel(text, "pool", int(m[1]), f"pool{m[1]}", start=m.start(), end=m.end()))
    for m in pats["literal"].finditer(norm):
        found.append(LayerLabel(text, None, None, f"conv{m[1]}_{m[2]}", start=m.start(), end=m.end()))
    for m in pats["vgg"].finditer(norm):
        if int(m[2]) >= 16:  # kernel-filters, as VGG's table writes conv3-64
            found.append(LayerLabel(text, "conv", None, "conv", positional=True, start=m.start(), end=m.end()))
    for m in pats["vgg_fc"].finditer(norm):  # an FC layer's width: the next FC layer
        found.append(LayerLabel(text, "fc", None, "fc", positional=True, start=m.start(), end=m.end()))
    for m in pats["numbered"].finditer(norm):
        if any(f.start <= m.start() < f.end for f in found):
            continue
        kind = _kind_of(m[1])
        found.append(LayerLabel(text, kind, int(m[2]), f"{kind}{int(m[2])}", start=m.start(), end=m.end()))
    for m in pats["letter"].finditer(norm):
        found.append(LayerLabel(text, SINGLE_LETTER[m[1]], int(m[2]), f"{m[1]}{int(m[2])}",
                                start=m.start(), end=m.end()))
    for m in pats["before"].finditer(norm):
        kind = _kind_of(m[2])
        found.append(LayerLabel(text, kind, int(m[1]), f"{kind}{int(m[1])}", start=m.start(), end=m.end()))
    for m in pats["ordinal"].finditer(norm):
        if m[1] in CJK_NUMERALS and "个" in m[0] and not norm[:m.start()].rstrip().endswith("第"):
            continue  # "三个全连接层": three FC layers, a count (the third is "第三个")
        kind, n = _kind_of(m[2]), vocabulary().ordinal_words[m[1]]
        found.append(LayerLabel(text, kind, n, f"{kind}{n}", start=m.start(), end=m.end()))
    for m in pats["di"].finditer(norm):
        kind = _kind_of(m[2]) if m[2] else "layer"
        n = _cjk_number(m[1])
        if n:
            found.append(LayerLabel(text, kind, n, f"{kind}{n}", start=m.start(), end=m.end()))
    return found


@memoised
def parse_layer(text: str, *, within: int | None = None, bare: bool = True) -> LayerLabel | None:
    """The layer a label names; None if it names none. `within`: the mention must start within
    that many characters of the label's start (prose, where a layer named late is a reference).
    `bare`: accept a kind without a number ("FC", a table row placed by position); prose does not
    ("Convolution kernel size: 5*5" is not a layer)."""
    found = _mentions(text)
    if within is not None:
        found = [f for f in found if f.start <= within]
    if found:
        # "Layer 1 (CONV1)": the specific kind; "Capa 1 conv3-64": the numbered mention, not the unnumbered
        found.sort(key=lambda f: (f.positional, f.kind == "layer", f.start))
        best = _with_bracket_kind(_between(found, text), text)
        pooled = best.kind == "conv" and re.search(r"pool", aligned(text)[:best.start]) is not None
        if pooled:
            return LayerLabel(best.text, best.kind, best.number, best.key, best.positional, True,
                              best.start, best.end)
        return best
    norm = aligned(text)
    pats = _patterns()
    name = pats["names"].search(norm)
    if name and _bare_output(name[1]) and re.search(r"[^\W_]", norm[:name.start()]):
        name = None  # "The output 27×27×256 gives …": a layer's output, not the output layer
    if name and (within is None or name.start() <= within):
        key = _key(name[1])
        if key not in INPUT_NAMES and key != "rbf":
            key = "outputlayer"  # the output layer by any of its names (vocabulary.yaml output_layer)
        return LayerLabel(text, None, None, "input" if key in INPUT_NAMES else key,
                          start=name.start(), end=name.end())
    kind_word = pats["bare"].search(norm) if bare else None
    if kind_word and (within is None or kind_word.start() <= within) and _kind_of(kind_word[1]) != "layer":
        kind = _kind_of(kind_word[1])
        return LayerLabel(text, kind, None, kind, positional=True, start=kind_word.start(), end=kind_word.end())
    return None


# "C1与S2之间的参数", "the weights between conv5 and fc6": what lies between two layers is the second's
_BETWEEN_JOIN = re.compile(r"\s*层?\s*(?:与|和|跟|到|and|&)\s*")
_BETWEEN_AFTER = re.compile(r"\s*层?\s*(?:之间|间)")
_BETWEEN_BEFORE = re.compile(r"(?<![a-z])between\s*(?:the\s*)?$")


def _between(found: list[LayerLabel], text: str) -> LayerLabel:
    first = found[0]
    norm = aligned(text)
    second = next((f for f in found if f.start >= first.end), None)
    if second is not None and _BETWEEN_JOIN.fullmatch(norm, first.end, second.start) \
            and (_BETWEEN_AFTER.match(norm, second.end) or _BETWEEN_BEFORE.search(norm[:first.start])):
        return second
    return first


def _bare_output(phrase: str) -> bool:
    """An output layer's name with no word for a layer in it ("output", "salida", "输出")."""
    key = _key(phrase)
    if key in INPUT_NAMES or key == "rbf":
        return False
    return not any(word in phrase for word in ("layer", "层", "층", "層", "capa", "camada", "couche", "schicht",
                                              "слой", "katman", "strato", "warstwa", "laag", "lop"))


def pair_start(text: str, layer: LayerLabel) -> int:
    """Where the words naming a layer start: at the first of a pair it is "between"
    ("输入层与C1层之间的参数": C1's, named from "输入层" on)."""
    norm = aligned(text)
    before = [f.start for f in _mentions(text) if f.end <= layer.start and _BETWEEN_JOIN.fullmatch(norm, f.end, layer.start)]
    names = _patterns()["names"].search(norm, 0, layer.start)
    if names and _BETWEEN_JOIN.fullmatch(norm, names.end(), layer.start):
        before.append(names.start())
    return min(before) if before and _BETWEEN_AFTER.match(norm, layer.end) else layer.start


def find_layers(text: str) -> list[LayerLabel]:
    """Every numbered layer a text mentions, left to right, one per place: "Layer 2 (CONV2)" is one
    mention (the specific kind, spanning both), as parse_layer reads it."""
    mentions = sorted(_mentions(text), key=lambda f: (f.start, f.kind == "layer", -f.end))
    kept: list[LayerLabel] = []
    for mention in mentions:
        if kept and mention.start < kept[-1].end:
            continue
        if kept and re.fullmatch(r"\s*[(（]\s*", text[kept[-1].end:mention.start]) and kept[-1].kind == "layer":
            outer = kept.pop()  # "Layer 2 (CONV2)": the kind in brackets names it
            close = re.match(r"\s*[)）]", text[mention.end:])
            mention = LayerLabel(text, mention.kind, mention.number, mention.key, mention.positional,
                                 mention.pool_after, outer.start, mention.end + (close.end() if close else 0))
        kept.append(_with_bracket_kind(mention, text))
    return kept


def _with_bracket_kind(mention: LayerLabel, text: str) -> LayerLabel:
    if mention.kind != "layer":
        return mention
    inner = re.match(r"\s*[(（]([^()（）]{1,40})[)）]", aligned(text)[mention.end:])
    word = _patterns()["bare"].search(inner[1]) if inner else None
    if word is None or _kind_of(word[1]) == "layer":
        return mention
    return LayerLabel(mention.text, mention.kind, mention.number, mention.key, mention.positional,
                      mention.pool_after, mention.start, mention.end, _kind_of(word[1]))


_NAMES: dict[int, tuple] = {}


def _names(network) -> tuple[dict, dict]:
    """The network's layer names and aliases by key, computed once per network object (the cache
    holds the object, so its id is not reused while cached)."""
    cached = _NAMES.get(id(network))
    if cached is None or cached[0] is not network:
        cached = (network, {_key(layer.name): layer.name for layer in network.layers},
                  {_key(alias): layer.name for layer in network.layers for alias in layer.aliases})
        _NAMES[id(network)] = cached
    return cached[1], cached[2]


def resolve(label: LayerLabel, network) -> str | None:
    """The spec's layer a mention names, or None (positional mentions, unknown names). "input" for
    the network's input."""
    if label.is_input:
        return "input"
    if label.positional:
        return None
    names, aliases = _names(network)
    for key in (label.key, _key(label.text)):
        if key in names:
            return names[key]
        if key in aliases:
            return aliases[key]
    if label.kind is None or label.number is None:
        return None
    kind = label.kind
    if kind in ("conv", "pool", "fc", "norm"):
        literal = {"fc": ("fc", "f"), "conv": ("conv",), "pool": ("pool",), "norm": ("norm", "lrn")}[kind]
        for prefix in literal:
            if f"{prefix}{label.number}" in names:
                return names[f"{prefix}{label.number}"]
    ordinal_kind = {"norm": "lrn"}.get(kind, kind)
    layer = network.ordinal(ordinal_kind, label.number)
    if layer is not None:
        return layer.name
    # LeNet's paper numbers every layer, pools included: "Convolutional Layer 3" is C3, the second
    # convolution; "Convolutional Layer 5" is C5, a convolution that covers its whole input (an FC layer)
    counted = network.counted_layers
    if 1 <= label.number <= len(counted):
        layer = counted[label.number - 1]
        if layer.kind == kind or (kind == "conv" and layer.kind == "fc"):
            return layer.name
    return None


# ------------------------------------------------------------------------ networks named in text


@lru_cache(maxsize=1)
def _network_keys() -> tuple[tuple[str, str], ...]:
    """(key, spec name) for every shipped network's name and aliases, longest key first."""
    from grader.reference.spec import list_networks, load_network

    keys = []
    for name in list_networks():
        network = load_network(name)
        for alias in (name, *network.aliases):
            key = re.sub(r"[\s\-_]+", "", normalise(alias))
            if key:
                keys.append((key, name))
    return tuple(sorted(set(keys), key=lambda item: -len(item[0])))


@lru_cache(maxsize=1)
def _families() -> dict[str, tuple[str, ...]]:
    """Shipped networks by the letters their name starts with ("vgg": vgg16, vgg19)."""
    from grader.reference.spec import list_networks

    families: dict[str, list[str]] = {}
    for name in list_networks():
        stem = re.match(r"[a-z]+", name)
        if stem:
            families.setdefault(stem[0], []).append(name)
    return {stem: tuple(names) for stem, names in families.items()}


@memoised
def find_networks(text: str) -> tuple[str, ...]:
    """The shipped networks a text names, most specific reading first; a bare family name ("VGG")
    gives every network of the family. OCR slips in the digits are forgiven ("VGG/6")."""
    norm = normalise(text)
    found: list[str] = []
    taken: list[tuple[int, int]] = []
    for pattern, name in _network_patterns():
        for m in pattern.finditer(norm):
            if any(s <= m.start() < e for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            if name not in found:
                found.append(name)
    families = _families()
    for stem, names in families.items():  # "以19层VGG模型为例", "a 16-layer VGG", "VGG with 19 layers"
        if stem not in norm:
            continue
        for m in _depth_pattern(stem).finditer(norm):
            depth = m[1] or m[2]
            if f"{stem}{depth}" in names and not any(s <= m.start() < e for s, e in taken):
                taken.append((m.start(), m.end()))
                if f"{stem}{depth}" not in found:
                    found.append(f"{stem}{depth}")
    for stem, names in families.items():
        for m in re.finditer(rf"(?<![a-z]){stem}(?![a-z])", norm):
            if any(s <= m.start() < e for s, e in taken):
                continue
            if found and stem not in {_stem(n) for n in found}:
                found += [n for n in names if n not in found]  # "VGG … compared to Alexnet": two families
            break
    if found:
        return tuple(found)
    from rapidfuzz import fuzz

    for token in re.findall(r"[a-z][a-z0-9/|!]{2,9}", norm):
        for stem, names in families.items():
            if not token.startswith(stem):
                continue
            close = [name for name in names if fuzz.ratio(token, re.sub(r"[\s\-_]+", "", name)) >= 80]
            if len(close) == 1:
                return tuple(close)
            if token == stem:
                return names
    return ()


@lru_cache(maxsize=None)
def _depth_pattern(stem: str) -> re.Pattern:
    """A network of a family named by its depth, before or after the family's name."""
    return re.compile(rf"(?<![\d.])(\d{{1,3}})\s*(?:层|-?\s*layers?|-?\s*weight\s*layers?)\s*(?:的\s*)?{stem}(?![a-z])"
                      rf"|(?<![a-z]){stem}(?:\s*net)?\s*(?:with|of|de|con|mit|avec)?\s*(\d{{1,3}})\s*"
                      rf"(?:层|layers?|weight\s*layers?|capas|couches|schichten|camadas)")


def network_mentions(text: str) -> list[tuple[int, int, str]]:
    """(start, end, network) for each shipped network a text names by its name or an alias, left to
    right (positions in `text`)."""
    norm = aligned(text)
    found: list[tuple[int, int, str]] = []
    for pattern, name in _network_patterns():
        for m in pattern.finditer(norm):
            if not any(s <= m.start() < e for s, e, _ in found):
                found.append((m.start(), m.end(), name))
    return sorted(found)


def _stem(name: str) -> str:
    return re.match(r"[a-z]*", name)[0]


@lru_cache(maxsize=1)
def _network_patterns() -> tuple[tuple[re.Pattern, str], ...]:
    """A pattern per name and alias, separators optional, not inside a longer word ("lenet" is not
    in "googlenet"), longest first."""
    patterns = []
    for key, name in _network_keys():
        body = r"[\s\-_]*".join(re.escape(ch) for ch in key)
        patterns.append((re.compile(rf"(?<![a-z0-9]){body}(?![a-z])"), name))
    return tuple(patterns)
