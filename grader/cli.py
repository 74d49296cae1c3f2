"""The command line: one thin verb per function; the work is done by plain functions
imported lazily, so `grader check` starts fast."""
from __future__ import annotations

import argparse
import sys

from grader.core import GraderError

DEFAULT_RUBRIC = "alexnet-paper"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="grader",
        description="Grade the 'count the units, weights and connections of each CNN layer' homework.",
    )
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")

    grade = verbs.add_parser("grade", help="grade every submission in a folder or an LMS zip and write reports")
    grade.add_argument("folder")
    grade.add_argument("--rubric", default=DEFAULT_RUBRIC, help="a shipped rubric name or a path")
    grade.add_argument("--out", default="reports", help="where reports go (default: reports/)")
    grade.add_argument("--workers", type=int, default=None, help="processes (default: the CPU count)")
    grade.add_argument("--id-pattern", default=None,
                       help="regex with named groups (id, name) taking student ids from file names")
    grade.add_argument("--limits", default=None,
                       help="per-file limits other than the defaults, e.g. seconds=120,bytes=50MB")
    grade.add_argument("--no-reports", dest="reports", action="store_false",
                       help="write only the results (OUT/results/*.json): no feedback, dashboard or gradebooks")
    grade.add_argument("--corrections", default=None, metavar="FILE",
                       help="a TA's decisions (YAML: confirm, value, move, points) applied on every run")
    grade.add_argument("--roster", default=None, metavar="CSV",
                       help="the class list (a Canvas or Moodle export, or name/id/email): students get its ids")

    check = verbs.add_parser("check", help="self-check one submission (exit 0 when all correct)")
    check.add_argument("file")
    check.add_argument("--rubric", default=DEFAULT_RUBRIC)
    check.add_argument("--json", action="store_true", help="print the machine-readable result")
    check.add_argument("--show-read", action="store_true", help="also show what was read")

    read = verbs.add_parser("read", help="show what the grader reads in a file, before any verdict")
    read.add_argument("file")
    read.add_argument("--rubric", default=DEFAULT_RUBRIC)

    reference = verbs.add_parser("reference", help="print the answer key of a network")
    reference.add_argument("network", nargs="?", help="a shipped network or a spec file (not with --from)")
    reference.add_argument("--from", dest="model", default=None, metavar="MODEL.onnx",
                           help="write the spec YAML of an ONNX model instead (the onnx extra), to --out or stdout")
    reference.add_argument("--name", default=None, help="with --from: the network's name (default: the file's)")
    reference.add_argument("--input", type=int, default=None, help="input height and width")
    reference.add_argument("--bias", action="store_true", help="count biases in weights and connections")
    reference.add_argument("--towers", type=int, choices=(1, 2), default=None,
                           help="2: keep the spec's towers; 1: merge them")
    reference.add_argument("--format", choices=("md", "csv", "xlsx", "json"), default="md")
    reference.add_argument("--out", default=None, help="write to this file (required for xlsx)")
    reference.add_argument("--quantities", default=None, metavar="LIST",
                           help="also the cost of a forward pass: macs,flops,activations,memory (or all)")
    reference.add_argument("--flops", choices=("2mac", "mac", "2mac+bias"), default=None,
                           help="FLOPs as 2·MACs (default), as MACs (torchvision's GFLOPS), or 2·MACs + bias adds")
    reference.add_argument("--bytes", type=int, default=None, metavar="N",
                           help="bytes per activation (default 4: fp32)")
    reference.add_argument("--kilo", type=int, choices=(1024, 1000), default=None,
                           help="bytes in a KB (default 1024)")

    stats = verbs.add_parser("stats", help="common-mistake statistics from saved results")
    stats.add_argument("reports")
    stats.add_argument("--csv", default=None, metavar="FILE",
                       help="also write the class's answer table (a row per student and answer) to FILE as CSV")
    stats.add_argument("--xlsx", default=None, metavar="FILE", help="the same table as an XLSX workbook")

    pitfalls = verbs.add_parser("pitfalls", help="explain a pitfall (or list them all)")
    pitfalls.add_argument("code", nargs="?")

    serve = verbs.add_parser("serve", help="the self-check page in the browser (needs the serve extra)")
    serve.add_argument("folder", nargs="?", help="a folder graded by `grader grade`: adds its review desk (/review)")
    serve.add_argument("--rubric", default=DEFAULT_RUBRIC)
    serve.add_argument("--out", default="reports", help="where FOLDER was graded into (default: reports/)")
    serve.add_argument("--corrections", default=None, metavar="FILE",
                       help="the desk's decisions go to FILE (default: OUT/corrections.yaml)")
    serve.add_argument("--id-pattern", default=None, help="as given to `grader grade` (the desk re-scores with it)")
    serve.add_argument("--limits", default=None, help="as given to `grader grade` (the desk re-scores with them)")
    serve.add_argument("--roster", default=None, metavar="FILE",
                       help="as given to `grader grade` (the desk re-scores with it, keeping the roster's ids)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: this machine only)")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=2, help="uploads graded at once, one process each (default 2)")
    serve.add_argument("--max-upload", default="10MB", help="largest upload (default 10MB)")
    serve.add_argument("--timeout", type=float, default=30.0, help="seconds to grade one upload (default 30)")
    serve.add_argument("--waiting", type=int, default=16,
                       help="uploads that may wait for a free worker; more are told to try again (default 16)")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return _run(args)
    except GraderError as err:
        print(f"grader: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _write_new(path: str, text: str) -> None:
    """Write a file the user named, refusing to replace one (nothing a user gave is lost)."""
    from pathlib import Path

    target = Path(path)
    if target.exists():
        raise GraderError(f"{target}: already exists; remove it or choose another --out")
    try:
        target.write_text(text, encoding="utf-8")
    except OSError as err:
        raise GraderError(f"{target}: cannot write: {err.strerror or err}") from None


def _run(args: argparse.Namespace) -> int:
    if args.verb == "reference" and args.model is not None:
        if args.network is not None:
            raise GraderError("reference: give a network or --from MODEL.onnx, not both")
        from grader.reference.from_onnx import spec_from_onnx, write_spec

        text = write_spec(spec_from_onnx(args.model, name=args.name), source=args.model)
        if args.out:
            _write_new(args.out, text)
            print(f"wrote {args.out}: `grader reference {args.out}` prints its answer key")
        else:
            sys.stdout.write(text)
        return 0
    if args.verb == "reference":
        if args.network is None:
            raise GraderError("reference: give a network (shipped: see reference/) or --from MODEL.onnx")
        from grader.reference.costs import Cost, CostConventions
        from grader.reference.key import parse_costs, print_key

        chosen = {key: value for key, value in (("flops", args.flops), ("bytes_per_element", args.bytes),
                                                ("kilo", args.kilo)) if value is not None}
        # a cost convention given alone asks for the costs
        quantities = parse_costs(args.quantities) if args.quantities else (tuple(Cost) if chosen else ())
        return print_key(args.network, input_size=args.input, bias=args.bias, towers=args.towers,
                         fmt=args.format, out=args.out, quantities=quantities,
                         cost_conventions=CostConventions(**chosen))
    if args.verb == "check":
        from grader.report.terminal import run_check

        return run_check(args.file, rubric=args.rubric, as_json=args.json, show_read=args.show_read)
    if args.verb == "read":
        from grader.report.terminal import run_read

        return run_read(args.file, rubric=args.rubric)
    if args.verb == "grade":
        from pathlib import Path

        from grader.batch.run import run_grade
        from grader.lms import stage
        from grader.readers.limits import Limits

        from grader.roster import load_roster

        roster = load_roster(Path(args.roster)) if args.roster else None  # a bad one: refused before any unpacking
        staged = stage(Path(args.folder), Path(args.out), Limits.parse(args.limits) if args.limits else Limits(),
                       args.id_pattern)
        for submission in staged.submissions:
            for found in submission.superseded:
                print(f"  superseded: {found.name} (a later upload of {found.file} is graded)")
        result = run_grade(str(staged.folder), rubric=args.rubric, out=args.out, workers=args.workers,
                           id_pattern=staged.id_pattern, limits=args.limits, reports=args.reports,
                           corrections=args.corrections, roster=roster)
        from grader.report.lms_feedback import write_feedback_zips

        # Canvas takes a comment file only beside one of the student's own attachments: the graded one
        attachments = {submission.user_id: max(found.attachment for found in submission.files)
                       for submission in staged.submissions if submission.lms == "canvas"}
        for name, count in write_feedback_zips(result.out, result.results, attachments, reports=args.reports).items():
            print(f"feedback for the LMS: {result.out / name} ({count} students)")
        return 0
    if args.verb == "stats":
        from grader.report.stats import run_stats

        return run_stats(args.reports, csv=args.csv, xlsx=args.xlsx)
    if args.verb == "pitfalls":
        from grader.report.terminal import run_pitfalls

        return run_pitfalls(args.code)
    if args.verb == "serve":
        from grader.serve.app import ServeLimits, parse_size, run_serve

        if args.workers < 1 or args.waiting < 0 or args.timeout <= 0:
            raise GraderError("serve: --workers must be at least 1, --waiting at least 0, --timeout more than 0")
        limits = ServeLimits(max_upload=parse_size(args.max_upload), seconds=args.timeout, workers=args.workers,
                             waiting=args.waiting)
        from grader.readers.limits import Limits

        return run_serve(rubric=args.rubric, host=args.host, port=args.port, limits=limits, folder=args.folder,
                         out=args.out, corrections=args.corrections, id_pattern=args.id_pattern,
                         grade_limits=Limits.parse(args.limits) if args.limits else None, roster=args.roster)
    raise AssertionError(args.verb)
