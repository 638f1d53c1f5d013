"""Child of bench/report.py: render a pickled report N times and print the peak resident
memory of this process (VmHWM, which starts afresh at exec) in MB. Only the reporting code is loaded."""

import pickle
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from backend.reports.render import render_report  # noqa: E402


def peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


if __name__ == "__main__":
    data = pickle.loads(Path(sys.argv[1]).read_bytes())
    for _ in range(int(sys.argv[2])):
        render_report(data, "full")
    print(f"{peak_mb():.1f}")
