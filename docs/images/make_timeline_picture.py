"""Draw the sample case's timeline for docs/timeline.md: ``python3 docs/images/make_timeline_picture.py``.

The picture in the docs is made by scrtool itself from the bundled sample case (the
returns in samples/returns and samples/case.toml), never drawn by hand, so it shows
exactly what a user gets.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
TARGET = HERE / "timeline-sample.png"


def main() -> None:
    sys.path.insert(0, str(REPO))
    from scrtool.case import load_case
    from scrtool.chronology.collate import collate
    from scrtool.chronology.timeline import make_timeline

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        shutil.copy(REPO / "samples" / "case.toml", root / "case.toml")
        shutil.copytree(REPO / "samples" / "returns", root / "returns")
        case = load_case(root)
        collate([root / "returns"], output=case.chronology_path, case=case)
        result = make_timeline(case=case, chronology=None, output=TARGET)
    print(f"wrote {TARGET}")
    print(f"alternative text: {result.data.alt_text()}")


if __name__ == "__main__":
    main()
