"""The class roster: who is enrolled, under which ids, and which submission is whose.

    roster = load_roster(Path("roster.csv"))
    matched = match_roster(roster, [(key, student_fields), ...])   # what `grader grade --roster` does

The roster's kind is told by its headers:
- a Canvas gradebook export (Grades > Export): `Student, ID, SIS User ID, SIS Login ID, Section, …`,
  the student as Canvas' sortable name ("Hart, Amelia"), `ID` Canvas' own user id (the one in its
  download's file names), a `Points Possible` row under the header;
- a Moodle grading worksheet (the assignment's "Download grading worksheet"): `Identifier` ("Participant
  N": the number in its download's folder names), `Full name`, `Email address`, and `ID number` where
  the site shows it;
- a Moodle grades export (Grades > Export > CSV): `First name, Last name` (or `Surname`), `ID number`,
  `Email address`: no participant numbers, so its students are matched by name or id;
- a plain CSV with a name column and an id or email column (`name`, `id`/`student id`/`sid`, `email`;
  `姓名`, `学号`, `邮箱`).

A submission is matched to a student by the LMS user id its download gave first, then by a student
id, email or login among the words of its name (a folder `wangwei_S1002` is S1002's), then by name
with rapidfuzz. A Chinese name in characters (李明) and one in pinyin (`li_ming`, `LiMing`, `ming_li`,
"Li Ming") are compared through the characters' pinyin (pypinyin, every reading of each: 曾 is
zeng or ceng); characters beside characters are compared as characters, so 李明 is not 黎明. A name
match must be strong and clear of the next candidate; a weak one, two students of one name (or of
one pinyin: 张伟 and 章伟 are both zhang wei), or two submissions for one student are never guessed:
they go to review, naming the candidates, and are settled by putting the student's id into the
submission's name.
"""
from __future__ import annotations

import csv
import functools
import io
import itertools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from grader.core import GraderError

STRONG = 90  # a name this alike (rapidfuzz ratio, 0-100) is the same student ...
CLEAR = 8  # ... when no other student of the roster comes within this many points
WEAK = 70  # alike enough to be shown to the TA as a candidate


@dataclass(frozen=True, slots=True)
class RosterStudent:
    name: str  # as the roster writes it ("Hart, Amelia", "Amelia Hart", "王伟")
    id: str  # the student id: Canvas' SIS User ID, Moodle's ID number, the plain roster's id (else the email)
    row: int  # the roster's line, for the TA
    lms_id: str = ""  # Canvas' user ID, or Moodle's participant number
    email: str = ""
    login: str = ""
    section: str = ""


@dataclass(frozen=True, slots=True)
class Roster:
    source: str
    lms: str  # "canvas", "moodle" or "plain": whose ids `lms_id` holds
    students: tuple[RosterStudent, ...]
    assignments: tuple[str, ...] = ()  # a Canvas export's assignment columns, "HW2 (55)": 55 is its id

    def canvas_column(self, title: str) -> str | None:
        """The Canvas export's column for the assignment: the only one, or the one named `title`;
        Canvas' import matches a column by the id in its name."""
        if len(self.assignments) == 1:
            return self.assignments[0]
        named = [column for column in self.assignments
                 if re.sub(r"\s*\(\d+\)$", "", column).casefold() == title.casefold()]
        return named[0] if len(named) == 1 else None

    def fields(self, student: RosterStudent) -> dict[str, str]:
        """The student as the gradebooks take it (the groups of --id-pattern)."""
        fields = {"id": student.id, "name": student.name, "email": student.email, "login": student.login,
                  "section": student.section}
        if student.lms_id:
            fields["canvas_id" if self.lms == "canvas" else "participant"] = student.lms_id
        return {key: value for key, value in fields.items() if value}


@dataclass(frozen=True, slots=True)
class RosterMatch:
    student: RosterStudent | None  # None: not matched (see review)
    how: str = ""  # "lms id", "id", "name" or "pinyin"
    review: str = ""  # why a TA should look, naming the candidates
    roster: Roster | None = None

    def fields(self, given: dict) -> dict[str, str]:
        """The matched student's fields, with the LMS ids the submission's name gave that the roster lacks
        (a plain roster beside a Canvas download)."""
        fields = self.roster.fields(self.student)
        for key in ("canvas_id", "participant"):
            if key in given and key not in fields:
                fields[key] = given[key]
        return dict(sorted(fields.items()))


def _normal(header: str) -> str:
    return re.sub(r"\s+", " ", header.replace("\ufeff", "")).strip().casefold()


_PLAIN = {
    "name": ("name", "full name", "student", "student name", "姓名"),
    "first": ("first name",),
    "last": ("last name", "surname"),
    "id": ("id", "student id", "sid", "id number", "student number", "学号"),
    "email": ("email", "e-mail", "email address", "邮箱"),
    "login": ("login", "username", "sis login id"),
    "section": ("section", "class", "班级"),
}


def load_roster(path: Path) -> Roster:
    """The roster in `path` (its kind told by its headers); a file that is none of them, has no
    students, or gives one id to two students is a GraderError naming it and the reason."""
    name = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as err:
        raise GraderError(f"{name}: cannot be read ({err.strerror or err})") from None
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in China saves CSV as GBK
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise GraderError(f"{name}: not a text CSV (neither UTF-8 nor GBK)")
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise GraderError(f"{name}: empty, no header row")
    header = [_normal(cell) for cell in rows[0]]
    column = {cell: n for n, cell in reversed(list(enumerate(header)))}
    body = [(number, row) for number, row in enumerate(rows[1:], 2) if any(cell.strip() for cell in row)]

    def cell(row: list[str], *names: str) -> str:
        for key in names:
            if key in column and column[key] < len(row):
                return row[column[key]].strip()
        return ""

    students = []
    if {"student", "id", "sis user id"} <= column.keys():
        lms = "canvas"
        for number, row in body:
            student = cell(row, "student")
            if student.casefold().startswith("points possible") or student == "Student, Test":
                continue  # the points row, and Canvas' test student
            canvas_id = cell(row, "id")
            students.append(RosterStudent(student, cell(row, "sis user id") or canvas_id, number, canvas_id,
                                          login=cell(row, "sis login id"), section=cell(row, "section")))
    elif {"identifier", "full name"} <= column.keys():
        lms = "moodle"
        for number, row in body:
            participant = re.sub(r"\D", "", cell(row, "identifier"))
            email = cell(row, "email address")
            students.append(RosterStudent(cell(row, "full name"), cell(row, "id number") or email or participant,
                                          number, participant, email))
    else:
        found = {field: next((n for n in names if n in column), None) for field, names in _PLAIN.items()}
        has_name = found["name"] or (found["first"] and found["last"])
        if not has_name or not (found["id"] or found["email"]):
            raise GraderError(f"{name}: not a roster: expected a Canvas gradebook export (Student, ID, SIS User ID), "
                              "a Moodle grading worksheet (Identifier, Full name) or grades export (First name, "
                              "Last name, ID number, Email address), or a CSV with a name and an id or email "
                              f"column; its headers are {', '.join(rows[0])}")
        lms = "moodle" if found["first"] and "id number" in column else "plain"
        for number, row in body:
            student = cell(row, *_PLAIN["name"]) or " ".join(
                part for part in (cell(row, *_PLAIN["first"]), cell(row, *_PLAIN["last"])) if part)
            email = cell(row, *_PLAIN["email"])
            students.append(RosterStudent(student, cell(row, *_PLAIN["id"]) or email, number, email=email,
                                          login=cell(row, *_PLAIN["login"]), section=cell(row, *_PLAIN["section"])))
    if not students:
        raise GraderError(f"{name}: a roster with no students")
    assignments = tuple(cell.strip() for cell in rows[0] if lms == "canvas" and re.search(r"\(\d+\)\s*$", cell))
    for student in students:
        if not student.id or not student.name:
            raise GraderError(f"{name}: line {student.row}: a student without a name or an id")
    seen: dict[str, int] = {}
    for student in students:
        if student.id.casefold() in seen:
            raise GraderError(f"{name}: lines {seen[student.id.casefold()]} and {student.row} give one id, "
                              f"{student.id}, to two students")
        seen[student.id.casefold()] = student.row
    return Roster(name, lms, tuple(students), assignments)


def squeezed(name: str) -> str:
    """A name's letters only, case and accents folded: Canvas' download squeezes "Hart, Amelia" to
    "hartamelia"; a folder may be "amelia_hart"."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in decomposed if ch.isalpha() and not unicodedata.combining(ch)).casefold()


def _forms(name: str) -> set[str]:
    """A roster name in both orders ("Hart, Amelia" is also "Amelia Hart"; "Wang Wei" "Wei Wang")."""
    parts = [part for part in re.split(r"[,\s]+", name) if part]
    forms = {squeezed(name), squeezed(" ".join(reversed(parts)))}
    return {form for form in forms if form}


# Han characters (CJK Unified Ideographs, extension A, compatibility ideographs): what pypinyin reads.
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
# Every reading of every character multiplies the spellings: a name's first ones are enough (a
# two- to four-character name rarely has more than a dozen).
MAX_SPELLINGS = 64


def _pinyin(han: str) -> set[str]:
    """The spellings of a name in characters: each character's readings (a family name's reading is
    often not the character's usual one: 曾 zeng, 单 shan), ü written v, u or yu (吕: lv, lu, lyu),
    with the family name (the first one or two characters) first or last."""
    from pypinyin import Style, pinyin  # a Chinese name's cost only

    readings = [[spelling for reading in options for spelling in
                 ({reading, reading.replace("v", "u"), reading.replace("v", "yu")} if "v" in reading else {reading})]
                for options in pinyin(han, style=Style.NORMAL, heteronym=True, errors="ignore")]
    spellings = set()
    for syllables in itertools.islice(itertools.product(*readings), MAX_SPELLINGS):
        for turn in range(min(len(syllables), 3)):
            spellings.add("".join(syllables[turn:] + syllables[:turn]))
    return {spelling for spelling in spellings if spelling}


@functools.lru_cache(maxsize=8192)
def _name_forms(name: str) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """A name's characters (Han only), its Latin forms, and the pinyin of its characters."""
    han = "".join(_HAN.findall(name))
    latin = _forms(_HAN.sub(" ", name))
    return frozenset({han} if han else ()), frozenset(latin), frozenset(_pinyin(han) if han else ())


def _likeness(submitted: str, student: RosterStudent) -> tuple[float, bool]:
    """How alike (rapidfuzz ratio, 0-100) a submission's name is to a student's, and whether it took
    pinyin to see it: characters are compared with characters where both names have them, else
    letters with letters, the characters' pinyin among them."""
    from rapidfuzz import fuzz

    given_han, given_latin, given_pinyin = _name_forms(submitted)
    han, latin, spelled = _name_forms(student.name)
    if given_han and han:
        return max(fuzz.ratio(a, b) for a in given_han for b in han), False
    plain = max((fuzz.ratio(a, b) for a in given_latin for b in latin), default=0.0)
    crossed = itertools.chain(itertools.product(given_latin, spelled), itertools.product(given_pinyin, latin))
    through_pinyin = max((fuzz.ratio(a, b) for a, b in crossed), default=0.0)
    return (through_pinyin, True) if through_pinyin > plain else (plain, False)


def _describe(student: RosterStudent) -> str:
    return f"{student.name} ({student.id}, roster line {student.row})"


def match_roster(roster: Roster, submissions: list[tuple[str, dict]]) -> tuple[dict[str, RosterMatch],
                                                                               tuple[RosterStudent, ...]]:
    """Each submission's student (`submissions`: its key and the fields its name gave: `name`, `id`,
    `canvas_id` or `participant`), and the roster's students with no submission. A student who is a
    candidate of a submission sent to review is not counted missing: the TA settles which it is."""
    by_lms = {student.lms_id: student for student in roster.students if student.lms_id}
    idents: dict[str, RosterStudent] = {}
    for student in roster.students:
        for ident in (student.id, student.email, student.login):
            if ident:
                idents.setdefault(ident.casefold(), student)
    matches: dict[str, RosterMatch] = {}
    taken: dict[str, str] = {}  # student id -> the submission that has it
    for key, fields in submissions:
        lms_id = fields.get("canvas_id") or fields.get("participant")
        student, how = (by_lms.get(lms_id), "lms id") if lms_id else (None, "")
        if student is None:
            words = [fields.get("id", ""), *re.split(r"[\s_]+", fields.get("id", "")), key]
            student = next((idents[w.casefold()] for w in words if w and w.casefold() in idents), None)
            how = "id"
        if student is not None and student.id not in taken:
            matches[key], taken[student.id] = RosterMatch(student, how, roster=roster), key
        elif student is not None:
            matches[key] = RosterMatch(None, review=f"{_describe(student)} has already been matched to {taken[student.id]}")
    # names are weighed against the whole roster: a student already matched by id is still a rival
    # (the same student handing in twice), never a reason to give the name to the other one
    students = roster.students
    claims: dict[str, list[str]] = {}  # student id -> submissions whose name chose it
    chosen: dict[str, tuple[RosterStudent, bool]] = {}  # and whether it took pinyin
    candidates_of_review: set[str] = set()
    for key, fields in submissions:
        if key in matches:
            continue
        name = fields.get("name") or fields.get("id") or key
        scored = sorted(((*_likeness(name, student), n) for n, student in enumerate(students)),
                        key=lambda scored: (scored[0], scored[2]), reverse=True)
        best = scored[0][0] if scored else 0.0
        second = scored[1][0] if len(scored) > 1 else 0.0
        if best >= STRONG and best - second >= CLEAR:
            chosen[key] = (students[scored[0][2]], scored[0][1])
            claims.setdefault(students[scored[0][2]].id, []).append(key)
        elif best >= WEAK:
            near = [(n, pinyin) for score, pinyin, n in scored if score >= max(WEAK, best - CLEAR)]
            kind = "only a weak likeness" if best < STRONG else (
                "two or more students alike in pinyin" if any(pinyin for _, pinyin in near) else "two or more students alike")
            shown = [students[n] for n, _ in near]
            matches[key] = RosterMatch(None, review=f"the name {name!r} matches {kind} in the roster: "
                                       + "; ".join(_describe(s) for s in shown)
                                       + ". Put the student's id into the submission's name to settle it")
            candidates_of_review.update(s.id for s in shown)
        else:
            matches[key] = RosterMatch(None, review=f"the name {name!r} is not in the roster {roster.source}")
    for key, (student, pinyin) in chosen.items():
        rivals = [other for other in claims[student.id] if other != key]
        if student.id in taken:
            rivals.insert(0, taken[student.id])
        if rivals:
            matches[key] = RosterMatch(None, review=f"{_describe(student)} is also the match of "
                                       + ", ".join(rivals) + ": which submission is theirs?")
            candidates_of_review.add(student.id)
        else:
            matches[key] = RosterMatch(student, "pinyin" if pinyin else "name", roster=roster)
    for key, match in matches.items():
        if match.student is not None:
            taken[match.student.id] = key
    missing = tuple(student for student in roster.students
                    if student.id not in taken and student.id not in candidates_of_review)
    return matches, missing
