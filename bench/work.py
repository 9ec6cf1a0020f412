"""Heavy single jobs: PDF generation (business plan, conference badges, certificates in English and
Arabic, and the dossier when the platform has them) and the content import, timed in-process
against the bench database.

    .venv/bin/python -m bench.work --out /tmp/work.json
"""

from __future__ import annotations

import argparse
import functools
import importlib
import io
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RUNS = 3

# PDFs that other parts of the platform add over time: (label, module, function, model of the one
# argument, filter of the rows to print). Found at run time and called with the first stored row
# that matches; a missing one is reported as skipped, never faked. A certificate is printed in its
# own language, so the English one and the Arabic one (right to left, Arabic shaping) are both timed.
OPTIONAL_PDFS: tuple[tuple[str, str, str, str, dict[str, Any]], ...] = (
    (
        "certificate PDF",
        "micro.learning.certificate_pdf",
        "render_certificate_pdf",
        "learning.Certificate",
        {"language": "en"},
    ),
    (
        "certificate PDF (ar, right to left)",
        "micro.learning.certificate_pdf",
        "render_certificate_pdf",
        "learning.Certificate",
        {"language": "ar"},
    ),
    ("dossier PDF", "micro.cases.pdf", "render_dossier_pdf", "cases.Dossier", {}),
)


def timed(action: Callable[[], Any], runs: int = RUNS) -> tuple[float, Any]:
    """Median milliseconds of ``runs`` calls after one warm-up, and the last result."""
    result = action()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = action()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 1), result


def pdf_pages(document: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(document)).pages)


def plan_pdf() -> dict[str, Any]:
    from micro.plans import pdf, selectors
    from micro.plans.models import BusinessPlan
    from micro.plans.tests.factories import worked_plan

    plan = BusinessPlan.objects.exclude(inputs={}).order_by("pk").first() or worked_plan()
    ms, document = timed(lambda: pdf.render_plan_pdf(plan=plan, results=selectors.plan_results(plan), language="it"))
    return {"ms": ms, "bytes": len(document), "pages": pdf_pages(document)}


def badges_pdf(count: int = 50) -> dict[str, Any]:
    from micro.events import badges
    from micro.events.models import Event, Registration

    with_people = Event.objects.filter(registrations__isnull=False).distinct().order_by("pk")
    event = with_people.filter(slug__startswith="bench-archive").first() or with_people.first()
    if event is None:
        return {"skipped": "no conference with registrations"}
    registrations = list(Registration.objects.filter(event=event).order_by("pk")[:count])
    ms, document = timed(
        lambda: badges.render_badges_pdf(event=event, registrations=registrations, language="it"), runs=1
    )
    return {"ms": ms, "bytes": len(document), "pages": pdf_pages(document), "badges": len(registrations)}


def optional_pdfs(runs: int = RUNS) -> dict[str, Any]:
    """The certificate and dossier PDFs when this tree has them and the bench data holds one to print."""
    from django.apps import apps

    found: dict[str, Any] = {}
    for label, module_name, function_name, model_name, rows in OPTIONAL_PDFS:
        try:
            render = getattr(importlib.import_module(module_name), function_name)
            model = apps.get_model(model_name)
        except (ImportError, AttributeError, LookupError):
            found[label] = {"skipped": f"not in this tree ({module_name}.{function_name})"}
            continue
        sample = model.objects.filter(**rows).order_by("pk").first()
        if sample is None:
            which = " ".join([model_name, *(f"{field}={value}" for field, value in rows.items())])
            found[label] = {"skipped": f"{function_name} exists, but the bench data holds no {which}"}
            continue
        ms, document = timed(functools.partial(render, sample), runs=runs)
        found[label] = {"ms": ms, "bytes": len(document), "pages": pdf_pages(document)}
    return found


def content_reimport() -> dict[str, Any]:
    """Importing the path content and the course again (everything already there: updates only)."""
    from django.core.management import CommandError, call_command

    result: dict[str, Any] = {}
    for command in ("content_import", "course_import"):
        started = time.perf_counter()
        try:
            call_command(command, stdout=io.StringIO())
        except CommandError as error:  # content being written by someone else right now: say so
            result[command] = {"error": str(error).splitlines()[-1][:200]}
            continue
        result[command] = {"ms": round((time.perf_counter() - started) * 1000, 1)}
    return result


def run() -> dict[str, Any]:
    return {
        "business plan PDF": plan_pdf(),
        "badges PDF": badges_pdf(),
        **optional_pdfs(),
        "re-import": content_reimport(),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    result = run()
    args.out.write_text(json.dumps(result, indent=2))
    print(f"work: business plan PDF {result['business plan PDF']['ms']} ms")


if __name__ == "__main__":
    main()
