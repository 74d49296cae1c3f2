"""The batch stage, `grader grade DIR`: every submission in a folder graded in parallel, and the
reports written. It sits above the pipeline and the reports (cli -> batch -> report): it finds the
submissions (`listing`: LMS names, links, hidden files), grades their files in worker processes under
the limits (`workers`), with the cache (`cache`), merges a student's files (`merge`) and files each
submission where it was graded (`submission`: the result saved and its feedback pages written, by
grader.report.writer, which renders what it is given and nothing else), holds one run per output
folder (`lock`), and tallies the small row each submission sends back for the gradebooks and the
dashboard (`run` ties them together).

The output layout (the one place it is described; OUT is `--out`, `reports/` by default):

    OUT/index.html                   the class dashboard (self-contained: no script, no network)
    OUT/results/<submission>.json    one result per submission: the JSON contract of DESIGN.md
    OUT/feedback/<submission>.html   per-student feedback (and .md), filtered by the reveal policy
    OUT/gradebook/canvas.csv         Canvas's gradebook import (with its Points Possible row)
    OUT/gradebook/gradescope.csv     SID, Email, <Assignment>, <Assignment> - Max Points
    OUT/gradebook/moodle.csv         Moodle's grading worksheet: Identifier, Full name, …, Grade, Feedback comments
    OUT/gradebook/answers.xlsx       one row per answer (sheet answers), one per submission (scores)
    OUT/feedback-canvas.zip          the feedback pages named for Canvas' Re-Upload Submissions (`grader grade`
    OUT/feedback-moodle.zip          only, grader/report/lms_feedback.py), and for Moodle's feedback zip upload
    OUT/corrections.yaml             a TA's decisions (grader/corrections.py), applied on every run;
                                     the grader reads it, never writes it (--corrections FILE: another)
    OUT/.cache/                      what was read and extracted, so a re-run only re-scores
                                     (in .cache/limits-<hash>/ when read under other --limits)
    OUT/.lock                        while a run writes: its pid and start time (one run at a time)
    OUT/INCOMPLETE.txt               while a run writes, and after one that did not finish

A run writes results and feedback as they come, and the gradebooks and then the dashboard at the
end; it marks the folder INCOMPLETE.txt (and removes the earlier run's dashboard and gradebooks)
before its first result, and removes the mark after the dashboard. So a folder with a dashboard and
no mark holds one complete run, and a run killed on the way leaves a folder that says so (`grader
stats` refuses it); running again completes it, from the cache. A second run into a folder that a
run is writing is refused; a failure of the disk or the folders (full, read-only, not a folder)
stops the run with `grader: <path>: <reason>` (exit 2), the folder still marked incomplete. A cache
that cannot be written is only a warning: the run goes on without it.

Submissions: each file directly in DIR is one submission, and each folder in DIR is one
submission made of every file under it (a folder per student). Hidden files and folders (a name
beginning with a dot: `.DS_Store`, `..%2fetc.md`), a README at the top of DIR (it describes the
folder), symbolic links leading out of DIR, to folders, nowhere or round in a loop, and what is not
a regular file (a pipe) are skipped, each listed with its reason on the dashboard and by the
command. Nothing is ever written into DIR (nor is DIR one of OUT's folders). In names, each byte
that is not UTF-8 and each control character is shown as its `\\xNN` escape (so two such names are
two students, and none is a command to the terminal).

Student identifiers come from the submission's name (a file's name without its extension, or a
folder's name) through `--id-pattern`, a regular expression with named groups: `id` (required: the
SIS User ID in Canvas, the SID in Gradescope, the identifier in Moodle), and optionally `name`,
`section`, `login` (Canvas's SIS Login ID) and `canvas_id` (Canvas's own user ID). The default,
`(?P<id>.+)`, takes the whole name as the id. For a Canvas bulk download
(`hartamelia_12345_67890_hw2.md`): `(?P<name>[^_]+)_(?:LATE_)?(?P<canvas_id>\\d+)_(?P<id>\\d+)`.
Submissions that share a student id (a resubmission, `amy.md` beside `amy.txt`) each get a review
item naming the others, and the run a warning: the gradebooks hold a row for each, an LMS one.

With a roster (`roster=`, grader/roster.py) each submission's `student` is the roster's when it is
matched, a review item naming the candidates when it is not, and the roster's students with no
submission get a gradebook row each (status `missing`), after the others.

Every file gets a result: `graded`, `empty` or `unreadable` with the reason. Each is graded within
`Limits` (grader/readers/limits.py; `--limits seconds=120,bytes=50MB` changes some): sizes, lines,
cells, text and numbers are checked as it is read, and the time limit by the batch. Files are graded in
worker processes, and a worker past the time limit is killed and replaced, whatever it was stuck in
(the file: "took over 60 s"); `--workers 1` grades in this process (for profiling and debugging),
where an alarm stops Python code past the limit but not a call stuck in C.

With `--no-reports` only OUT/results/ (and the cache) is written; the feedback pages, dashboard and
gradebooks an earlier run left in OUT are removed, as they would tell of other results.

Submissions are graded in the order of their names in OUT, a few ahead of the one being counted,
and each result and its feedback pages are written by the worker that graded it; the batch process
keeps only the class statistics (verdicts counted per slot, not the answers) and a small row per
submission, so its memory grows by a few kilobytes a student. Reports are written
atomically, in sorted orders, without timestamps: the same inputs give the same bytes, whatever
the number of workers.
"""
from __future__ import annotations

from grader.batch.run import BatchResult, grade_folder, run_grade

__all__ = ["BatchResult", "grade_folder", "run_grade"]
