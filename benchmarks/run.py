"""The benchmark: speed, memory and accuracy of the grader on synthetic submissions.

    python benchmarks/run.py --n 600 --json out.json [--skip-big]

On the same generated folder (benchmarks/synth.py: mixed formats and styles, known mistakes) it
measures, each as a whole process as a user runs it:
- `grader grade` throughput, with 1 and 2 workers, with reports (and without them where the batch
  has a way to skip them; otherwise the plain pipeline, grade_file in a loop, stands in);
- the naive baseline (benchmarks/floor.py: read every file, pull every integer with a regex) and the
  ratio grader / baseline;
- `grader check FILE --json` cold start on a Markdown file against `python -c pass` (medians);
- CPU per stage (read, extract, compare and score, reports) and per format (benchmarks/stages.py),
  the fixed start-up of `grader grade` and the marginal CPU per file;
- peak memory of the whole process tree while grading 1,000 and 10,000 submissions;
- accuracy against the generator's truth: verdicts, values read, pitfall recall and precision.
It prints a table and writes everything as JSON. Generated files live in a temporary folder.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere

from benchmarks import synth  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RUBRIC = "alexnet-paper"
GOALS = {"ratio_with_reports": 10.0, "check_seconds": 0.35, "memory_mb_10000": 300.0}
NO_REPORT_FLAGS = ("--no-reports", "--no-report", "--results-only")
PAGE = os.sysconf("SC_PAGE_SIZE")


# ---------------------------------------------------------------- running a process


@dataclass(frozen=True, slots=True)
class Run:
    seconds: float  # wall clock
    cpu_seconds: float  # user + system of the process and every descendant it waited for
    returncode: int
    max_rss_mb: float  # the peak RSS (VmHWM) of the largest single process seen in the tree
    tree_rss_mb: float  # the peak of the tree's summed RSS (shared pages counted in each process)
    tree_pss_mb: float  # the peak of the tree's summed PSS (shared pages divided among them)
    stderr: str = ""


def _descendants(root: int) -> list[int]:
    children = defaultdict(list)
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as stat:
                parent = int(stat.read().rsplit(b")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children[parent].append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, ())
    return found


def _tree_memory(root: int) -> tuple[float, float, float]:
    """(RSS, PSS) of a process and its descendants, and the largest peak RSS of one of them, in MB."""
    rss = pss = largest = 0
    for pid in _descendants(root):
        try:
            with open(f"/proc/{pid}/statm", "rb") as statm:
                rss += int(statm.read().split()[1]) * PAGE
            with open(f"/proc/{pid}/status", "rb") as status:
                for line in status:
                    if line.startswith(b"VmHWM:"):
                        largest = max(largest, int(line.split()[1]) * 1024)
                        break
            with open(f"/proc/{pid}/smaps_rollup", "rb") as smaps:
                for line in smaps:
                    if line.startswith(b"Pss:"):
                        pss += int(line.split()[1]) * 1024
                        break
        except (OSError, IndexError, ValueError):
            continue
    return rss / 2**20, pss / 2**20, largest / 2**20


def run(cmd: list[str], *, interval: float = 0.05) -> Run:
    """Run a command to its end: wall time, exit code, and the peak memory of its process tree,
    sampled from /proc (wait4's ru_maxrss would report this harness' own size: Linux carries the
    parent's high-water mark across fork and exec)."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, cwd=ROOT)
        peak = [0.0, 0.0, 0.0]
        done = threading.Event()

        def sample():
            while not done.wait(interval):
                peak[:] = map(max, peak, _tree_memory(process.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - start
        done.set()
        sampler.join()
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")[-2000:]
    return Run(seconds, usage.ru_utime + usage.ru_stime, process.returncode, peak[2], peak[0], peak[1], stderr)


def timings(cmd: list[str], repeat: int) -> dict:
    """Wall and CPU seconds of `repeat` runs of a whole process: median, minimum, every run."""
    walls, cpus = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        walls.append(time.perf_counter() - start)
        cpus.append(usage.ru_utime + usage.ru_stime)
    return {"median": statistics.median(walls), "min": min(walls), "cpu_median": statistics.median(cpus),
            "runs": [round(w, 4) for w in walls]}


# ---------------------------------------------------------------- the measurements


def grade_cmd(folder: Path, out: Path, workers: int, *, reports: bool, no_report_flag: str | None) -> list[str]:
    cmd = [str(BIN / "grader"), "grade", str(folder), "--rubric", RUBRIC, "--out", str(out), "--workers", str(workers)]
    if not reports:
        cmd.append(no_report_flag)
    return cmd


def pipeline_cmd(folder: Path) -> list[str]:
    """grade_file over every file in one process: the cost without batch bookkeeping and reports."""
    code = ("import sys, pathlib\n"
            "from grader.pipeline import grade_file\n"
            "from grader.rubric import load_rubric\n"
            f"rubric = load_rubric({RUBRIC!r})\n"
            "for path in sorted(pathlib.Path(sys.argv[1]).iterdir()):\n"
            "    grade_file(path, rubric)\n")
    return [sys.executable, "-c", code, str(folder)]


def find_no_report_flag() -> str | None:
    help_text = subprocess.run([str(BIN / "grader"), "grade", "--help"], capture_output=True, text=True).stdout
    return next((flag for flag in NO_REPORT_FLAGS if flag in help_text), None)


def throughput(folder: Path, n: int, work: Path, workers_list: list[int], no_report_flag: str | None) -> dict:
    rows = {}
    floor = run([sys.executable, str(ROOT / "benchmarks" / "floor.py"), str(folder)])
    rows["baseline"] = _row(floor, n)
    for workers in workers_list:
        for reports in (True, False):
            if reports:
                label, cmd = f"grade w{workers} reports", grade_cmd(folder, work / f"out-w{workers}", workers,
                                                                   reports=True, no_report_flag=None)
            elif no_report_flag:
                label, cmd = f"grade w{workers} no reports", grade_cmd(folder, work / f"out-w{workers}-nr", workers,
                                                                      reports=False, no_report_flag=no_report_flag)
            elif workers == 1:
                label, cmd = "pipeline w1 no reports", pipeline_cmd(folder)
            else:
                continue
            rows[label] = _row(run(cmd), n)
            rows[label]["ratio_to_baseline"] = rows[label]["seconds"] / floor.seconds
            rows[label]["cpu_ratio_to_baseline"] = rows[label]["cpu_seconds"] / floor.cpu_seconds
    return rows


def _row(result: Run, n: int) -> dict:
    row = asdict(result)
    row["per_second"] = n / result.seconds
    if not row["stderr"] or result.returncode == 0:
        row.pop("stderr")
    return row


def cold_start(folder: Path, repeat: int) -> dict:
    """`grader check --json` on a Markdown pipe table, whole process, against bare Python."""
    markdown = next(p for p in sorted(folder.iterdir()) if p.name.endswith("_md.md"))
    cmd = [str(BIN / "grader"), "check", str(markdown), "--json"]
    first = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    try:  # exit 1 means "not all correct", and also an uncaught exception: the output tells
        works = first.returncode in (0, 1) and json.loads(first.stdout)["status"] == "graded"
    except (ValueError, KeyError, TypeError):
        works = False
    check = timings(cmd, repeat)
    bare = timings([sys.executable, "-c", "pass"], repeat)
    row = {"file": markdown.name, "works": works, "check_median": check["median"], "python_median": bare["median"],
           "over_python": check["median"] - bare["median"], "check": check, "python": bare}
    if not works:
        row["stderr"] = first.stderr[-2000:]
    return row


def profile(folder: Path, out: Path, stats_path: Path, top: int = 30) -> str:
    """`grader grade` with one worker under cProfile; the top functions by own and cumulative time."""
    import pstats

    subprocess.run([sys.executable, "-m", "cProfile", "-o", str(stats_path), "-m", "grader", "grade", str(folder),
                    "--rubric", RUBRIC, "--out", str(out), "--workers", "1"],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, check=True)
    text = io.StringIO()
    stats = pstats.Stats(str(stats_path), stream=text)
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    return text.getvalue()


def stages(folder: Path, work: Path, n: int, throughput_rows: dict, repeat: int) -> dict:
    """CPU per stage and per format (benchmarks/stages.py, in a fresh process), the fixed start-up of
    `grader grade` (one file, one worker, with reports: median CPU of `repeat` runs) and the marginal
    CPU per file of the w1 run with reports beyond that start-up."""
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "stages.py"), str(folder), RUBRIC],
                          capture_output=True, text=True, cwd=ROOT, check=True)
    row = json.loads(done.stdout)
    one = work / "one-file"
    one.mkdir(exist_ok=True)
    first = min(folder.iterdir())
    (one / first.name).write_bytes(first.read_bytes())
    startup = timings(grade_cmd(one, work / "out-one", 1, reports=True, no_report_flag=None), repeat)
    row["startup_cpu"] = startup["cpu_median"]
    w1 = throughput_rows.get("grade w1 reports")
    if w1 and n > 1:
        row["marginal_cpu_per_file"] = (w1["cpu_seconds"] - startup["cpu_median"]) / (n - 1)
    return row


def memory(work: Path, sizes: list[int], seed: int, workers: int) -> dict:
    rows = {}
    for n in sizes:
        root = work / f"memory-{n}"
        synth.generate(root, n, seed)
        result = run(grade_cmd(root / "submissions", root / "out", workers, reports=True, no_report_flag=None))
        rows[str(n)] = _row(result, n)
    return rows


# ---------------------------------------------------------------- accuracy


def accuracy(results_dir: Path, truth: dict[str, dict]) -> dict:
    """The grader's results against the generator's truth."""
    results = {}
    for path in results_dir.glob("*.json"):
        record = json.loads(path.read_text(encoding="utf-8"))
        results[Path(record.get("file", path.stem)).name] = record
    verdicts = values = total = 0
    by_format: dict[str, Counter] = defaultdict(Counter)
    by_truth: dict[str, Counter] = defaultdict(Counter)
    confusion: Counter = Counter()
    found, raised, matched = Counter(), Counter(), Counter()
    statuses = Counter(results[name].get("status", "?") if name in results else "no result" for name in truth)
    for name, expected in truth.items():
        result = results.get(name, {})
        given = {}
        for answer in result.get("answers", []):
            if answer.get("network") == "alexnet":
                given.setdefault((answer["layer"], answer["quantity"]), answer)
        fmt = expected["look"]["format"]
        for answer in expected["answers"]:
            got = given.get((answer["layer"], answer["quantity"]), {})
            verdict = got.get("verdict", "missing")
            right_verdict = verdict in answer["verdicts"]
            right_value = answer["value"] is None and not got or got.get("value") == answer["value"]
            total += 1
            verdicts += right_verdict
            values += right_value
            by_format[fmt]["answers"] += 1
            by_format[fmt]["verdicts"] += right_verdict
            by_format[fmt]["values"] += right_value
            kind = "/".join(answer["verdicts"])
            by_truth[kind]["answers"] += 1
            by_truth[kind]["right"] += right_verdict
            if not right_verdict:
                confusion[kind, verdict] += 1
        truth_set = _truth_pitfalls(expected)
        grader_set = {(hit["code"], layer) for hit in result.get("pitfalls", []) if hit.get("network", "alexnet") == "alexnet"
                      for layer in (("*",) if hit["code"] in synth.GLOBAL_CODES else hit.get("layers") or ("*",))}
        for code, _ in truth_set:
            found[code] += 1
        for code, _ in grader_set:
            raised[code] += 1
        for code, _ in truth_set & grader_set:
            matched[code] += 1
    codes = sorted(set(found) | set(raised))
    per_code = {code: {"truth": found[code], "raised": raised[code], "matched": matched[code],
                       "recall": _share(matched[code], found[code]),
                       "precision": _share(matched[code], raised[code])} for code in codes}
    return {
        "submissions": len(truth), "statuses": dict(statuses), "answers": total,
        "verdict_accuracy": _share(verdicts, total), "value_accuracy": _share(values, total),
        "pitfall_recall": _share(sum(matched.values()), sum(found.values())),
        "pitfall_precision": _share(sum(matched.values()), sum(raised.values())),
        "by_format": {fmt: {"answers": c["answers"], "verdict_accuracy": _share(c["verdicts"], c["answers"]),
                            "value_accuracy": _share(c["values"], c["answers"])} for fmt, c in sorted(by_format.items())},
        "by_truth": {kind: {"answers": c["answers"], "right": _share(c["right"], c["answers"])}
                     for kind, c in sorted(by_truth.items())},
        "confusions": {f"{kind} -> {verdict}": count for (kind, verdict), count in confusion.most_common(12)},
        "pitfalls": per_code,
    }


def _truth_pitfalls(record: dict) -> set[tuple[str, str]]:
    """(code, layer) pairs the grader should raise; global codes once per submission as (code, '*')."""
    pairs = {(code, "*" if code in synth.GLOBAL_CODES else answer["layer"])
             for answer in record["answers"] for code in answer["pitfalls"]}
    pairs |= {(m["code"], "total") for m in record["mistakes"] if m["code"] == "total-inconsistent"}
    return pairs


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


# ---------------------------------------------------------------- report


def print_report(report: dict) -> None:
    try:
        from rich.console import Console
        from rich.table import Table
    except ImportError:
        print(json.dumps(report, indent=2))
        return
    console = Console()
    speed = Table(title=f"Throughput on {report['n']} mixed submissions ({report['machine']['cpus']} cores)")
    for column in ("run", "wall s", "files/s", "x baseline", "CPU s", "CPU x baseline", "peak tree RSS MB", "exit"):
        speed.add_column(column, justify="left" if column == "run" else "right")
    for label, row in report["throughput"].items():
        speed.add_row(label, f"{row['seconds']:.2f}", f"{row['per_second']:.1f}",
                      f"{row.get('ratio_to_baseline', 1):.1f}", f"{row['cpu_seconds']:.2f}",
                      f"{row.get('cpu_ratio_to_baseline', 1):.1f}", f"{row['tree_rss_mb']:.0f}", str(row["returncode"]))
    console.print(speed)
    console.print(f"load average before and after: {report['load_before']} / {report['load_after']} "
                  "(other work on the machine slows the wall clock; CPU time less so)")
    if "cold_start" in report:
        c = report["cold_start"]
        console.print(f"grader check --json ({c['file']}{'' if c['works'] else ', FAILED'}): "
                      f"median {c['check_median']:.3f} s (min {c['check']['min']:.3f}, "
                      f"CPU {c['check']['cpu_median']:.3f}); "
                      f"python -c pass {c['python_median']:.3f} s; difference {c['over_python']:.3f} s")
    if "stages" in report:
        st = report["stages"]
        table = Table(title="CPU ms per file, by stage (median per format; mean over all files)")
        for column in ("format", "files", "read", "extract", "compare+score", "reports", "total"):
            table.add_column(column, justify="left" if column == "format" else "right")
        for fmt, row in st["median_per_format"].items():
            table.add_row(fmt, str(row["files"]), *(f"{1000 * row[k]:.2f}" for k in (
                "read", "extract", "compare_score", "report", "total")))
        mean = st["mean_per_file"]
        table.add_row("all (mean)", str(st["files"]), *(f"{1000 * mean[k]:.2f}" for k in (
            "read", "extract", "compare_score", "report")), f"{1000 * sum(mean.values()):.2f}")
        console.print(table)
        marginal = st.get("marginal_cpu_per_file")
        console.print(f"fixed: imports {st['imports']:.2f} s CPU, first file beyond its format's median "
                      f"{st['warm_up']:.2f} s; `grader grade` on one file {st['startup_cpu']:.2f} s CPU"
                      + (f"; marginal CPU per file (w1, reports) {1000 * marginal:.2f} ms" if marginal else ""))
    if report.get("memory"):
        mem = Table(title="Peak memory, grade with reports")
        for column in ("submissions", "seconds", "files/s", "tree RSS MB", "tree PSS MB", "largest process MB"):
            mem.add_column(column, justify="right")
        for n, row in report["memory"].items():
            mem.add_row(n, f"{row['seconds']:.1f}", f"{row['per_second']:.1f}", f"{row['tree_rss_mb']:.0f}",
                        f"{row['tree_pss_mb']:.0f}", f"{row['max_rss_mb']:.0f}")
        console.print(mem)
    acc = report.get("accuracy")
    if acc:
        console.print(f"Accuracy: verdicts {acc['verdict_accuracy']}, values read {acc['value_accuracy']}, "
                      f"pitfall recall {acc['pitfall_recall']}, precision {acc['pitfall_precision']}; "
                      f"statuses {acc['statuses']}")
        codes = Table(title="Pitfalls: truth vs raised")
        for column in ("code", "truth", "raised", "matched", "recall", "precision"):
            codes.add_column(column, justify="left" if column == "code" else "right")
        for code, row in acc["pitfalls"].items():
            codes.add_row(code, str(row["truth"]), str(row["raised"]), str(row["matched"]),
                          str(row["recall"]), str(row["precision"]))
        console.print(codes)
    console.print("Goals: " + ", ".join(f"{k} {'met' if v else 'missed'}" for k, v in report["goals"].items()))


def goals(report: dict) -> dict:
    met = {}
    reports = [row for label, row in report["throughput"].items()
               if label.endswith(" reports") and "no reports" not in label and row["returncode"] == 0]
    if reports:
        met["batch with reports within 10x of baseline"] = min(r["ratio_to_baseline"] for r in reports) <= GOALS[
            "ratio_with_reports"]
    if report.get("cold_start", {}).get("works"):
        met["check on Markdown <= 0.35 s"] = report["cold_start"]["check_median"] <= GOALS["check_seconds"]
    if report.get("memory", {}).get("10000", {}).get("returncode") == 0:
        met["10,000 submissions <= 300 MB"] = report["memory"]["10000"]["tree_rss_mb"] <= GOALS["memory_mb_10000"]
    return met


def _commit() -> str:
    """The commit measured, with '+changes' when the work tree differs from it."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], capture_output=True, text=True, cwd=ROOT).stdout.strip()

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    return head + ("+changes" if git("status", "--porcelain", "--untracked-files=no", "grader") else "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Speed, memory and accuracy of the grader on synthetic submissions.")
    parser.add_argument("--n", type=int, default=600, help="submissions in the mixed folder (default 600)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path, default=None, help="write the figures here")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=9, help="runs of the cold-start commands (median)")
    parser.add_argument("--memory-sizes", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--skip-big", action="store_true", help="leave out the 10,000-submission memory run")
    parser.add_argument("--keep", type=Path, default=None, help="generate into this folder and keep it")
    parser.add_argument("--profile", type=Path, default=None,
                        help="also profile `grader grade --workers 1` with cProfile; stats written here")
    args = parser.parse_args(argv)
    sizes = [n for n in args.memory_sizes if not (args.skip_big and n >= 10000)]

    with tempfile.TemporaryDirectory(prefix="grader-bench-") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        synth.generate(work / "mixed", args.n, args.seed)
        folder = work / "mixed" / "submissions"
        report: dict = {
            "n": args.n, "seed": args.seed, "generated_seconds": time.perf_counter() - started,
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
            "date": time.strftime("%Y-%m-%d"), "commit": _commit(),
            "load_before": [round(x, 2) for x in os.getloadavg()],
        }
        no_report_flag = find_no_report_flag()
        report["no_report_mode"] = no_report_flag or "none in the batch: the plain pipeline stands in"
        report["throughput"] = throughput(folder, args.n, work, args.workers, no_report_flag)
        report["cold_start"] = cold_start(folder, args.repeat)
        report["stages"] = stages(folder, work, args.n, report["throughput"], min(args.repeat, 5))
        results = work / f"out-w{args.workers[0]}" / "results"
        if results.is_dir():
            report["accuracy"] = accuracy(results, synth.load_truth(work / "mixed"))
        report["memory"] = memory(work, sizes, args.seed, max(args.workers))
        if args.profile:
            print(profile(folder, work / "out-profile", args.profile))
        report["goals"] = goals(report)
        report["load_after"] = [round(x, 2) for x in os.getloadavg()]
    print_report(report)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
