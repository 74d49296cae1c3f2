"""What a header or a label says a number is: a quantity, a shape, a total, the input, or not an answer.

The words live in vocabulary.yaml; they are compiled once per process. A label is classified by
the longest vocabulary phrase it contains (so "# feature maps", a channel count, beats "feature
map", a shape); a header that contains none is matched fuzzily (rapidfuzz) against them all, to
forgive typos such as "Paramters"."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from grader.core import GraderError, Quantity

VOCABULARY_PATH = Path(__file__).with_name("vocabulary.yaml")

# Roles of a label besides the quantities themselves.
NOT_ANSWER = "not-answer"
SHAPE_AFTER = "shape-after"  # "relu后：55*55*96": the current layer's output shape
INPUT = "input"
TOTAL = "total"


@dataclass(frozen=True, slots=True)
class Label:
    """What a label names: `role` is a Quantity, NOT_ANSWER, SHAPE_AFTER or INPUT (or None);
    `total` says it names a total ("Total Parameters": role params, total True)."""

    role: Quantity | str | None
    total: bool = False
    phrase: str = ""  # the vocabulary phrase that matched

    @property
    def quantity(self) -> Quantity | None:
        if isinstance(self.role, Quantity):
            return self.role
        return Quantity.SHAPE if self.role == SHAPE_AFTER else None


@dataclass(frozen=True, slots=True)
class Vocabulary:
    phrases: tuple[tuple[str, Quantity | str], ...]  # (normalised phrase, role), longest first
    totals: tuple[str, ...]
    layer_kinds: dict  # kind -> phrases
    ordinal_words: dict  # word -> n
    other_networks: tuple[str, ...]
    patterns: dict  # role -> compiled alternation (for the `find` helpers)
    masked: re.Pattern | None = None  # phrases whose inner words are not labels (see `vocabulary`)
    header_cells: dict | None = None  # whole header cell -> quantity ("W": weights)
    network_columns: frozenset = frozenset()  # headers of a column naming each row's network
    share: re.Pattern | None = None  # a share of a count ("in %", "占比"): no count
    part: re.Pattern | None = None  # a part of a layer ("per GPU"): not the layer's count beside the whole's
    shape_head: re.Pattern | None = None  # a shape word right after a count's ("activation shape")
    no_bias: re.Pattern | None = None  # the biases left out ("sin sesgos", "편향 제외")
    output_layer: tuple[str, ...] = ()  # the output layer's names ("Output", "输出层", "Çıkış katmanı")
    conjunction: re.Pattern | None = None  # a word joining two quantities' names ("and", "和")
    conjunctions: tuple[str, ...] = ()  # those words
    sentence_opener: re.Pattern | None = None  # small words before a sentence's subject ("En la")
    attribution: re.Pattern | None = None  # a figure's source named ("the paper's caption says")
    rejection: re.Pattern | None = None  # that figure rejected ("but that cannot be right")
    conclusion: re.Pattern | None = None  # ", so …", ", por lo que …": where a conclusion's clause starts
    per_item: dict | None = None  # words of a count of one item: {"lead": …, "each": …, "item": …}
    respectively: re.Pattern | None = None  # a word pairing names and values in order ("分别")
    retraction: re.Pattern | None = None  # words right after a figure taking it back ("— no wait,")
    retraction_words: re.Pattern | None = None  # those words alone, to find quickly whether a text has any


def normalise(text: str) -> str:
    """Lower case, NFKC (full-width letters and digits), accents off Latin and Cyrillic letters
    (written as one character or, decomposed, as a letter and its mark), markup and spacing folded."""
    folded = aligned(text)
    if not folded.isascii():
        folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", folded).strip()


def aligned(text: str) -> str:
    """Lower case, full-width folded, accents dropped, markup blanked, character for character:
    positions in the result are positions in `text`."""
    folded = text.lower() if text.isascii() else "".join(map(_folded, text))
    return _MARKUP.sub(" ", folded)


_MARKUP = re.compile(r"[*`~$\\]")


@lru_cache(maxsize=8192)
def _folded(ch: str) -> str:
    """One character NFKC-folded and lower case ("Ａ" "a"), without its accent where it is a Latin or
    Cyrillic letter: "é" "ü" "ơ" "ё" "й" as "e" "u" "o" "е" "и", "đ" as "d" (students write
    "parametres", "so tham so" and "сверточный" as often as with their accents; kana and hangul keep
    their marks)."""
    folded = unicodedata.normalize("NFKC", ch).lower()
    if len(folded) != 1:
        return ch.lower()
    if not "\u00c0" <= folded <= "\u1eff" or "\u0500" <= folded < "\u1e00":
        return folded
    if folded == "đ":
        return "d"
    return unicodedata.normalize("NFD", folded)[0]


_WORD_START = re.compile(r"[a-z0-9а-я]")
_WORD_END = re.compile(r"[a-z0-9а-я]$")


def _bounded(phrase: str) -> str:
    """A regex for a phrase that does not match inside a longer Latin or Cyrillic word ("out" in
    "output", "нейрон" in "нейронная")."""
    body = re.escape(phrase).replace(r"\ ", r"\s*")
    start = r"(?<![a-z0-9а-я])" if _WORD_START.match(phrase) else ""
    end = r"(?![a-zа-я])" if _WORD_END.search(phrase) else ""
    return start + body + end


def _alternation(phrases) -> str:
    """A regex matching any of the phrases as `_bounded` matches each, the longest first, with their
    common beginnings shared: Python's re tries every alternative at every position, and a vocabulary
    of ten languages has hundreds (a shared beginning is tried once)."""
    trie: dict = {}
    for phrase in phrases:
        node = trie
        for ch in phrase:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict, last: str | None) -> str:
        branches = []
        for ch in sorted(k for k in node if k):
            piece = r"\s*" if ch == " " else re.escape(ch)
            if last is None and _WORD_START.match(ch):
                piece = r"(?<![a-z0-9а-я])" + piece
            branches.append(piece + emit(node[ch], ch))
        if "" in node:  # a phrase ends here: after every longer one
            branches.append(r"(?![a-zа-я])" if _WORD_END.search(last) else "")
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return emit(trie, None) if trie else "(?!)"


def _squeezed(text: str) -> str:
    """The text without its whitespace: a phrase's pattern (`_bounded`) can match only a text whose
    squeezed form holds the phrase's, a substring test far cheaper than compiling the pattern."""
    return "".join(text.split())


@lru_cache(maxsize=None)
def _bounded_pattern(phrase: str) -> re.Pattern:
    return re.compile(_bounded(phrase))


def _holding(phrases: list[str], longer: list[str]) -> set[str]:
    """The phrases of `longer` that hold one of `phrases` as a bounded word; a phrase's pattern is
    compiled only where the substring test passes (the vocabulary is loaded at every start:
    `grader check` must be fast)."""
    keys = [(p, _squeezed(p)) for p in phrases]
    return {k for k in longer
            if any(p != k and key in squeezed and _bounded_pattern(p).search(k)
                   for squeezed in (_squeezed(k),) for p, key in keys)}


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    import yaml

    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's where PyYAML has it: ten times faster
        raw = yaml.load(VOCABULARY_PATH.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 - a safe loader
    except (OSError, yaml.YAMLError) as err:
        raise GraderError(f"{VOCABULARY_PATH}: cannot load the extraction vocabulary: {err}") from None
    phrases: list[tuple[str, Quantity | str]] = []
    for name, words in raw["quantities"].items():
        phrases += [(normalise(str(w)), Quantity(name)) for w in words]
    phrases += [(normalise(str(w)), SHAPE_AFTER) for w in raw["shape_after"]]
    phrases += [(normalise(str(w)), NOT_ANSWER) for w in raw["not_answers"]]
    phrases += [(normalise(str(w)), INPUT) for w in raw["input"]]
    phrases.sort(key=lambda item: -len(item[0]))
    totals = tuple(sorted((normalise(str(w)) for w in raw["total"]), key=len, reverse=True))
    ordinal_words = {normalise(str(w)): int(n) for n, words in raw["ordinal_words"].items() for w in words}
    # "共" marks a total only right before its number ("共 6000 万"; not "共享", shared)
    before_number = [normalise(str(w)) for w in raw.get("total_before_number", ())]
    patterns = {
        TOTAL: re.compile("|".join([_alternation(totals)]
                                   + [rf"{re.escape(w)}(?=\s*(?:约|~|≈)?\s*[0-9])" for w in before_number])),
        "other": re.compile(_alternation(normalise(str(w)) for w in raw["other_networks"])),
        "counted": re.compile(_alternation(normalise(str(w)) for w in raw["not_total"])),
        "adverb": re.compile(_alternation(normalise(str(w)) for w in raw["total_adverbs"])),
    }
    # words of another kind that hold a quantity's or a non-answer's word: a layer kind (全连接 holds
    # 连接, 완전연결 holds 연결) or a total ("in total" holds "in")
    counted = [p for p, role in phrases if isinstance(role, Quantity)]
    others = [p for p, role in phrases if role == NOT_ANSWER]
    kinds = {normalise(str(w)) for words in raw["layer_kinds"].values() for w in words}
    masked = sorted(_holding(counted, sorted(kinds)) | _holding(others, list(totals)), key=len, reverse=True)
    heads = [normalise(str(w)) for w in raw.get("shape_heads", ())]
    biases = "|".join(_bounded(p) for p, role in sorted(phrases, key=lambda item: -len(item[0]))
                      if role is Quantity.BIASES)
    before = "|".join(_bounded(normalise(str(w))) for w in raw.get("negations_before", ()))
    after = "|".join(_bounded(normalise(str(w))) for w in raw.get("negations_after", ()))
    no_bias = re.compile(rf"(?:{before})\s*(?:the\s*|los\s*|les\s*|die\s*|os\s*)?(?:{biases})"
                         rf"|(?:{biases})\s*(?:is\s*|are\s*|을\s*|를\s*|を\s*)?(?:{after})") if before and after else None
    joins = sorted((normalise(str(w)) for w in raw.get("conjunctions", ())), key=len, reverse=True)
    retractions = _alternation(normalise(str(w)) for w in raw["retractions"]) if raw.get("retractions") else ""
    return Vocabulary(
        conjunction=re.compile(_alternation(joins)) if joins else None,
        conjunctions=tuple(joins),
        attribution=re.compile(_alternation(normalise(str(w)) for w in raw["attributions"]))
        if raw.get("attributions") else None,
        rejection=re.compile(_alternation(normalise(str(w)) for w in raw["rejections"]))
        if raw.get("rejections") else None,
        conclusion=re.compile(r"[,，]\s*(?=(?:" + "|".join(re.escape(str(w)) for w in sorted(
            raw["conclusions"], key=lambda w: -len(str(w)))) + r")(?![^\W\d_]))", re.IGNORECASE)
        if raw.get("conclusions") else None,
        per_item={key: tuple(str(w) for w in words) for key, words in raw.get("per_item", {}).items()},
        sentence_opener=re.compile(r"\s*(?:(?:" + _alternation(normalise(str(w)) for w in raw["sentence_openers"])
                                   + r")\s*){1,2}") if raw.get("sentence_openers") else None,
        respectively=re.compile(_alternation(normalise(str(w)) for w in raw["respectively"]))
        if raw.get("respectively") else None,
        retraction=re.compile(rf"\s*(?:[—–\-,]+|…|\.\.\.)?\s*(?:{retractions})") if retractions else None,
        retraction_words=re.compile(retractions) if retractions else None,
        no_bias=no_bias,
        output_layer=tuple(sorted({aligned(str(w)) for w in raw.get("output_layer", ())}, key=len, reverse=True)),
        shape_head=re.compile(r"\s*(?:" + "|".join(_bounded(h) for h in heads) + ")") if heads else None,
        masked=re.compile(_alternation(masked)) if masked else None,
        phrases=tuple(phrases),
        totals=totals,
        layer_kinds={kind: tuple(sorted((normalise(str(w)) for w in words), key=len, reverse=True))
                     for kind, words in raw["layer_kinds"].items()},
        ordinal_words=ordinal_words,
        other_networks=tuple(normalise(str(w)) for w in raw["other_networks"]),
        patterns=patterns,
        header_cells={normalise(str(w)): Quantity(name)
                      for name, words in raw.get("header_cells", {}).items() for w in words},
        network_columns=frozenset(normalise(str(w)) for w in raw.get("network_columns", ())),
        share=re.compile(_alternation(normalise(str(w)) for w in raw["shares"])) if raw.get("shares") else None,
        part=re.compile(_alternation(normalise(str(w)) for w in raw["parts"])) if raw.get("parts") else None,
    )


@lru_cache(maxsize=1)
def _phrase_keys() -> tuple[tuple[str, str, Quantity | str], ...]:
    return tuple((_squeezed(p), p, role) for p, role in vocabulary().phrases)


@lru_cache(maxsize=4096)
def named_quantities(text: str) -> frozenset[Quantity]:
    """Every count a word of the text names ("parameters and connections": both), a layer kind's
    words ("全连接", fully connected) not taken for a count's."""
    return frozenset(label.quantity for found in _counts_pattern().finditer(_masked(normalise(text)))
                     if (label := classify(found[0])).quantity not in (None, Quantity.SHAPE))


@lru_cache(maxsize=1)
def _counts_pattern() -> re.Pattern:
    return re.compile(_alternation(p for p, role in vocabulary().phrases
                                   if isinstance(role, Quantity) and role is not Quantity.SHAPE))


def names_total(text: str) -> bool:
    return bool(vocabulary().patterns[TOTAL].search(vocabulary().patterns["counted"].sub(" ", normalise(text))))


def total_adverb(phrase: str) -> bool:
    """"总共", "in total": a total word that can qualify one layer's count."""
    return vocabulary().patterns["adverb"].fullmatch(normalise(phrase)) is not None


def names_network_column(header: str) -> bool:
    """A header of a column whose cells name each row's network ("network", "网络")."""
    return normalise(header) in vocabulary().network_columns


def names_share(header: str) -> bool:
    """A header of a share of a count ("Anteil Gewichte in %", "% of params", "参数占比")."""
    pattern = vocabulary().share
    return pattern is not None and pattern.search(normalise(header)) is not None


def names_part(header: str) -> bool:
    """A header counting a part of each layer ("Units per GPU", "每个GPU的参数")."""
    pattern = vocabulary().part
    return pattern is not None and pattern.search(normalise(header)) is not None


def names_other_network(text: str) -> bool:
    return bool(vocabulary().patterns["other"].search(normalise(text)))


# a size in bytes ("Params size (MB)", "Estimated Total Size (MB)", "233.08 MB") is not a count
_MEMORY = re.compile(r"[(（]\s*(?:[kmgt]i?)?b(?:ytes)?\s*[)）]|(?<![a-z])(?:[kmgt]i?b|bytes)(?![a-z])")


# a qualifier that adds the biases: "weights incl. bias" counts the parameters
_WITH_BIAS = re.compile(r"(?:\+|&|(?<![a-z])(?:with|incl(?:uding|\.)?|plus|and))\s*(?:the\s*)?bias(?:es)?(?![a-z])"
                        r"|(?<![不无])(?:含|包含|包括|加|带|连同)\s*(?:偏置|bias)")


@lru_cache(maxsize=4096)
def classify(text: str, *, fuzzy: bool = False) -> Label:
    """The role of a label or header. `fuzzy` also tries a close match to a whole phrase
    (for headers, which are short: "Paramters", "Nuerons")."""
    norm = normalise(text)
    total = names_total(norm)
    if not norm:
        return Label(None)
    if _MEMORY.search(norm):
        counted = classify(_MEMORY.sub(" ", norm))
        if counted.quantity is Quantity.UNITS:  # "Memory (KB)", "activations (MB)": the activations' bytes
            return Label(Quantity.MEMORY, total=total, phrase=counted.phrase)
        return Label(NOT_ANSWER, total=total, phrase=_MEMORY.search(norm)[0])  # "Params size (MB)": a size
    if vocabulary().masked is not None:
        norm = vocabulary().masked.sub(" ", norm)
    no_bias = vocabulary().no_bias is not None and vocabulary().no_bias.search(norm) is not None
    if no_bias:
        norm = vocabulary().no_bias.sub(" ", norm)  # "Pesos (sin sesgos)": weights, no biases named
    best: tuple[int, str, Quantity | str] | None = None
    end = 0
    squeezed = _squeezed(norm)
    for key, phrase, role in _phrase_keys():
        if best is not None and len(phrase) < best[0]:
            break  # phrases are longest first: nothing shorter can win
        if key in squeezed and (found := _bounded_pattern(phrase).search(norm)):
            if best is None or _priority(role) > _priority(best[2]):
                best, end = (len(phrase), phrase, role), found.end()
    if best is not None:
        role = best[2]
        head = vocabulary().shape_head
        if isinstance(role, Quantity) and role is not Quantity.SHAPE and head is not None and head.match(norm, end):
            # "Activation Shape": the activations' shape; "Weight shape", "Params size": a kernel's
            # shape, a size in bytes: no count
            return Label(Quantity.SHAPE if role is Quantity.UNITS else NOT_ANSWER, total=total, phrase=best[1])
        if role is Quantity.PARAMS and no_bias:
            role = Quantity.WEIGHTS  # "#Parameters (no bias)": the weights, said so
        elif role is Quantity.WEIGHTS and not no_bias and _WITH_BIAS.search(norm):
            role = Quantity.PARAMS  # "weights incl. bias": the parameters, said so
        return Label(role, total=total, phrase=best[1])
    if fuzzy and norm in (vocabulary().header_cells or {}):
        return Label(vocabulary().header_cells[norm], total=total, phrase=norm)  # "| W |": a whole cell
    misspelt = _misspelt_word(norm)
    if misspelt is not None:
        return Label(misspelt[1], total=total, phrase=misspelt[0])  # "conv1 connectoins: …"
    if fuzzy and len(norm) >= 4:
        from rapidfuzz import fuzz, process

        choices = [p for p, _ in vocabulary().phrases if len(p) >= 4]
        found = process.extractOne(norm, choices, scorer=fuzz.ratio, score_cutoff=85)
        if found is not None:
            role = dict(vocabulary().phrases)[found[0]]
            return Label(role, total=total, phrase=found[0])
    return Label(None, total=total)


def respective(head: str) -> tuple[Quantity, ...]:
    """The counts a clause names in order before its values when it says they are given in that order:
    "the parameters and connections are … respectively" (parameters, connections)."""
    if vocabulary().respectively is None or vocabulary().conjunction is None:
        return ()
    norm = vocabulary().respectively.sub(" ", normalise(head))
    parts = [p for p in re.split(r"[,，、/]|" + vocabulary().conjunction.pattern, norm) if p and p.strip()]
    named = [label.quantity for label in map(classify, parts) if label.quantity not in (None, Quantity.SHAPE)]
    return tuple(named) if len(named) >= 2 and len(set(named)) == len(named) else ()


def retracts(text: str) -> bool:
    """The text holds words that take a figure back, somewhere."""
    pattern = vocabulary().retraction_words
    return pattern is not None and pattern.search(aligned(text)) is not None


def rejected_quote(text: str) -> tuple[int, int] | None:
    """The span of a quoted figure the text rejects: from the last source it names before a
    rejection to that rejection ("The caption says the first layer has 253,440 neurons, but that
    cannot be right"), or None. `text` as `aligned` gives it (positions kept)."""
    source, rejection = vocabulary().attribution, vocabulary().rejection
    if source is None or rejection is None:
        return None
    norm = aligned(text)
    rejected = rejection.search(norm)
    if rejected is None:
        return None
    named = list(source.finditer(norm, 0, rejected.start()))
    return (named[-1].end(), rejected.start()) if named else None


def retraction_at(text: str, position: int) -> int | None:
    """Where words taking back the figure that ends at `position` end ("… = 442,368 — hmm, no:"),
    or None. `text` as `aligned` gives it (positions kept)."""
    pattern = vocabulary().retraction
    found = pattern.match(aligned(text), position) if pattern is not None else None
    return found.end() if found else None


def says_respectively(text: str) -> bool:
    return vocabulary().respectively is not None and vocabulary().respectively.search(normalise(text)) is not None


# how far before a number's word another count's word can be joined to it ("trainable parameters and
# its connections are 10,164")
COORDINATION_REACH = 40


def coordinated(text: str) -> tuple[Quantity, ...]:
    """The counts a label joins with a conjunction, each part naming one and little else:
    "parameters and connections" both, "参数和连接数" both; weights joined with biases name their sum,
    the parameters."""
    pattern = vocabulary().conjunction
    norm = normalise(text)
    if pattern is None or not pattern.search(norm):
        return ()
    parts = [p.strip(" .:：-*•,") for p in pattern.split(norm)]
    labels = [classify(p) for p in parts if p]
    if len(labels) < 2 or any(label.quantity in (None, Quantity.SHAPE) or len(part) > len(label.phrase) + 12
                              for part, label in zip(parts, labels)):
        return ()
    found = tuple(dict.fromkeys(label.quantity for label in labels))
    if Quantity.BIASES in found and Quantity.WEIGHTS in found:
        return (Quantity.PARAMS,)
    return found


# a word this long, this close to a one-word quantity phrase, is that word misspelt ("connectoins",
# "Nuerons"); shorter words are too easily other words ("unit" / "until"). Latin letters only: in
# inflected languages a close word is another word ("нейронная", neural, beside "нейронов")
MISSPELT_LENGTH = 6
MISSPELT_SCORE = 85


def _misspelt_word(norm: str) -> tuple[str, Quantity] | None:
    words = [w for w in re.findall(r"[a-z]+", norm) if len(w) >= MISSPELT_LENGTH]
    if not words:
        return None
    from rapidfuzz import fuzz, process

    choices = _one_word_quantities()
    for word in words:
        found = process.extractOne(word, list(choices), scorer=fuzz.ratio, score_cutoff=MISSPELT_SCORE)
        if found is not None:
            return found[0], choices[found[0]]
    return None


@lru_cache(maxsize=1)
def _one_word_quantities() -> dict[str, Quantity]:
    return {p: role for p, role in vocabulary().phrases
            if isinstance(role, Quantity) and len(p) >= MISSPELT_LENGTH and re.fullmatch(r"[a-z]+", p)}


def _priority(role: Quantity | str) -> int:
    """Between phrases of the same length, an answer beats a non-answer."""
    return 1 if isinstance(role, Quantity) or role == SHAPE_AFTER else 0


@lru_cache(maxsize=1)
def _beside_patterns() -> tuple[re.Pattern, re.Pattern]:
    phrases = sorted((p for p, role in vocabulary().phrases if isinstance(role, Quantity) and role is not
                      Quantity.SHAPE), key=len, reverse=True)
    alternation = _alternation(phrases)
    # a word with a colon after it labels what follows: "memory: 224*224*64=3.2M   params: …"
    after = re.compile(rf"\s*(?:个|개)?\s*(?:{alternation})(?!\s*[:：=])")
    before = re.compile(rf"(?:{alternation})\s*(?:is|are|was|were|has|have|=|:|：|为|是|有|共)?\s*"
                        rf"(?:both|all|also|together|altogether)?\s*"
                        rf"(?:about|approximately|approx\.?|around|roughly|~|≈|约)?\s*$")
    return after, before


def _masked(text: str) -> str:
    """The text with the words of other kinds that hold a count's word blanked, position for
    position ("3个连接层": three connected layers, no connections)."""
    masked = vocabulary().masked
    return masked.sub(lambda m: " " * len(m[0]), text) if masked is not None else text


def quantity_beside(before: str, after: str, *, before_first: bool = False) -> Quantity | None:
    """The count a word right beside a number names: "290,400 neurons", "weights are 34,848". The word
    after wins unless `before_first` (a run of word-number pairs: "units 43,264 weights 307,200")."""
    named = quantities_beside(before, after, before_first=before_first)
    return named[0] if named else None


def quantities_beside(before: str, after: str, *, before_first: bool = False) -> tuple[Quantity, ...]:
    """As `quantity_beside`, with the counts a conjunction joins to the word before the number:
    "parameters and connections are both 10,164" names both."""
    after_re, before_re = _beside_patterns()
    sides = [(_masked(aligned(after)), after_re, "match"), (_masked(aligned(before)), before_re, "search")]
    for text, pattern, take in sides[::-1] if before_first else sides:
        found = getattr(pattern, take)(text)
        if found:
            label = classify(found.group(0))
            if label.quantity is not None and label.quantity is not Quantity.SHAPE:
                if take == "search":
                    start = max(0, found.start() - COORDINATION_REACH)
                    stops = list(re.finditer(r"[\d.;:,。，；：!?()（）]", text[start:found.start()]))
                    joined = coordinated(text[start + stops[-1].end() if stops else start:found.start()]
                                         + label.phrase)
                    if label.quantity in joined:
                        return joined
                return (label.quantity,)
    return ()
