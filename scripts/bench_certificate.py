"""Time to build a certificate: signing the Open Badges credential and rendering the PDF.

Builds a scratch SQLite database in a temporary folder (migrations applied), a small course with
two competences, a learner who completed it, then issues the certificate and renders its PDF ten
times in English and ten times in Arabic (right-to-left). Prints the median and the slowest build
of each, and the PDF size. Talks to nothing outside the temporary folder.

    .venv/bin/python scripts/bench_certificate.py [--runs 10]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(scratch: Path) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ["DATABASE_URL"] = f"sqlite:///{scratch / 'bench.sqlite3'}"
    os.environ["CERTIFICATE_SIGNING_KEY_PATH"] = str(scratch / "certificate.pem")
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.CERTIFICATE_SIGNING_KEY_PATH = str(scratch / "certificate.pem")
    call_command("migrate", verbosity=0, interactive=False)

    from micro.accounts.models import Organisation, Role
    from micro.accounts.tests.factories import member
    from micro.learning import services
    from micro.learning.certificate_pdf import render_certificate_pdf
    from micro.learning.models.certificates import Certificate
    from micro.learning.scoring import Tally
    from micro.learning.services import certificates as certificate_services
    from micro.learning.tests.factories import build_world

    world = build_world()
    world.course.translations["ar"] = {"title": "إدارة القروض الصغيرة للمهاجرين", "status": "reviewed"}
    world.course.save()
    organisation = Organisation.objects.create(slug="bench", name="Bench partner", country="IT")
    learner = member(organisation, Role.OPERATOR, full_name="Amina Benali")
    for lesson in (world.lesson, world.scenario_lesson, world.assignment_lesson):
        services.lesson_mark_read(lesson=lesson, learner=learner)
    for activity in (world.quiz, world.scenario, world.assignment):
        services.activity_result_record(
            activity=activity,
            learner=learner,
            result_percent=Decimal(80),
            completed=True,
            tally=Tally(points={"EF-1": Decimal(4)}, max_points={"EF-1": Decimal(5)}),
        )

    issue_times = []
    certificate = None
    for _ in range(args.runs):
        Certificate.objects.filter(learner=learner).delete()
        start = time.perf_counter()
        certificate, _created = certificate_services.certificate_issue(
            learner=learner, course=world.course, issued_by=learner, language="en"
        )
        issue_times.append(time.perf_counter() - start)
    assert certificate is not None
    print(
        f"issue (rules + credential + Ed25519 signature + save): median {statistics.median(issue_times) * 1000:.1f} ms"
    )

    for language in ("en", "ar"):
        certificate.language = language
        render_certificate_pdf(certificate)  # first build loads the fonts
        durations, size = [], 0
        for _ in range(args.runs):
            start = time.perf_counter()
            size = len(render_certificate_pdf(certificate))
            durations.append(time.perf_counter() - start)
        print(
            f"PDF {language}: median {statistics.median(durations) * 1000:.0f} ms, "
            f"slowest {max(durations) * 1000:.0f} ms over {args.runs} builds, {size / 1024:.0f} KB"
        )
    return 0


if __name__ == "__main__":
    folder = Path(tempfile.mkdtemp(prefix="micro-bench-certificate-"))
    try:
        raise SystemExit(main(folder))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
