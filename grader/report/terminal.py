"""The terminal verbs: `grader check` (a student's self-check), `grader read` (what the grader
understood, before any verdict) and `grader pitfalls` (the mistakes explained).

`check` teaches without handing out answers: what it shows, on the terminal and with `--json`
alike, is the result under the rubric's reveal policy (`grader.report.reveal`), and it says which
policy that is; `expected` is in the JSON only under "answers". Exit codes: 0 when every asked answer is correct or accepted, 1 otherwise (including a
file that could not be read: its reason is printed), 2 for a usage error (raised as GraderError).
"""
from __future__ import annotations

import json
from pathlib import Path

from grader.core import Answer, GraderError
from grader.report import console as terminal
from grader.report.json_result import grade_to_json
from grader.report.render import shown_name
from grader.report.reveal import Reveal
from grader.report.teaching import (
    Feedback,
    PitfallView,
    explain,
    feedback_view,
    format_score,
    format_value,
    pitfall_registry,
)

# What to do when nothing gradable was read (`check` and the self-check page say it alike).
NOTHING_READ = ("Label your table's rows with the layers (conv1 …) and its columns with the quantities "
                "(units, weights, connections).")

VERDICT_STYLES = {"correct": "green", "accepted": "cyan", "follow-through": "yellow", "wrong": "red",
                  "missing": "dim", "review": "magenta"}


def _submission(file) -> Path:
    from grader.readers import why_missing

    path = Path(file)
    if path.is_dir():
        raise GraderError(f"{shown_name(str(file))}: is a folder (`grader grade` grades a folder)")
    if not path.exists():
        raise GraderError(f"{shown_name(str(file))}: {why_missing(path)}")
    return path


def _rubric(rubric):
    from grader.rubric import load_rubric

    return load_rubric(rubric) if isinstance(rubric, str) else rubric


def passed(result: dict) -> bool:
    asked = [item for item in result["answers"] if item.get("asked", True)]
    return result["status"] == "graded" and bool(asked) and all(
        item["verdict"] in ("correct", "accepted") for item in asked)


def look_again(feedback) -> str:
    """The closing line of a check that did not pass: the answers to work on, not the ones that
    only follow from a mistake charged elsewhere."""
    todo, following = feedback.to_look_at, feedback.following_through
    carried = f"{following} answer(s) follow from an earlier mistake named above: put that right and they follow."
    if not todo:
        return f"No answer to look at again: {carried}" if following else "No answer to look at again."
    return f"{todo} answer(s) to look at again." + (f" {carried}" if following else "")


def answers_table(answers, *, title: str):
    """network, layer, quantity, value, expression, source and confidence of what was read."""
    from rich.markup import escape

    table = terminal.table(title, ("network", "layer", "quantity", "value", "expression", "source", "confidence"),
                   right=("value", "confidence"), whole=("network", "layer", "quantity"))
    for answer in answers:
        table.add_row(escape(answer.network), escape(answer.layer), str(answer.quantity),
                      format_value(answer.value), escape(answer.expression or ""), escape(answer.source.describe()),
                      f"{answer.confidence:.2f}")
    return table


def _verdicts_table(feedback: Feedback):
    from rich.markup import escape

    columns = ["layer", "quantity", "your value", "verdict"]
    if feedback.reveal == "answers":
        columns.append("expected")
    if feedback.reveal in ("working", "answers"):
        columns.append("formula")
    if feedback.reveal != "none":
        columns.append("mistakes")
    table = terminal.table("Your answers", [*columns, "where"], right=("your value", "expected"),
                           whole=("layer", "quantity", "verdict"))
    for answer in feedback.answers:
        row = [escape(answer.layer), answer.quantity, escape(answer.value),
               f"[{VERDICT_STYLES.get(answer.verdict, '')}]{answer.verdict}[/]"]
        if feedback.reveal == "answers":
            row.append(answer.expected)
        if feedback.reveal in ("working", "answers"):
            row.append(escape(answer.formula))
        if feedback.reveal != "none":
            mistakes = ", ".join(answer.pitfalls)
            if answer.note:
                mistakes = f"{mistakes} ({answer.note})" if mistakes else answer.note
            row.append(escape(mistakes))
        row.append(escape(answer.where))
        table.add_row(*row)
    return table


def _pitfall_panel(pitfall: PitfallView, *, boxed: bool):
    """The explanation in a box on a terminal; piped, a heading and indented paragraphs, each on one
    line (a box as wide as an unbounded console would be all border)."""
    from rich.markup import escape
    from rich.panel import Panel

    lines = []
    where = [f"on {', '.join(pitfall.layers)}"] if pitfall.layers else []
    if pitfall.deduction:
        where.append(f"−{format_score(pitfall.deduction)} point(s)")
    if where:
        lines.append(f"[dim]{escape(' · '.join(where))}[/dim]")
    for heading, text in (("What it does", pitfall.what), ("Why is this bad?", pitfall.why),
                          ("Example", pitfall.example), ("Use instead", pitfall.instead)):
        if text:
            lines.append(f"[bold]{heading}[/bold]\n{escape(text)}")
    body = "\n\n".join(lines) or "[dim]no explanation recorded[/dim]"
    title = f"{escape(pitfall.title)} [dim]({pitfall.code})[/dim]"
    if boxed:
        return Panel(body, title=title, title_align="left")
    return f"[bold]{title}[/bold]\n" + "\n".join(f"  {line}" if line else "" for line in body.split("\n")) + "\n"


def run_check(file, *, rubric, as_json: bool, show_read: bool) -> int:
    from grader.pipeline import grade_file

    path = _submission(file)
    rubric = _rubric(rubric)
    grade = grade_file(path, rubric)
    result = grade_to_json(grade)
    if as_json:
        policy = Reveal.of(result, rubric.reveal)
        print(json.dumps({**policy.result(result), "reveal": policy.policy}, ensure_ascii=False, indent=2))
        return 0 if passed(result) else 1
    from rich.markup import escape

    feedback = feedback_view(result, rubric.reveal)
    console = terminal.console()
    console.print(f"[bold]{escape(shown_name(str(path)))}[/bold] · {escape(rubric.title or rubric.name)}")
    console.print(f"[dim]shown: {escape(feedback.shows)}[/dim]")
    if grade.status == "unreadable":
        for error in grade.errors:
            console.print(f"[red]could not be read:[/red] {escape(shown_name(error))}", soft_wrap=True)
        return 1
    if show_read:
        read = [j.answer for j in grade.judgements if j.answer is not None]
        console.print(answers_table(read, title="What was read"))
    if grade.status == "empty" or not feedback.answers:
        if grade.errors:  # why: answers for another network than the rubric's
            console.print("[red]No answers to grade were found:[/red] " + escape("; ".join(grade.errors)), soft_wrap=True)
        else:
            console.print(f"[red]No answers to grade were found.[/red] {NOTHING_READ}")
        return 1
    console.print(_verdicts_table(feedback))
    if feedback.reveal == "working":
        console.print("[dim]For a wrong or missing answer the formula column shows the working without "
                      "its result: finish it yourself.[/dim]")
    for pitfall in feedback.pitfalls:
        console.print(_pitfall_panel(pitfall, boxed=terminal.boxed(console)))
    for reason, text, where in feedback.review:
        detail = f": {text}" if text else ""
        place = f" [dim]({escape(where)})[/dim]" if where != "-" else ""
        console.print(f"[yellow]left for a person to check:[/yellow] {escape(reason + detail)}{place}", soft_wrap=True)
    parts = " · ".join(f"{part} {points}" for part, points in feedback.breakdown)
    console.print(f"[bold]Score: {feedback.score} / {feedback.max_score}[/bold]"
                  + (f" [dim]({escape(parts)})[/dim]" if len(feedback.breakdown) > 1 else ""))
    ok = passed(result)
    if ok:
        console.print("[green]Every answer is right.[/green]")
    else:
        console.print(look_again(feedback))
    return 0 if ok else 1


def run_read(file, *, rubric) -> int:
    from grader.pipeline import extract_answers, read_document

    path = _submission(file)
    rubric = _rubric(rubric)
    answers: tuple[Answer, ...] = extract_answers(read_document(path), rubric)
    console = terminal.console()
    if not answers:
        from rich.markup import escape

        console.print(f"Nothing gradable was read in {escape(shown_name(str(path)))}.")
        return 1
    console.print(answers_table(answers, title=f"What was read in {shown_name(str(path))}"))
    return 0


def run_pitfalls(code: str | None) -> int:
    registry = pitfall_registry()
    console = terminal.console()
    if code is None:
        table = terminal.table("Pitfalls (`grader pitfalls CODE` explains one)", ("code", "title"), whole=("code",))
        for known in sorted(registry):
            table.add_row(known, registry[known].title)
        console.print(table)
        return 0
    if code not in registry:
        raise GraderError(f"no pitfall {code!r} (known: {', '.join(sorted(registry))})")
    console.print(_pitfall_panel(explain(code), boxed=terminal.boxed(console)))
    return 0
