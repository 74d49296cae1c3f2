"""The naive baseline, the floor of the benchmark: read every file of a folder and pull every
integer out of it with one regex. No layout, no labels, no verdicts: the cost of just reading.

Zipped formats (xlsx, docx) are opened with zipfile and their XML parts scanned as text, which is
the least a reader of them must do; everything else is scanned as it is on disk.

    python benchmarks/floor.py FOLDER   # prints {"files": ..., "integers": ...}
"""
from __future__ import annotations

import json
import re
import sys
import zipfile
from pathlib import Path

INTEGER = re.compile(rb"\d+")


def scan(folder: Path) -> tuple[int, int]:
    """(files read, integers found) over every file under `folder`."""
    files = integers = 0
    for path in sorted(Path(folder).rglob("*")):
        if not path.is_file():
            continue
        files += 1
        if path.suffix in (".xlsx", ".docx"):
            with zipfile.ZipFile(path) as archive:
                for member in archive.namelist():
                    if member.endswith(".xml"):
                        integers += len(INTEGER.findall(archive.read(member)))
        else:
            integers += len(INTEGER.findall(path.read_bytes()))
    return files, integers


if __name__ == "__main__":
    files, integers = scan(Path(sys.argv[1]))
    print(json.dumps({"files": files, "integers": integers}))
