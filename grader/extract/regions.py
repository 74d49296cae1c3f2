"""The text around the numbers: markup removed, list numbering and remarks dropped, and the one
value a labelled region states.

A region is what follows a label ("训练参数：（11*11+1）*3*96（每个滤波器…）") or fills a table cell
("(11 x 11 x 3 x 96) + 96 = 34848"). Its value is read from its `=` chain: the expression first and
the stated result last ("… = 34848": value 34848, computed 34944), or the result first
("1792 = 3*3*3*64+64"); a list of in/out/kernel numbers before the `=` is not part of it
("1, 96, 11 = 11×11×96+96 = 11,712"). Without `=`, the first expression is the answer and what follows
is commentary, unless a lone number follows an expression (a dropped `=`: "(3*3*128)*256 295168")."""
from __future__ import annotations

import html
import re
from dataclasses import dataclass

from grader.core import Value
from grader.extract.memo import memoised, memoised_list

ARROW = re.compile(r"(?:\\Rightarrow|\\rightarrow|\\to(?![a-z])|\\implies|⇒|→|⟹|=>|->)")
APPROX = re.compile(r"(?:\\approx|≈|≒|~=)")
# a product of numbers and nothing else: the factors of a shape
_PRODUCT_SIGN = r"(?:\\times|\\cdot|\\\*|[*×xX·✕])"
_OPERATOR = re.compile(r"(?:\\times|\\cdot|\\\*|\\over|\\frac|[*×·✕+/÷^]|(?<=[\d)\s])[xX](?=[\s\d(])|(?<=[\d)\s])-(?=[\s\d(]))")


@dataclass(frozen=True, slots=True)
class Parsed:
    """One value as written in a region."""

    value: Value
    expression: str | None  # normalised, as the numbers scanner gives it
    computed: Value | None  # the expression's own value
    approximate: bool
    text: str  # the region as written
    factors: tuple[int, ...] | None  # a pure product's factors (a shape: 55 x 55 x 96)
    size_formula: bool = False  # "(227-11)/4+1": an output size, not a count


# LaTeX math as a web page's KaTeX copies it: the rendered text, then its source ("5×55\times5" is
# "5×5" then "5\times5")
_TEX_RUN = re.compile(r"(?:[\d.,\s+\-*/=(){}^_]|\\(?:times|cdot|left|right|big|Big)){0,80}\\(?:times|cdot)"
                      r"(?:[\d.,\s+\-*/=(){}^_]|\\(?:times|cdot|left|right|big|Big))*")
_RENDERED = {"\\times": "×", "\\cdot": "·"}


def _undoubled(text: str) -> str:
    """Drop each LaTeX source that repeats the rendered math right before it; the two may touch
    ("28×28×6" + "28\\times28\\times6" is "28×28×628\\times28\\times6")."""
    if "\\" not in text:
        return text
    out, position = [], 0
    for m in _TEX_RUN.finditer(text):
        run = m[0].rstrip(" \t,.;")  # what ends the sentence stays
        first = run.find("\\")
        for k in range(max(0, first - 16), first + 1):  # where the source starts: before its first sign
            rendered = re.sub(r"\\(?:left|right|big|Big)|[\s{}]", "",
                              re.sub(r"\\(?:times|cdot)", lambda t: _RENDERED[t[0]], run[k:]))
            before = re.sub(r"\s", "", text[max(position, m.start() - 3 * len(run)):m.start() + k])
            if len(rendered) >= 3 and before.endswith(rendered):
                out.append(text[position:m.start() + k])
                position = m.start() + len(run)
                break
    out.append(text[position:])
    return "".join(out)


# "４０９６": full-width digits are digits (only them: a full-width comma "，" separates clauses, but
# for one grouping full-width digits: "４，０９６，０００")
_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_FULL_WIDTH_GROUPING = re.compile(r"(?<=[０-９])，(?=[０-９]{3}(?![０-９]))")
# a year ("1998年", "2012년", "in 1998", "LeCun et al., 1998"): no count
_YEAR = re.compile(r"(?<![\d.,])(?:19|20)\d\d(?=\s*[年년])|(?:(?<![^\W\d_])(?:in|since|from|until)\s+|et\s+al\.?,?\s*)"
                   r"(?:19|20)\d\d(?![\d,.]\d)", re.IGNORECASE)
# an ASCII comma after a Chinese or Korean word separates clauses, as "，" does ("2416个参数,10x10x16…")
_CJK_COMMA = re.compile(r"(?<=[\u3400-\u9fff\uac00-\ud7af]),")
# a reference to a figure, a table or an equation of the paper or the report ("Figure 2's caption",
# "论文的图2", "図2の説明文", "Eq. (3)"): its number counts nothing
_REFERENCE = re.compile(r"(?<![^\W\d_])(?:figure|fig\.?|table|tab\.|equation|eq\.|abbildung|abb\.|tabelle|figura|tabla|"
                        r"tableau|рисунок|рис\.|таблица)\s*\(?\d{1,2}(?:\.\d{1,2})?\)?(?![\d,.]\d)"
                        r"|(?:图|圖|図|그림)\s*\d{1,2}(?![\d,.]\d)", re.IGNORECASE)


def _digits_hidden(found: re.Match) -> str:
    """A match with its digits blanked out as "#": the words stay, the number is no longer one."""
    return re.sub(r"\d", "#", found[0])


@memoised
def clean(text: str) -> str:
    """Markup out, text kept: HTML tags and comments, Markdown images and links, struck-out text
    ("~~ZFNet~~"), emphasis, LaTeX wrappers (\\text{…}, $…$), escaped Markdown characters, the
    LaTeX source a copied web page repeats after its rendered math."""
    text = _FULL_WIDTH_GROUPING.sub(",", _undoubled(html.unescape(text))).translate(_FULL_WIDTH_DIGITS)
    text = _CJK_COMMA.sub("，", _YEAR.sub(_digits_hidden, _REFERENCE.sub(_digits_hidden, text)))
    # each pattern tried only where its mark is in the text: most lines have none (a line is cleaned
    # once per distinct text, and a class has tens of thousands)
    if "<" in text:
        text = re.sub(r"<!--.*?(?:-->|$)", " ", text)
        text = re.sub(r"<[^<>]{0,400}>", " ", text)
    if "](" in text:
        text = re.sub(r"!\[[^\]]*\]\([^)]*\)", " ", text)
        text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    if "http" in text:
        text = re.sub(r"https?://\S+", " ", text)
    if "~~" in text:
        text = re.sub(r"~~.*?~~", " ", text)
    if "\\" in text:
        text = re.sub(r"\\(?:text|mathrm|textbf|mathbf|textit|operatorname|boxed)\s*\{([^{}]*)\}", r" \1 ", text)
        text = re.sub(r"\\(?:q?quad|,|;|!|:|\s)", " ", text)
        text = re.sub(r"\\(?:left|right|big|Big|displaystyle)(?![a-zA-Z])", "", text)
    if "^" in text:
        text = re.sub(r"\^\{?\+\}?", "", text)  # "Conv7^+": a student's mark
    if "\\" in text or "{" in text:
        text = text.replace("{,}", ",").replace("\\#", "#").replace("\\_", "_").replace("\\*", "*")
        text = text.replace("\\(", "(").replace("\\)", ")").replace("\\[", "[").replace("\\]", "]")
        text = re.sub(r"\\over(?![a-zA-Z])", "/", text)
    if "{" in text or "}" in text:
        text = re.sub(r"(?<!\\)[{}]", " ", text)
    text = text.replace("$", " ").replace("**", " ").replace("__", " ")
    if "*" in text:
        text = re.sub(r"^(?:\s*\*)+(?=\s|$)|(?:\s+\*+)+\s*$", " ", text)  # emphasis stars ("\*   \*  Total")
    return re.sub(r"[ \t\u3000]+", " ", text).strip()


# the figure a student writes after taking one back is its correction when it is of the same order
# ("253,440 — no wait, that is the Figure 2 caption's number …; 290,400": not the 2)
CORRECTION_ORDER = 10


@memoised
def without_retractions(text: str) -> str:
    """The text without the figures the student took back as they wrote (vocabulary.yaml
    `retractions`): "Weights 3×3×128×384 = 442,368 — hmm, no: conv3 … both GPUs, so 3×3×256×384 =
    884,736" reads "Weights 3×3×256×384 = 884,736": what lies between the retracted figure and
    its correction (the next figure of the same order) goes with it. A figure quoted from a source
    and rejected in the same text ("the caption says 253,440 neurons, but that cannot be right")
    loses its digits: the student's own figure is elsewhere."""
    from grader.extract.numbers import scan
    from grader.extract.quantities import rejected_quote, retraction_at, retracts

    if not any(ch.isdigit() for ch in text):
        return text
    quoted = rejected_quote(text)
    if quoted is not None:
        # "The caption says … 253,440 neurons, but that cannot be right": a quoted figure, rejected
        start, end = quoted
        text = text[:start] + re.sub(r"\d", "#", text[start:end]) + text[end:]
    if not retracts(text):
        return text

    found = scan(text)
    kept, position = [], 0
    for k, written in enumerate(found):
        end = retraction_at(text, written.end)
        if end is None or written.start < position:
            continue
        taken = written.value
        correction = next((later for later in found[k + 1:] if later.start >= end and _same_order(taken, later.value)),
                          None)
        kept.append(text[position:written.start])
        position = correction.start if correction is not None else end
    return "".join(kept) + text[position:] if kept else text


def _same_order(taken, other) -> bool:
    if not isinstance(taken, (int, float)) or not isinstance(other, (int, float)) or not taken or not other:
        return False
    return 1 / CORRECTION_ORDER <= abs(other / taken) <= CORRECTION_ORDER


def _numbering(bare: bool) -> re.Pattern:
    # `bare`: a number with no mark after it ("3 Conv layer") numbers a heading or a line; inside a
    # value it is the count itself ("has 84 units")
    bare_number = r"|(?=\s|[\u3400-\u9fff\uac00-\ud7af]|$)(?!\s+\d)" if bare else ""
    return re.compile(
        r"^(?:[-+•·>#|]+\s*)*"  # list bullets, quote marks, heading marks
        rf"(?:(?:q|Q|问题)?\s*\d{{1,2}}(?:\.\d{{1,2}})*(?:\s*[.)）、:：](?=\s|[^\W\d_]|$){bare_number}"
        r"(?!\s*(?:thousand|million|billion|mln|bn|[kKmMgGbB])(?![^\W\d_])))"
        r"(?![层个번])(?!\s*(?:[*×xX=+·/^]|\\))\s*"
        r"|[(（]\s*(?:\d{1,2}|[a-hA-H]|[ivx]{1,4})\s*[)）]\s*|(?:[a-hA-H]|[ivx]{1,4})[.)]\s+)*")


_NUMBERING = _numbering(bare=True)
_MARKED_NUMBERING = _numbering(bare=False)


def strip_numbering(text: str, *, bare: bool = True) -> str:
    """"1.3 pool1 …" -> "pool1 …"; "Q2) Alexnet" -> "Alexnet"; "- Conv Layer 1" -> "Conv Layer 1".
    A number followed by an operator or "=" is kept: "28 * 28" is not a list item; nor is one followed
    by a scale word: "60.9 million". `bare` False: only a number with its mark ("1）") numbers."""
    return (_NUMBERING if bare else _MARKED_NUMBERING).sub("", text, count=1).strip()


def drop_remarks(text: str, keep=None) -> str:
    """Parenthesised remarks with words in them go: "(Single tower here!)", "（每个滤波器…）",
    "(2 in linear)"; "(11 x 11)" stays, and so does a group `keep` accepts ("(Conv 1)"); so does a
    remark after an arrow pointing back ("<-- fixed, each filter sees 48 maps")."""
    def replace(m: re.Match) -> str:
        group = m.group(0)
        return " " if _is_remark(group) and not (keep is not None and keep(group[1:-1])) else group

    for _ in range(3):
        changed = re.sub(r"[(（][^()（）]*[(（][^()（）]*[)）][^()（）]*[)）]|[(（][^()（）]*[)）]", replace, text)
        if changed == text:
            break
        text = changed
    text = re.sub(r"[(（][^()（）]*$", lambda m: " " if _is_remark(m.group(0)) else m.group(0), text)
    return _without_trailing_comment(_POINTED_REMARK.sub(" ", text))


# a remark that points back at what it is about: "223,948,800 connections  <-- fixed, …", "← corrected"
_POINTED_REMARK = re.compile(r"\s(?:<-{1,3}|<={1,2}|←|⟵)\s+[^\W\d_].*$")
# a code comment after a value ("fc1: 48120   # 16*5*5 = 400 inputs", "4096000 // 4096 * 1000"): the
# working or a note, not the value
_TRAILING_COMMENT = re.compile(r"(?<![^\W\d_])(?<![\d.])\d[\d,._]*\s+(?:#|//)\s(.*)$")


def _without_trailing_comment(text: str) -> str:
    """The text without a comment after a value; "CONV1 # Units: …" (a layer's name, then "#" for
    "number of") and "34848 # weights" (the count's word) keep theirs."""
    found = _TRAILING_COMMENT.search(text)
    if found is None:
        return text
    from grader.extract.quantities import classify

    words = re.match(r"[^\d=]*", found[1])[0]  # what the note says before any figure of its own
    if classify(words[:40]).quantity is not None:
        return text  # "Conv 1 # Units: 27 x 27 x 96 = 69,984": "#" for "number of"
    return text[:found.start(1)].rstrip().rstrip("#/").rstrip()


def _is_remark(group: str) -> bool:
    if re.fullmatch(r"[(（]\s*(?:[kmgtKMGT]i?)?[bB](?:ytes)?\s*[)）]", group):
        return False  # "(MB)": the unit the number is in, which says it is a size
    words = re.findall(r"[^\W\d_]\w*", re.sub(r"\\[a-zA-Z]+", " ", group))
    if symbolic(group[1:-1]) and all(len(w) == 1 or "_" in w for w in words):
        return False  # "(fan_in + 1)", "(W - F + 2P)": arithmetic with symbols, part of the expression
    body = re.sub(r"\\[a-zA-Z]+", " ", group)
    return bool(re.search(r"[\u3400-\u9fff\uac00-\ud7af]|[A-Za-z]{2,}", body))


def is_math(text: str) -> bool:
    """Only numbers, operators and scale words: a line that continues the one above ("= 1792")."""
    body = re.sub(r"\\[a-zA-Z]+", " ", text)
    body = re.sub(r"(?<=\d)\s*(?:[kKmMgGbB]|万|亿|million|billion|thousand)(?![a-zA-Z])", " ", body)
    body = re.sub(r"(?<=[\d)\s])[xX](?=[\s\d(])", " ", body)
    return bool(re.search(r"\d", body)) and not re.search(r"[^\W\d_]", body)


def has_operator(text: str) -> bool:
    return bool(_OPERATOR.search(text))


def _scan(text: str):
    from grader.extract.numbers import scan

    return [w for w in scan(text) if w.value is not None and not is_share(text, w)]


# "61,9 %": a decimal comma the scanner split off belongs to the share too
_SHARE = re.compile(r"(?:[.,]\d{1,2})?\s*(?:%|％|percent|per\s*cent|퍼센트|процент)", re.IGNORECASE)


def is_share(text: str, written) -> bool:
    """"~96% of the weights": a percentage, never a count."""
    return _SHARE.match(text, written.end) is not None


# a symbol joined to a number by an operator: "W_{conv1} \times 55 \times 55", "(fan_in + 1) * 4096";
# not a scale or unit glued to digits ("35K", "4.096M"), nor the "x" of "55 x 55"
_SIGN = r"(?:\\times|\\cdot|\\ast|\\div|[*×·✕⋅∙/+^÷])"
_SYMBOLIC = re.compile(rf"(?<![\w\\])[^\W\d_][\w]*(?:_\s*[\w]+)?\s*{_SIGN}\s*[\d(]"
                       rf"|[\d)]\s*{_SIGN}\s*[^\W\d_]")


def symbolic(part: str) -> bool:
    """An expression with a symbol in it ("W_{conv1} x 55 x 55"): it cannot be evaluated, and its
    numbers are not the whole expression."""
    body = re.sub(r"\\(?:text|mathrm|operatorname)\s*", " ", part)
    body = re.sub(r"\\(?!times|cdot|ast|div)[a-zA-Z]+", " ", body)
    return _SYMBOLIC.search(body) is not None


def _plain(written) -> bool:
    return not written.expression or not has_operator(written.expression)


def _factors(written) -> tuple[int, ...] | None:
    factors = getattr(written, "factors", None)
    if factors:
        values = tuple(factors)
        if all(isinstance(f, (int, float)) and float(f).is_integer() and f > 0 for f in values):
            return tuple(int(f) for f in values)
        return None
    if _plain(written):
        value = written.value
        return (int(value),) if isinstance(value, (int, float)) and float(value).is_integer() else None
    parts = re.split(_PRODUCT_SIGN, written.expression)
    if len(parts) > 1 and all(re.fullmatch(r"\s*\(?\s*\d+\s*\)?\s*", p) for p in parts):
        return tuple(int(re.sub(r"\D", "", p)) for p in parts)
    return None


def _number(value):
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def read_value(region: str) -> Parsed | None:
    """The value a region states; None where it states none."""
    return next(iter(read_values(region)), None)


# a tuple as frameworks print shapes, brackets possibly nested ("[(None, 224, 224, 3)]")
_TUPLE = re.compile(r"[(\[]{1,2}\s*((?:(?:none|null|\?|batch|-?\d+)\s*,\s*)+\d+)\s*,?\s*[)\]]{1,2}", re.IGNORECASE)
_BATCH = re.compile(r"none|null|\?|batch|-1", re.IGNORECASE)


def read_shape(region: str) -> tuple[int, ...] | None:
    """A shape written as a tuple, as frameworks print it, as (H, W, C): the batch dimension dropped
    (Keras' "(None, 55, 55, 96)", PyTorch's "[-1, 96, 55, 55]", torchinfo's "[1, 96, 55, 55]": a
    four-number tuple always has one), the order taken from the sides (see `hwc`); "(None, 4096)"
    is (4096,). A map's sides are small: a tuple with more than one number over 1,024 ("(64896,
    884736, 149520384)") is a list of counts, not a shape."""
    match = _TUPLE.fullmatch(clean(region).strip())
    if not match:
        return None
    parts = [p.strip() for p in match[1].split(",")]
    if _BATCH.fullmatch(parts[0]) or len(parts) == 4:
        parts = parts[1:]
    if any(not p.isdigit() for p in parts):
        return None
    shape = hwc(tuple(int(p) for p in parts))
    return shape if sum(1 for n in shape if n > 1024) <= 1 else None


def hwc(shape: tuple[int, ...]) -> tuple[int, ...]:
    """A map's shape as (H, W, C) whatever order it was written in: maps are square, so of three
    numbers the two equal ones are the sides ("384 × 13 × 13", PyTorch's channels first, is
    13×13×384). Anything else stays as written."""
    if len(shape) == 3 and shape[1] == shape[2] != shape[0]:
        return shape[1], shape[2], shape[0]
    return shape


@memoised_list
def read_values(region: str) -> list[Parsed]:
    """The candidate values of a region, best first: the first `=` chain (or expression), then any
    expression written after it ("(224-3+2)/1+1=224 224*224*64": the size, then the product)."""
    shape = read_shape(region)
    if shape is not None:
        product = 1
        for n in shape:
            product *= n
        return [Parsed(product, None, None, False, region.strip(), shape)]
    text = exact_over_rounded(drop_remarks(clean(region)))
    text = APPROX.sub("=", text)
    text = re.sub(r"(?<![<>=!])=(?!=)|＝", "=", text)
    parts = re.split(r"=", text)
    if len(parts) > 1:  # "…=56 56*56*128": a result, then the next expression (before any sign is
        # restored: "56 56" is no product with a sign dropped)
        parts[-1] = re.sub(r"^(\s*\d+)\s+(?=\d[\d\s]*(?:[*×·]|\\times|\\cdot))", r"\1 ; ", parts[-1])
    parts = [_restore_signs(p) for p in parts]
    # a link holding a symbol ("C = W_{conv1} x 55 x 55 = 105,415,200") is not an expression of numbers
    scanned = [[] if symbolic(p) else _scan(p) for p in parts]
    candidates: list[Parsed] = []
    if len(parts) == 1:
        ws = scanned[0]
        if not ws:
            return []
        if len(ws) >= 2 and not _plain(ws[0]) and _plain(ws[-1]) and len(ws) == 2:
            candidates.append(_chain(region, ws[0], ws[1]))  # a dropped "="
        elif len(ws) >= 2 and all(_plain(w) for w in ws):
            if _spaced_product(text, ws):
                candidates.append(_product(region, ws))  # signs dropped: "28 28 6"
            # else a list ("3, 64, 3": in, out, kernel) states no answer
        else:
            candidates += [_chain(region, w, None) for w in ws[:1]]
            candidates += [_chain(region, w, None) for w in ws[1:] if not _plain(w)]
        return _ordered(candidates)
    # an "=" chain: drop a leading label or a list of in/out numbers, and empty links ("$=$")
    if not scanned[0] or (len(scanned[0]) > 1 and all(_plain(w) for w in scanned[0])):
        scanned = scanned[1:]
    chain = [ws for ws in scanned if ws]
    if not chain:
        return []
    head, last = chain[0][0], chain[-1][0]
    expression = next((ws[0] for ws in chain if not _plain(ws[0])), None)
    if len(chain) >= 2 and _plain(last):
        stated = last  # "… = 34848"
    elif _plain(head) and expression is not None:
        stated = head  # stated first: "1792 = 3*3*3*64+64"
    else:
        stated = None
    candidates.append(_chain(region, expression or head, stated))
    candidates += [_chain(region, w, None) for w in chain[-1][1:] if not _plain(w)]
    return _ordered(candidates)


# what may stand between a figure and its rounded restatement: "34,848 ≈ 35K", "724,406,816 (≈724M)",
# "49430888，约 0.49 亿", "1.38 亿（138,357,544）"
# (a count word may follow the figure when a marker says the next one is rounded: "61,706 个参数，约 6.2 万")
_RESTATEMENT_GAP = re.compile(r"(?P<word>\s*(?:个|개)?\s*[^\W\d_]{1,12}(?=[\s,，;；、]+[(（]?\s*(?:\\approx|≈|≒|~|约|about)))?"
                              r"[\s,，;；、]*"
                              r"([(（])?\s*(?:\\approx|≈|≒|~=|~|约|about|approx\.?|roughly|i\.e\.,?)?\s*([(（])?\s*",
                              re.IGNORECASE)
_MARKERS = re.compile(r"\\approx|≈|≒|~=|~|约")
# a rounded figure is within this share of the exact one
ROUNDING = 0.05


@memoised
def exact_over_rounded(text: str) -> str:
    """A figure written exactly and restated rounded next to it ("= 34,848 ≈ 35K", "60,954,656 (≈61M)",
    "1.38 亿（138,357,544）") states the exact figure: each rounded restatement is cut out."""
    for _ in range(8):
        shorter = _exact_over_rounded(text)
        if shorter == text:
            break
        text = shorter
    return text


def _exact_over_rounded(text: str) -> str:
    """The text with its first rounded restatement cut out."""
    from grader.extract.numbers import scan

    if not re.search(r"\d\D+\d", text):
        return text
    # the markers split the numbers apart (the scanner reads "34,848 ≈ 35K" as one chain)
    apart = _MARKERS.sub(lambda m: ";" * len(m[0]), text)
    written = [w for w in scan(apart) if w.stated is not None and isinstance(w.stated, (int, float))]
    for a, b in zip(written, written[1:]):
        gap = _RESTATEMENT_GAP.fullmatch(text, a.end, b.start)
        # a marker between them says the second is rounded, however exact it looks ("= 105,415,200
        # \approx 1.05 \times 10^{8}")
        marked = gap is not None and not a.approximate and _MARKERS.search(text, a.end, b.start) is not None
        if gap is None or (a.approximate == b.approximate and not marked) or b.expression is not None:
            continue
        if a.expression is not None and "=" not in a.text.replace(";", ""):
            continue  # "35K*55*55 ≈ 105M": a product, then its value
        big = max(abs(a.stated), abs(b.stated))
        if not big or abs(a.stated - b.stated) > ROUNDING * big:
            continue
        if gap["word"] and re.match(r"\s*[^\W\d_]", text[b.end:]):
            continue  # "37,748,736 weights, ≈37.7M connections": two counts
        close = re.match(r"\s*[)）]", text[b.end:]) if gap[1] or gap[2] else None
        end = close.end() + b.end if close else b.end
        if b.approximate or marked:  # the exact figure first
            return text[:gap.end("word") if gap["word"] else a.end] + text[end:]
        return text[:a.start] + text[b.start:b.end] + text[end:]  # the rounded figure first
    return text


def _restore_signs(part: str) -> str:
    """Multiplication signs students drop: "(5 5 + 1) 6" is (5*5+1)*6, "28 28 6" is 28*28*6. A run
    whose later groups all have three digits is one number written with spaces: "138 357 544"."""
    if re.search(r"[^\W\d_]", re.sub(r"\\[a-zA-Z]+", " ", part)) or not re.search(r"[\d)]\s+[\d(]", part):
        return part
    # (a sentence's full stop after it is no decimal point: "связей — 16 777 216.")
    grouped = {m.span() for m in re.finditer(r"(?<![\d.])\d{1,3}(?:[ \u00a0\u2007\u2009\u202f]\d{3})+(?!\d|\.\d)", part)}

    def sign(m: re.Match) -> str:
        inside = any(a <= m.start() and m.end() <= b for a, b in grouped)
        formula = re.match(r"\([^()]*-[^()]*\)", part[m.end():])  # "28 * 28 (32-5+1)": a size, not a factor
        # "(3*3*128)*256 295168": an expression, then its result with the "=" dropped
        result = re.fullmatch(r"\d{4,}\s*", part[m.end():]) and has_operator(part[:m.start()])
        return m.group(0) if inside or formula or result else "*"

    return re.sub(r"(?<=[\d)])\s+(?=[\d(])", sign, part)


def _ordered(candidates: list[Parsed]) -> list[Parsed]:
    """A size formula ("(227-11)/4+1 = 55") is a shape's side, not a count: put it last."""
    return sorted(candidates, key=lambda p: p.size_formula)


def _spaced_product(text: str, ws) -> bool:
    between = [text[a.end:b.start] for a, b in zip(ws, ws[1:])]
    return 2 <= len(ws) <= 6 and all(re.fullmatch(r"\s+", gap) for gap in between)


def _product(region: str, ws) -> Parsed:
    factors = tuple(int(w.value) for w in ws if float(w.value).is_integer())
    value = 1
    for f in factors:
        value *= f
    return Parsed(value, "×".join(str(f) for f in factors), value, False, region.strip(), factors)


def _chain(region: str, expression, stated) -> Parsed:
    """A value from an expression (possibly a plain number) and a stated result (or None)."""
    exp_plain = _plain(expression)
    computed = None if exp_plain else _number(expression.computed)
    if stated is not None:
        value = _number(stated.value)
    else:
        value = _number(expression.value)
    size = not exp_plain and "-" in expression.expression and "/" in expression.expression
    return Parsed(
        value=value,
        expression=None if exp_plain else expression.expression,
        computed=computed,
        approximate=bool(expression.approximate or (stated is not None and stated.approximate)),
        text=region.strip(),
        factors=_factors(expression),
        size_formula=size,
    )
