"""The reports of a batch, in the layout of grader/batch/__init__.py: each submission's own (its
result and feedback pages, `file_result`, written wherever the result is made: a batch's worker
process) and the class's (`ReportWriter`: the statistics tallied, the gradebooks and the dashboard
at the end, from the small `Filed` row each submission leaves). Renders what it is given; runs
nothing."""
from __future__ import annotations

import json
import sys
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from grader.report.gradebook import SheetRows
from grader.report.stats import ClassStats, ClassTally, SubmissionTally, tally_entry

REPORT_FOLDERS = ("results", "feedback", "gradebook")  # in OUT: written, and cleaned of old reports


def feedback_link(key: str) -> str:
    return f"feedback/{quote(key)}.html"


GRADEBOOKS = ("canvas.csv", "gradescope.csv", "moodle.csv", "answers.xlsx")


@dataclass(frozen=True, slots=True)
class Filed:
    """What the class's reports need of one submission whose own reports are written."""
    key: str
    tally: SubmissionTally
    gradebook: dict | None = None  # its row of the CSV gradebooks (None: no reports)
    sheet: SheetRows | None = None  # its rows of answers.xlsx (None: no reports)


def file_result(out: Path, result: dict, rubric, *, reports: bool = True) -> Filed:
    """Write one submission's result (OUT/results/<key>.json) and, with `reports`, its feedback
    pages (OUT/feedback/<key>.html and .md), each atomically; and give what the class's reports
    need of it, rendered as far as it can be without the others."""
    from grader.report.feedback import feedback_pages
    from grader.report.gradebook import gradebook_row, sheet_rows
    from grader.report.render import write_atomic

    key = result["submission"]
    write_atomic(out / "results" / f"{key}.json", json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    if not reports:
        return Filed(key, tally_entry(result))
    html, markdown = feedback_pages(result, reveal=rubric.reveal, assignment=rubric.title or rubric.name)
    write_atomic(out / "feedback" / f"{key}.html", html)
    write_atomic(out / "feedback" / f"{key}.md", markdown)
    return Filed(key, tally_entry(result), gradebook_row(result, reveal=rubric.reveal), sheet_rows(result))


class ReportWriter:
    """The class's reports of the layout, from each submission's Filed row as it comes (in
    submission order; its own reports written by `file_result`): the class statistics counted,
    the answers workbook streamed, one small row per submission kept for the CSV gradebooks; the
    dashboard and the gradebooks at the end. A batch of any size holds no more. Files of an earlier
    run that this run did not produce are removed from results/ and feedback/ so the folder tells
    one story; with `reports=False` only the results are written, and the feedback pages of an
    earlier run are removed with its dashboard and gradebooks (as every run removes those first)."""

    def __init__(self, out: Path, rubric, *, reports: bool = True, canvas_column: str | None = None) -> None:
        self._out, self._rubric, self._reports = out, rubric, reports
        self._assignment = rubric.title or rubric.name
        self._canvas_column = canvas_column or self._assignment  # a roster's "HW2 (55)": Canvas matches the id
        self._written: dict[str, set[str]] = {"results": set(), "feedback": set()}
        self._tally = ClassTally()
        self._rows: list[dict] = []  # for the CSV gradebooks
        self._workbook = None  # answers.xlsx, streamed from the first result to `finish`
        self._stack = ExitStack()  # its file, written aside and renamed into place by `finish`

    def __enter__(self) -> ReportWriter:
        """Remove the dashboard and gradebooks, which told of an earlier run (until `finish` writes
        them, nothing here looks like a complete report), and the temporary files a killed run left."""
        for path in (self._out / "index.html", *(self._out / "gradebook" / name for name in GRADEBOOKS)):
            if path.is_file():
                path.unlink()
        self._sweep_temporaries()
        if self._reports:
            from grader.report.gradebook import AnswersWorkbook
            from grader.report.render import atomic_output

            try:
                target = self._stack.enter_context(atomic_output(self._out / "gradebook" / "answers.xlsx"))
                self._workbook = AnswersWorkbook(target)
            except BaseException:  # no __exit__ follows a failed __enter__
                self._stack.__exit__(*sys.exc_info())
                raise
        return self

    def __exit__(self, *failure) -> None:
        try:
            if failure[0] is not None and self._workbook is not None:
                self._workbook.discard()
        finally:  # on a failure, the half-written answers.xlsx is removed
            self._stack.__exit__(*failure)
            if failure[0] is not None:  # and what a worker stopped mid-write left (students' rows)
                self._sweep_temporaries()

    def _sweep_temporaries(self) -> None:
        """The temporary files of writes that never finished (atomic_output's names)."""
        for folder in (self._out, *(self._out / name for name in REPORT_FOLDERS)):
            if folder.is_dir():
                for path in folder.glob(".*.tmp"):
                    path.unlink(missing_ok=True)

    def add(self, filed: Filed) -> None:
        """Count a submission whose result (and, with reports, feedback pages) `file_result` wrote."""
        self._written["results"].add(f"{filed.key}.json")
        self._tally.add_entry(filed.tally)
        if not self._reports:
            return
        self._written["feedback"].update((f"{filed.key}.html", f"{filed.key}.md"))
        self._rows.append(filed.gradebook)
        self._workbook.add_rows(filed.sheet)

    def add_missing(self, student: dict) -> None:
        """A roster student with no submission: a row in the gradebooks, nothing else."""
        if not self._reports:
            return
        from grader.report.gradebook import missing_row

        row = missing_row(student)
        self._rows.append(row)
        self._workbook.add(row)

    def finish(self, skipped: tuple[tuple[str, str], ...] = ()) -> ClassStats:
        from grader.report.dashboard import write_dashboard
        from grader.report.gradebook import canvas_csv, gradescope_csv, moodle_csv
        from grader.report.render import atomic_output, write_atomic

        for folder, suffixes in (("results", (".json",)), ("feedback", (".html", ".md"))):
            if (self._out / folder).is_dir():
                for path in (self._out / folder).iterdir():
                    if path.suffix in suffixes and path.name not in self._written[folder] and path.is_file():
                        path.unlink()
        stats = self._tally.build()
        if self._reports:
            gradebook, max_score = self._out / "gradebook", self._rubric.max_score
            write_atomic(gradebook / "canvas.csv",
                         canvas_csv(self._rows, assignment=self._canvas_column, max_score=max_score))
            write_atomic(gradebook / "gradescope.csv",
                         gradescope_csv(self._rows, assignment=self._assignment, max_score=max_score))
            write_atomic(gradebook / "moodle.csv", moodle_csv(self._rows, max_score=max_score))
            self._workbook.close()
            self._stack.close()  # answers.xlsx in place
            links = {row.key: feedback_link(row.key) for row in stats.submissions}
            with atomic_output(self._out / "index.html") as target:  # the dashboard last, then the mark goes
                write_dashboard(target, stats, assignment=self._assignment, links=links, skipped=skipped)
        return stats
