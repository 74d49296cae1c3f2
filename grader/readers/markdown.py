"""Markdown and plain text to blocks.

Flavours: "markdown" (also .txt: the seeds are Markdown saved as text), "tex" (Markdown rules plus
`%` comments and `\\section` headings) and "plain" (source code, notebook outputs, Word paragraphs,
the inside of code fences: no Markdown syntax, tables only).

What a student sees in the rendered file is what is read: HTML comments, front matter, image and
link targets, tags and entities are dropped or resolved; line numbers stay those of the file.
"""
from __future__ import annotations

import html
import re
from functools import partial
from typing import Callable, Sequence

from grader.core import Block, Document, Source, TextLine, UnreadableError
from grader.readers.doubled import is_doubled, undoubled
from grader.readers.limits import Limits
from grader.readers.tables import (
    MAX_JOINED, CellBudget, Line, continues_text, detect_asciidoc_table, detect_html_table, detect_pipe_table,
    detect_rst_list_table, detect_space_table, detect_tab_table, detect_tabular, detect_token_table, is_rule,
    row_like,
)

FLAVOURS = ("markdown", "tex", "plain")
_FORMAT_NAMES = {"markdown": "markdown", "tex": "latex", "plain": "text"}  # Document.format

_NEWLINE = re.compile(r"\r\n|\r|\n")
_DATA_URI = re.compile(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=]+")

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_HTML_HEADING = re.compile(r"^(?:\s*<[a-zA-Z][^<>]{0,200}>)*\s*<h([1-6])\b[^<>]{0,200}>(.{0,2000}?)</h\1\s*>",
                           re.IGNORECASE)
_SETEXT = re.compile(r"^ {0,3}(?:={2,}|-{2,})[ \t]*$")
_THEMATIC = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_QUOTE = re.compile(r"^ {0,3}(?:>[ \t]?)+")
_BULLET = re.compile(r"^\s*(?:[-*+•]|\\item(?:\[[^\]]*\])?)\s+(?:\[[ xX]\]\s+)?")
_TEX_HEADING = re.compile(r"^\s*\\(chapter|section|subsection|subsubsection|paragraph)\*?\{(.*)\}\s*$")
_TEX_LEVELS = {"chapter": 1, "section": 1, "subsection": 2, "subsubsection": 3, "paragraph": 4}
_TEX_COMMENT = re.compile(r"(?<!\\)%.*$")

# Bounded repetitions keep these linear on a hostile 100,000-character line.
_LINK_TARGET = r"\((?:[^()\n]|\([^()\n]{0,500}\)){0,2000}\)(?:\{[^{}\n]{0,200}\})?"  # (url){pandoc attributes}
_IMAGE = re.compile(r"!\[((?:[^\[\]\n]|\[[^\[\]\n]{0,200}\]){0,1000})\]" + _LINK_TARGET)
_LINK = re.compile(r"\[((?:[^\[\]\n]|\[[^\[\]\n]{0,200}\]){0,1000})\]" + _LINK_TARGET)
_FENCED_DIV = re.compile(r"^ {0,3}:{3,}[^:]*$")  # pandoc "::: columns" ... ":::"
_BREAK_TAG = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>\n]{0,2000})?/?>")

_MATH_ENVIRONMENT = re.compile(
    r"\\(?:begin|end)\{(?:aligned|align\*?|alignat\*?|gathered|gather\*?|split|array|cases|"
    r"eqnarray\*?|equation\*?|multline\*?)\}(?:\{[^{}]*\})?")
_MATH_ROW_END = re.compile(r"\\\\(?:\[[^\]]*\])?")
_ALIGNMENT = re.compile(r"(?<!\\)&")
_MATH_SEPARATOR = re.compile(rf"({_MATH_ROW_END.pattern}|{_ALIGNMENT.pattern})")
_BARE_MATH = re.compile(r"\\begin\{(align\*?|alignat\*?|gather\*?|eqnarray\*?|equation\*?|multline\*?)\}")
_RELATION_PATTERN = r"(?:=|≈|≤|≥|<|>|\\(?:approx|simeq|sim|equiv|leq?|geq?|neq?)(?![A-Za-z]))"
_RELATION = re.compile(_RELATION_PATTERN)
_STARTS_WITH_RELATION = re.compile(rf"^{_RELATION_PATTERN}")
_OPEN_END = re.compile(rf"(?:{_RELATION_PATTERN}|[-+*/×·(]|\\times|\\cdot)$")
_TEX_PREAMBLE = re.compile(r"^\s*\\(?:documentclass|usepackage|title|author|date|maketitle|begin\{document\}|"
                           r"end\{document\})")
_MAX_BLOCK_LINES = 2000

# A page whose line breaks were lost (scraped, or pasted into a text box): one long line holding its
# headings, bullets and numbered items ("… ## Basic Information - **Name**: … 2、C1层 …").
_FLATTENED_LINE = 400
_INLINE_BREAK = re.compile(r"\s+(?=#{1,6}\s|[-*•]\s+\*\*|(\d{1,2})[、.)）]\s*[^\W\d_])")
_INLINE_BREAKS = 3


def read_markdown(text: str, *, path: str, encoding: str | None, limits: Limits,
                  flavour: str = "markdown") -> Document:
    blocks = parse_text(text, path=path, limits=limits, flavour=flavour)
    return Document(path=path, format=_FORMAT_NAMES[flavour], blocks=tuple(blocks), encoding=encoding)


# A text whose no-break spaces became "?" when it was saved in an encoding without them (a Keras
# summary copied from a page: "Layer?(type)?????Output?Shape"): question marks between words
_GLUED_QUESTION = re.compile(r"\?{2,}|(?<=[^\s?])\?(?=[^\s?])")
_GLUED_QUESTIONS = 10


def _spaces_from_question_marks(text: str) -> str:
    """Each run of question marks glued between words, or of two or more, written as as many spaces,
    where the text has many and they are most of its question marks: a real question mark comes
    alone, before a space."""
    if "?" not in text:
        return text
    glued = _GLUED_QUESTION.findall(text)
    if len(glued) < _GLUED_QUESTIONS or sum(map(len, glued)) < 0.8 * text.count("?"):
        return text
    return _GLUED_QUESTION.sub(lambda m: " " * len(m[0]), text)


# An e-mail reply: the attribution line of the message it quotes ("On Wed, Oct 16, 2024 … wrote:",
# "… 写道：", "-----Original Message-----"), then the quoted thread, earlier answers the reply supersedes
_ATTRIBUTION = re.compile(r"^\s*(?:>\s*)*(?:(?:On|Am|Le|El|Em|Il)\s.{4,200}"
                          r"(?:wrote|schrieb|a écrit|escribió|escreveu|ha scritto)\s*:"
                          r"|.{4,200}(?:写道|寫道|писал\(?а?\)?)\s*[:：]|-{2,}\s*Original Message\s*-{2,})\s*$",
                          re.IGNORECASE)


def _without_quoted_replies(raw: list[str]) -> list[str]:
    """The lines of a text with the thread an e-mail reply quotes blanked (kept as empty lines, so
    the others keep their numbers): the "> " lines from the first attribution line on."""
    start = next((n for n, line in enumerate(raw) if _ATTRIBUTION.match(line)), None)
    if start is None or not any(line.lstrip().startswith(">") for line in raw[start + 1:start + 3]):
        return raw
    return raw[:start] + ["" if not line.strip() or line.lstrip().startswith(">") or _ATTRIBUTION.match(line)
                          else line for line in raw[start:]]


def _unflattened(line: str) -> list[str]:
    """A long line cut where its lost line breaks were: before each inline heading, bold bullet and
    numbered item (the numbers running 1, 2, 3 …); other lines as they are. Every part keeps the
    line's number."""
    if len(line) < _FLATTENED_LINE:
        return [line]
    cuts, number = [], 0
    for m in _INLINE_BREAK.finditer(line):
        if m[1] is not None:
            if int(m[1]) != number + 1:
                continue  # "… 16 (5×5) …" is no item; the items count up
            number = int(m[1])
        cuts.append(m)
    if len(cuts) < _INLINE_BREAKS:
        return [line]
    parts, at = [], 0
    for m in cuts:
        parts.append(line[at:m.start()])
        at = m.end()
    parts.append(line[at:])
    return [part for part in parts if part.strip()]


def parse_text(text: str, *, path: str, limits: Limits, flavour: str = "markdown",
               locate: Callable[[int], Source] = lambda n: Source(line=n),
               budget: CellBudget | None = None) -> list[Block]:
    """The blocks of a text; `locate` turns a 1-based line number into a Source. Texts of one
    document (a notebook's cells) share one cell budget."""
    if flavour != "plain":
        text = drop_hidden_html(text)
    if "base64," in text:  # images pasted into the Markdown: long, and never an answer
        text = _DATA_URI.sub("", text)
    if is_doubled(text):  # a web page's math copied with its screen-reader text: each formula twice
        text = undoubled(text)
    text = _spaces_from_question_marks(text)
    raw = _NEWLINE.split(text)
    count = len(raw) - (raw[-1] == "")  # the newline ending the last line starts none
    if count > limits.max_lines:
        raise UnreadableError(f"{path}: {count:,} lines, over the {limits.max_lines:,}-line limit")
    for n, line in enumerate(raw, 1):
        if len(line) > limits.max_line_chars:
            raise UnreadableError(f"{path}: line {n} is over the {limits.max_line_chars:,}-character limit")
    raw = _without_quoted_replies(raw)
    skip = _front_matter(raw) if flavour == "markdown" else 0
    # trailing tabs stay: "Layer 1\t\t" is a row of a tab-separated table
    lines = [Line(part.rstrip(" \r\f\v"), locate(n)) for n, line in enumerate(raw, 1) if n > skip
             for part in _unflattened(line)]
    return parse_lines(lines, flavour, budget or CellBudget(limits.max_cells, path))


_HIDDEN_OPENERS = re.compile(r"<!--|<(script|style|svg)\b", re.IGNORECASE)


def drop_hidden_html(text: str) -> str:
    """Remove what a browser does not show: <!-- comments --> (an unclosed one runs to the end, as
    Markdown renders it) and <script>, <style>, <svg> elements (an HTML export's CSS is full of
    numbers). The newlines inside stay, so the line numbers of the rest do not move."""
    if "<" not in text:
        return text
    parts = []
    position = 0
    while match := _HIDDEN_OPENERS.search(text, position):
        if match.group(1):
            closing = re.compile(rf"</{match.group(1)}\s*>", re.IGNORECASE).search(text, match.end())
            stop = closing.end() if closing else len(text)
        else:
            end = text.find("-->", match.end())
            stop = len(text) if end < 0 else end + 3
        parts.append(text[position:match.start()])
        parts.append("\n" * text.count("\n", match.start(), stop))
        position = stop
    parts.append(text[position:])
    return "".join(parts)


def _front_matter(raw: Sequence[str]) -> int:
    """How many leading lines are YAML front matter (--- ... ---) or a pandoc title block (% ...)."""
    if raw and raw[0].strip() == "---":
        body = next((line for line in raw[1:] if line.strip()), "")
        if re.match(r"^[\w-]+\s*:", body):
            for n in range(1, min(len(raw), 500)):
                if raw[n].strip() in ("---", "..."):
                    return n + 1
        return 0
    n = 0
    while n < len(raw) and n < 10 and (raw[n].startswith("%") or (n and raw[n].startswith(" ") and raw[n - 1])):
        n += 1
    return n


def clean_inline(text: str) -> str:
    """Markdown inline markup a reader does not see: image and link targets, HTML tags and entities.
    Emphasis, LaTeX and backslash escapes are kept: they are part of what the student wrote; inline
    code's backticks are dropped, its text kept."""
    if "](" in text:
        text = _LINK.sub(r"\1", _IMAGE.sub(r"\1", text))
    if "<" in text:
        text = _TAG.sub("", _BREAK_TAG.sub(" ", text))
    if "&" in text:
        text = html.unescape(text)
    if "`" in text:  # inline code shows its text, not its backticks
        text = re.sub(r"`+", "", text)
    return text.replace("\xa0", " ").strip()


def _plain(text: str) -> str:
    return text.strip()


_MARKUP_DETECTORS = (
    ("asciidoc", detect_asciidoc_table), ("rst", detect_rst_list_table), ("html", detect_html_table),
    ("tabular", detect_tabular), ("pipe", detect_pipe_table), ("tab", detect_tab_table),
    ("space", partial(detect_space_table, markdown=True)),
    ("token", detect_token_table),
)
_PLAIN_DETECTORS = (
    ("tabular", detect_tabular), ("pipe", detect_pipe_table), ("tab", detect_tab_table),
    ("space", detect_space_table), ("token", detect_token_table),
)


def parse_lines(lines: Sequence[Line], flavour: str, budget: CellBudget) -> list[Block]:
    """Blocks from lines that already carry their sources (text lines, notebook lines, paragraphs)."""
    if flavour not in FLAVOURS:
        raise ValueError(f"unknown text flavour {flavour!r}")
    markup = flavour != "plain"
    clean = clean_inline if markup else _plain
    if flavour == "tex":
        lines = [Line(_TEX_COMMENT.sub("", line.text).rstrip(), line.source) for line in lines]
    if markup:
        lines = [Line(_QUOTE.sub("", line.text), line.source) if ">" in line.text[:8] else line for line in lines]
    detectors = _MARKUP_DETECTORS if markup else _PLAIN_DETECTORS
    blocks: list[Block] = []
    not_before: dict[str, int] = {}  # a detector that failed over a run is not retried inside it
    unclosed: dict[str, int] = {}  # math closer -> the line before which it does not occur
    last_prose = -10  # index of the line that gave the last TextLine from _prose
    widths = _paragraph_widths(lines)
    i = 0
    while i < len(lines):
        text = lines[i].text
        if not text.strip():
            i += 1
            continue
        if markup:
            fence = _FENCE.match(text)
            if fence:
                end = _fence_end(lines, i, fence.group(1))
                blocks.extend(parse_lines(lines[i + 1:end], "plain", budget))
                i = end + 1
                continue
            math = _math_block(lines, i, unclosed, clean, budget)
            if math:
                blocks.extend(math[0])
                i = math[1]
                continue
        for name, detect in detectors:
            if not_before.get(name, 0) > i:
                continue
            found = detect(lines, i, clean, budget)
            if found is None:
                continue
            table, end = found
            if table is None:
                not_before[name] = end
                continue
            blocks.append(table)
            i = end
            break
        else:
            # A line like "= 1792" under "Conv1 3, 64, 3" (a blank line between) finishes that line.
            joinable = i - last_prose <= 3 and bool(blocks) and isinstance(blocks[-1], TextLine) \
                and blocks[-1].heading == 0 and all(not lines[k].text.strip() for k in range(last_prose + 1, i))
            # a paragraph wrapped by hand at a fixed width ("…the layer makes 105,415,200" / "connections.")
            wrapped = markup and last_prose == i - 1 and bool(blocks) and isinstance(blocks[-1], TextLine) \
                and blocks[-1].heading == 0 and _runs_on(lines, i, widths)
            before = (len(blocks), blocks[-1] if blocks else None)
            following = _prose(lines, i, blocks, flavour, joinable, wrapped)
            if (len(blocks), blocks[-1] if blocks else None) != before:  # it gave or extended a line
                last_prose = following - 1
            i = following
    return blocks


def _fence_end(lines: Sequence[Line], i: int, opener: str) -> int:
    closing = re.compile(rf"^ {{0,3}}{re.escape(opener[0])}{{{len(opener)},}}[ \t]*$")
    for j in range(i + 1, len(lines)):
        if closing.match(lines[j].text):
            return j
    return len(lines)  # an unclosed fence runs to the end, as Markdown renders it


def _math_block(lines: Sequence[Line], i: int, unclosed: dict[str, int], clean: Callable[[str], str],
                budget: CellBudget) -> tuple[list[Block], int] | None:
    """A display-math block over several lines ($$ ... $$, \\[ ... \\] or a bare \\begin{align} ...
    \\end{align}): one TextLine per equation, the delimiter lines dropped; an array that the block
    holds at its top (not inside another environment) is a table, as Mathpix writes a scanned one.
    None for one-line math or an unclosed block."""
    opening = lines[i].text.strip()
    environment = _BARE_MATH.match(opening)
    if opening.startswith("$$"):
        if opening.count("$$") % 2 == 0:
            return None
        closer, pieces = "$$", [(opening[2:], lines[i].source)]
    elif opening.startswith("\\[") and "\\]" not in opening:
        closer, pieces = "\\]", [(opening[2:], lines[i].source)]
    elif environment and (closer := f"\\end{{{environment.group(1)}}}") not in opening:
        pieces = [(opening, lines[i].source)]
    else:
        return None
    if unclosed.get(closer, 0) > i:  # an opener above looked for this closer past here in vain
        return None
    for j in range(i + 1, min(len(lines), i + _MAX_BLOCK_LINES)):
        text = lines[j].text
        if closer in text and (closer != "$$" or text.count("$$") % 2 == 1):
            pieces.append((text[:text.index(closer)], lines[j].source))
            return _math_content(pieces, clean, budget), j + 1
        pieces.append((text, lines[j].source))
    unclosed[closer] = min(len(lines), i + _MAX_BLOCK_LINES)  # so a file of openers is read in linear time
    return None


_FIRST_ENVIRONMENT = re.compile(r"\\begin\{([^{}]*)\}")


def _math_content(pieces: Sequence[tuple[str, Source]], clean: Callable[[str], str],
                  budget: CellBudget) -> list[Block]:
    """The blocks of a math block: its equations, and a table where its first environment is an
    array (an array inside `aligned` is part of an equation)."""
    lines = [Line(text, source) for text, source in pieces]
    blocks: list[Block] = []
    start = 0  # the pieces before it are read
    while True:
        at = next((k for k in range(start, len(pieces)) if _FIRST_ENVIRONMENT.search(pieces[k][0])), None)
        if at is None or _FIRST_ENVIRONMENT.search(pieces[at][0]).group(1) != "array":
            break
        found = detect_tabular(lines, at, clean, budget)
        if found is None or found[0] is None:
            break
        blocks += [*_math_rows(pieces[start:at]), found[0]]
        start = found[1]
    return blocks + _math_rows(pieces[start:])


def _math_rows(pieces: Sequence[tuple[str, Source]]) -> list[TextLine]:
    """The equations of a math block. `\\\\` ends a row; `&` is an alignment point ("N &= 290{,}400")
    unless it stands between two complete equations ("... = 34{,}848 & N_2 &= ..."): then each
    equation is a TextLine of its own, on the line where it starts. A row starting with a relation
    ("&= 4096000") finishes the equation above it. Parts are joined once, at the end: a hostile row
    of many thousand `&`s stays linear."""
    equations: list[_Equation] = []
    row: list[_Equation] = []  # the current row's equations, the last one still growing
    opened = True  # an & (or the row's start) came last: the next part opens a segment

    def end_row() -> None:
        if row and equations and _STARTS_WITH_RELATION.match(row[0].parts[0]):
            equations[-1].extend(row.pop(0))
        equations.extend(row)
        row.clear()

    for text, source in pieces:
        for token in _MATH_SEPARATOR.split(_MATH_ENVIRONMENT.sub(" ", text)):
            if _ALIGNMENT.fullmatch(token):
                opened = True
            elif _MATH_ROW_END.fullmatch(token):
                end_row()
                opened = True
            elif part := " ".join(token.split()):
                if row and not (opened and row[-1].complete() and not _STARTS_WITH_RELATION.match(part)):
                    row[-1].add(part)
                else:
                    row.append(_Equation(source, part))
                opened = False
    end_row()
    return [TextLine(" ".join(equation.parts), equation.source) for equation in equations]


class _Equation:
    """An equation being put together from the parts of a math row."""

    __slots__ = ("source", "parts", "related")

    def __init__(self, source: Source, part: str) -> None:
        self.source, self.parts, self.related = source, [part], bool(_RELATION.search(part))

    def add(self, part: str) -> None:
        self.parts.append(part)
        self.related = self.related or bool(_RELATION.search(part))

    def extend(self, other: _Equation) -> None:
        self.parts += other.parts
        self.related = self.related or other.related

    def complete(self) -> bool:
        """A relation with something after it ("N = 290{,}400", not "N =" nor "N = 3 \\times")."""
        return self.related and not _OPEN_END.search(self.parts[-1])


# A paragraph is wrapped by hand when its longest line is at least this long; a line runs on into the
# next where the next line's first word would not have fitted on it (as a wrapper breaks lines): a
# line broken earlier was broken by its writer.
WRAP_WIDTH = 60
# a line that opens with its own label ("conv2: …", "FC6 — …") is a row of a list, not a sentence going on
# ("of its own GPU: 5x5x48": lower-case words with no digit before a colon go on the sentence)
_OWN_LABEL = re.compile(r"^\s*(?:[^\W_][^:：=—.,;!?。，；]{0,30}?="
                        r"|(?=[^\W\d_]*[\dA-Z\u3400-\u9fff])[^\W_][^:：=—.,;!?。，；]{0,30}?[:：—]|[\d(（]+[.)）、]\s)")
# a line that stops on a word a sentence cannot end with goes on below, whatever the next line holds
# ("… the 48 maps of its" / "own GPU: 5x5x48 per kernel")
_UNFINISHED = re.compile(r"(?<![^\W\d_])(?:of|its|their|the|a|an|to|in|on|for|with|and|or|by|from|at|each|per|"
                         r"is|are|has|have|that|which|this|these|so|as)$", re.IGNORECASE)
_FIRST_WORD = re.compile(r"[^\s\u3000-\u9fff\uac00-\ud7af\uff00-\uffef]*[\u3000-\u9fff\uac00-\ud7af\uff00-\uffef]?")


def _paragraph_widths(lines: Sequence[Line]) -> list[int]:
    """For each line, the length of the longest line of the paragraph (blank-line delimited) it is in."""
    widths = [0] * len(lines)
    start = 0
    for k in range(len(lines) + 1):
        if k == len(lines) or not lines[k].text.strip():
            width = max((len(lines[j].text.rstrip()) for j in range(start, k)), default=0)
            widths[start:k] = [width] * (k - start)
            start = k + 1
    return widths


def _runs_on(lines: Sequence[Line], i: int, widths: Sequence[int]) -> bool:
    """Whether line i continues the sentence of line i - 1, a line of a paragraph wrapped by hand."""
    above, below = lines[i - 1].text.rstrip(), lines[i].text
    width = widths[i]
    # (Chinese, Japanese and Korean text wraps at any character: its first "word" is one character)
    first_word = _FIRST_WORD.match(below.strip())[0]
    # a sentence that ends with its line needs no joining, and a line of a list often ends one
    if width < WRAP_WIDTH or len(above) + 1 + len(first_word) <= width \
            or above.endswith((":", "：", ".", "。", "!", "?", "！", "？", ";", "；")):
        return False
    bullet = _BULLET.match(above)
    text_start = bullet.end() if bullet else len(above) - len(above.lstrip())
    if len(below) - len(below.lstrip()) > text_start:
        return False  # indented under it: a line of its own ("Conv2 -> …" / "  units = …")
    if _BULLET.match(below) or _ATX.match(below) or below.lstrip().startswith(("|", "$$", "\\", "<", ">")) \
            or row_like(below):
        return False
    if re.sub(r"\d+", "", above.split(maxsplit=1)[0]).lower() == re.sub(r"\d+", "", first_word).lower():
        return False  # lines that start alike are a list's ("Conv layer 1: …" / "Conv2 -> …")
    return bool(_UNFINISHED.search(above)) or not _OWN_LABEL.match(re.sub(r"[*_`]+", "", below))


def _prose(lines: Sequence[Line], i: int, blocks: list[Block], flavour: str, joinable: bool,
           wrapped: bool = False) -> int:
    """Append the TextLine of line i (a heading, list item, paragraph line), or join it to the
    TextLine before it when it continues that one; return the next index."""
    line = lines[i]
    text = line.text
    if wrapped and len(blocks[-1].text) < MAX_JOINED:
        blocks[-1] = TextLine(f"{blocks[-1].text} {clean_inline(text)}", blocks[-1].source)
        return i + 1
    if joinable and len(blocks[-1].text) < MAX_JOINED and continues_text(blocks[-1].text, text.strip()):
        blocks[-1] = TextLine(f"{blocks[-1].text} {clean_inline(text) if flavour != 'plain' else text.strip()}",
                              blocks[-1].source)
        return i + 1
    if is_rule(text):  # a line drawn with dashes or box characters says nothing
        return i + 1
    if flavour == "plain":
        blocks.append(TextLine(text.strip(), line.source))
        return i + 1
    if _THEMATIC.match(text) or _FENCED_DIV.match(text):
        return i + 1
    heading = _ATX.match(text)
    if heading:
        body = clean_inline(heading.group(2) or "")
        if body:
            blocks.append(TextLine(body, line.source, len(heading.group(1))))
        return i + 1
    heading = _HTML_HEADING.match(text)
    if heading and clean_inline(heading.group(2)):
        blocks.append(TextLine(clean_inline(heading.group(2)), line.source, int(heading.group(1))))
        return i + 1
    if flavour == "tex":
        if _TEX_PREAMBLE.match(text):
            return i + 1
        tex = _TEX_HEADING.match(text)
        if tex:
            blocks.append(TextLine(clean_inline(tex.group(2)), line.source, _TEX_LEVELS[tex.group(1)]))
            return i + 1
    bullet = _BULLET.match(text)
    body = clean_inline(text[bullet.end():] if bullet else text)
    if not body:
        return i + 1
    if not bullet and i + 1 < len(lines) and _SETEXT.match(lines[i + 1].text):
        blocks.append(TextLine(body, line.source, 1 if "=" in lines[i + 1].text else 2))
        return i + 2
    blocks.append(TextLine(body, line.source))
    return i + 1
