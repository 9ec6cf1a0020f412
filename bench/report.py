"""The results of a benchmark run: the budget checks, the JSON file and the Markdown table.

Kept apart from the runner so that tests/bench/test_bench_tools.py can write a report from made-up
numbers in milliseconds.
"""

from __future__ import annotations

import json
import statistics
from pathlib import Path
from typing import Any

from bench.common import (
    CEILING_ENDPOINT,
    CEILING_RATIO_BUDGET,
    COLD_KB_BUDGET,
    P95_BUDGET_MS,
    P95_BUDGET_USERS,
    PACED_LEVEL,
    WARM_KB_BUDGET,
)

BUDGETED_ENDPOINTS = ("path stage page", "lesson page")


def _mark(check: dict[str, Any]) -> str:
    if check.get("info"):
        return "for information"
    passed = check.get("passed")
    return "n/a" if passed is None else ("pass" if passed else "FAIL")


def _reference(load: dict[str, Any], level: str) -> tuple[str, float]:
    """The page the ratio is taken against: ARCHITECTURE.md's bare view, or /healthz in older results."""
    for name, label in ((CEILING_ENDPOINT, "the bare view's rate"), ("healthz", "the /healthz rate")):
        rps = float(load.get(name, {}).get(level, {}).get("rps") or 0)
        if rps:
            return label, rps
    return "the bare view's rate", 0.0


def round_ratios(results: dict[str, Any], endpoint: str) -> list[float]:
    """The endpoint's rate over the bare view's in each round where both were measured."""
    ratios = []
    for measured in results.get("ratio_rounds", []):
        reference = float(measured.get(CEILING_ENDPOINT, {}).get("rps") or 0)
        rate = float(measured.get(endpoint, {}).get("rps") or 0)
        if reference and rate:
            ratios.append(rate / reference)
    return ratios


def budget_checks(results: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per budget of ARCHITECTURE.md: what was measured and whether it is within the budget."""
    checks: list[dict[str, Any]] = []
    load = results.get("load", {})
    level = str(P95_BUDGET_USERS)
    reference, reference_rps = _reference(load, level)
    for endpoint in BUDGETED_ENDPOINTS:
        row = load.get(endpoint, {}).get(level)
        for label, measured in (
            (PACED_LEVEL, load.get(endpoint, {}).get(PACED_LEVEL)),
            (f"{P95_BUDGET_USERS} users (closed loop)", row),
        ):
            if label == PACED_LEVEL and measured is None and row is not None:
                continue  # results written before the paced level existed
            p95 = measured.get("p95_ms") if measured else None
            closed_loop = label != PACED_LEVEL
            checks.append(
                {
                    "budget": f"{endpoint}: p95 ≤ {P95_BUDGET_MS:.0f} ms at {label}",
                    "measured": f"{p95} ms" if p95 is not None else "not measured",
                    "passed": None if p95 is None else p95 <= P95_BUDGET_MS,
                    # Without pauses the p95 is mostly the queue (see bench.common.PACED_LEVEL).
                    **({"info": True} if closed_loop else {}),
                }
            )
        ratio = (float(row["rps"]) / reference_rps) if row and reference_rps else None
        measured = f"{ratio:.0%} ({row['rps']} of {reference_rps} req/s)" if ratio is not None and row else ""
        rounds = round_ratios(results, endpoint)
        if rounds:
            # Judged on the median of the back-to-back rounds (bench.common.RATIO_ROUNDS).
            ratio = statistics.median(rounds)
            measured = (
                f"{ratio:.0%}: median of {len(rounds)} back-to-back rounds "
                f"({', '.join(f'{value:.0%}' for value in rounds)})" + (f"; single run {measured}" if measured else "")
            )
        checks.append(
            {
                "budget": f"{endpoint}: ≥ {CEILING_RATIO_BUDGET:.0%} of {reference} at {P95_BUDGET_USERS} users",
                "measured": measured or "not measured",
                "passed": None if ratio is None else ratio >= CEILING_RATIO_BUDGET,
            }
        )
    rows = [row for levels in load.values() for row in levels.values()]
    rows += [row for measured in results.get("ratio_rounds", []) for row in measured.values()]
    errors = sum(int(row.get("failures", 0)) for row in rows)
    requests = sum(int(row.get("requests", 0)) for row in rows)
    checks.append(
        {
            "budget": "0 errors under load (every endpoint, every level)",
            "measured": f"{errors} errors in {requests} requests" if load else "not measured",
            "passed": (errors == 0) if load else None,
        }
    )
    pages = results.get("pages", {})
    migrant = {
        name: page for name, page in pages.items() if isinstance(page, dict) and page.get("audience") == "migrant"
    }
    weighed = {name: page for name, page in migrant.items() if "cold_kb" in page}
    if weighed:
        for visit, budget in (("cold", COLD_KB_BUDGET), ("warm", WARM_KB_BUDGET)):
            # As production sends them (nginx compresses the HTML); older results have only the raw size.
            key = f"{visit}_kb_nginx" if all(f"{visit}_kb_nginx" in p for p in weighed.values()) else f"{visit}_kb"
            name, heaviest = max(weighed.items(), key=lambda item: item[1][key])
            checks.append(
                {
                    "budget": f"migrant pages ≤ {budget:.0f} KB {visit}"
                    + (" (HTML gzipped as nginx does)" if key.endswith("nginx") else ""),
                    "measured": f"heaviest {heaviest[key]} KB ({name}; {heaviest[f'{visit}_kb']} KB uncompressed from gunicorn)",
                    "passed": heaviest[key] <= budget and len(weighed) == len(migrant),
                }
            )
    else:
        checks.append({"budget": "migrant page weight", "measured": "not measured", "passed": None})
    growth = results.get("growth", {})
    small, large = growth.get("small", {}).get("pages", {}), growth.get("large", {}).get("pages", {})
    grown = [name for name in large if name in small and large[name]["queries"] > small[name]["queries"]]
    checks.append(
        {
            "budget": "SQL queries per page independent of data size",
            "measured": ("grew on: " + ", ".join(grown)) if grown else f"{len(large)} pages, no growth",
            "passed": (not grown) if large and small else None,
        }
    )
    return checks


def markdown(results: dict[str, Any]) -> str:
    """The human-readable report: budgets first, then the numbers behind them."""
    meta = results.get("meta", {})
    lines = [
        f"# Benchmark {meta.get('date', '')}",
        "",
        f"`{meta.get('command', 'make bench')}` on {meta.get('cpus', '?')} cores, "
        f"{meta.get('workers', '?')} gunicorn workers, PostgreSQL, production settings. "
        f"Load average at start {meta.get('load_start', '?')}, at end {meta.get('load_end', '?')} "
        "(other people use this machine: the numbers are noisy).",
        "",
        "## Budgets (ARCHITECTURE.md)",
        "",
        "| Budget | Measured | Result |",
        "|---|---|---|",
    ]
    lines += [f"| {c['budget']} | {c['measured']} | {_mark(c)} |" for c in results.get("budgets", [])]
    load = results.get("load", {})
    if load:
        lines += [
            "",
            "## Server under load (locust, closed loop, each endpoint alone)",
            "",
            "CPU: mean of each gunicorn worker (100 = one core) and of the whole machine (100 = all cores);",
            "when the machine is near 100 % while the workers are low, other programs took the CPU.",
            "",
            "| Endpoint | Users | req/s | p50 ms | p95 ms | p99 ms | errors | worker CPU % | machine CPU % "
            "| worker RSS MB (max) |",
            "|---|---|---|---|---|---|---|---|---|---|",
        ]
        for endpoint, levels in load.items():
            for users, row in levels.items():
                note = f" ({row['note']})" if row.get("note") else ""
                lines.append(
                    f"| {endpoint}{note} | {users} | {row.get('rps', '')} | {row.get('p50_ms', '')} | {row.get('p95_ms', '')} "
                    f"| {row.get('p99_ms', '')} | {row.get('failures', '')} | {row.get('worker_cpu_mean', '')} "
                    f"| {row.get('machine_cpu_mean', '')} | {row.get('worker_rss_max_mb', '')} |"
                )
    rounds = results.get("ratio_rounds", [])
    if rounds:
        endpoints = [name for name in rounds[0] if name != CEILING_ENDPOINT]
        lines += [
            "",
            f"## Throughput ratio in back-to-back rounds ({P95_BUDGET_USERS} users, closed loop)",
            "",
            "Each round runs the bare view and then each budgeted page, one after the other; the ratio",
            "budget is judged on the median of the rounds (see bench/common.py, RATIO_ROUNDS).",
            "",
            "| Round | "
            + " | ".join(f"{name} req/s" for name in [CEILING_ENDPOINT, *endpoints])
            + " | "
            + " | ".join(f"{name} ratio" for name in endpoints)
            + " |",
            "|---|" + "---|" * (1 + 2 * len(endpoints)),
        ]
        for number, measured in enumerate(rounds, start=1):
            reference = float(measured.get(CEILING_ENDPOINT, {}).get("rps") or 0)
            rates = [measured.get(name, {}).get("rps", "") for name in [CEILING_ENDPOINT, *endpoints]]
            ratios = [
                f"{float(measured[name]['rps']) / reference:.0%}"
                if reference and measured.get(name, {}).get("rps")
                else ""
                for name in endpoints
            ]
            lines.append(f"| {number} | " + " | ".join(str(rate) for rate in rates) + " | " + " | ".join(ratios) + " |")
    pages = results.get("pages", {})
    if pages and "skipped" not in pages:
        lines += [
            "",
            "## Pages in Chromium (360 px wide)",
            "",
            'Sizes are bytes on the wire (headers included); "nginx" is the same visit with the HTML gzipped as',
            "deploy/nginx/micro.conf does (gunicorn alone sends pages uncompressed; static files are compressed).",
            "",
            "| Page | For | cold KB (nginx) | cold KB (gunicorn) | cold requests | warm KB (nginx) | warm KB (gunicorn) "
            "| warm requests | FCP slow 3G ms |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for name, page in pages.items():
            if "error" in page:
                lines.append(f"| {name} | {page.get('audience', '')} | error: {page['error'][:60]} | | | | | | |")
                continue
            lines.append(
                f"| {name} | {page['audience']} | {page.get('cold_kb_nginx', '')} | {page['cold_kb']} "
                f"| {page['cold_requests']} | {page.get('warm_kb_nginx', '')} | {page['warm_kb']} "
                f"| {page['warm_requests']} | {page.get('fcp_slow_3g_ms', '')} |"
            )
    growth = results.get("growth", {})
    if growth.get("small") and growth.get("large"):
        small, large = growth["small"], growth["large"]
        lines += [
            "",
            "## Growth: SQL queries and time (in-process) with small and large data",
            "",
            f"Small: {_sizes(small.get('data', {}))}. Large: {_sizes(large.get('data', {}))}.",
            "",
            "| Page | queries small | queries large | ms small | ms large |",
            "|---|---|---|---|---|",
        ]
        for name, row in large.get("pages", {}).items():
            before = small.get("pages", {}).get(name, {})
            lines.append(
                f"| {name} | {before.get('queries', '')} | {row['queries']} | {before.get('ms', '')} | {row['ms']} |"
            )
    work = results.get("work", {})
    if work:
        lines += ["", "## Work", "", "| Job | Result |", "|---|---|"]
        for job, value in work.items():
            lines.append(f"| {job} | {_work_text(value)} |")
    notes = results.get("notes", [])
    if notes:
        lines += ["", "## Notes", ""] + [f"- {note}" for note in notes]
    return "\n".join(lines) + "\n"


def _sizes(data: dict[str, int]) -> str:
    return ", ".join(f"{count:,} {name}" for name, count in data.items()) or "?"


def _work_text(value: Any) -> str:
    if not isinstance(value, dict):
        return str(value)
    if "skipped" in value:
        return f"skipped: {value['skipped']}"
    if "ms" in value:
        extra = ", ".join(f"{key} {val}" for key, val in value.items() if key != "ms")
        return f"{value['ms']} ms" + (f" ({extra})" if extra else "")
    return "; ".join(f"{key}: {_work_text(val)}" for key, val in value.items())


def write(results: dict[str, Any], folder: Path, day: str) -> tuple[Path, Path]:
    """``<folder>/<day>.json`` and ``<folder>/<day>.md``, with the budget checks filled in."""
    results["budgets"] = budget_checks(results)
    folder.mkdir(parents=True, exist_ok=True)
    json_path, markdown_path = folder / f"{day}.json", folder / f"{day}.md"
    json_path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    markdown_path.write_text(markdown(results))
    return json_path, markdown_path
