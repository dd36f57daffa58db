"""Wall time against N for both tools, one line per phase: plot.py RESULTS_JSON PNG.

Run by benchmarks/run.py with the Python of benchmarks/.venv-amazon-aws, which has
matplotlib (the project's own venv does not need it).
"""

from __future__ import annotations

import json
import sys

import matplotlib

matplotlib.use("Agg")  # no display: write the file only
import matplotlib.pyplot as plt  # noqa: E402

STYLE = {"amazon.aws": "--", "ours": "-"}
COLORS = {"preview cold": "tab:blue", "apply cold": "tab:red", "apply warm": "tab:green", "preview warm": "tab:purple"}


def main(results_path, png_path):
    with open(results_path) as handle:
        results = json.load(handle)
    lines = {}
    for run in results["runs"]:
        if run.get("setting") or run["phase"] not in COLORS:
            continue
        lines.setdefault((run["tool"], run["phase"]), []).append((run["size"], run["wall_s"]))
    figure, axes = plt.subplots(figsize=(8, 5))
    for (tool, phase), points in sorted(lines.items()):
        points.sort()
        axes.plot([size for size, wall in points], [wall for size, wall in points], STYLE.get(tool, ":"), marker="o",
                  color=COLORS[phase], label="%s, %s" % (tool, phase))
    axes.set_xlabel("accounts (N)")
    axes.set_ylabel("wall time (s)")
    axes.set_title("Maintenance window permissions: %.0f ms per API call, forks %d, %d CPUs"
                   % (results["latency_s"] * 1000, results["forks"], results["cpus"]))
    axes.grid(True, alpha=0.3)
    axes.legend(fontsize="small")
    figure.tight_layout()
    figure.savefig(png_path, dpi=100)


if __name__ == "__main__":
    main(*sys.argv[1:3])
