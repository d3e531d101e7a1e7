"""The SEN2 check page with a file of exactly the upload cap: it must end well inside the worker
timeout (a third of gunicorn's 30 s), or the cap is too high for the worker.

Run: .venv/bin/python bench/bench_upload.py (or through `make bench`, on PostgreSQL).

The file is the council's own return (`sendcase demo` builds a council if the database has none),
its persons repeated until the file is as large as SENDCASE_SEN2_UPLOAD_MAX_MB allows. Repeated
persons are also reported as problems, so the page has more to show than a clean file would:
the time is an upper bound. The request runs in this process through Django's test client,
with the production settings (DEBUG off).
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import tempfile
import time

WORKER_TIMEOUT = 30  # gunicorn --timeout (README, Production)
LIMIT_S = WORKER_TIMEOUT / 3


def cap_sized_return(cap: int) -> bytes:
    from django.utils import timezone

    from sendcase.returns.exporter import write_return
    from sendcase.returns.periods import latest_complete_collection

    out = io.BytesIO()
    write_return(latest_complete_collection(timezone.localdate()), out, destination="bench")
    xml = out.getvalue()
    head, rest = xml.split(b"<Persons>", 1)
    body, tail = rest.rsplit(b"</Persons>", 1)
    persons = re.findall(rb"<Person>.*?</Person>\s*", body, re.S)
    if not persons:
        raise SystemExit("The council's return has no persons: build it with `sendcase demo`.")
    chunks, size, n = [], len(head) + len(tail) + len(b"<Persons></Persons>"), 0
    while size + len(persons[n % len(persons)]) <= cap:
        chunks.append(persons[n % len(persons)])
        size += len(chunks[-1])
        n += 1
    return head + b"<Persons>" + b"".join(chunks) + b"</Persons>" + tail


def main() -> int:
    static = tempfile.mkdtemp(prefix="uploadbench")
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "sendcase.settings",
            "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only"),
            "DEBUG": "false",
            "ALLOWED_HOSTS": "testserver",
            "STATIC_ROOT": static,
        }
    )
    sendcase = [sys.executable, "-m", "sendcase.cli"]
    subprocess.run([*sendcase, "demo", "--if-empty"], check=True, stdout=subprocess.DEVNULL)
    subprocess.run([*sendcase, "collectstatic", "--noinput", "-v", "0"], check=True)
    import django

    django.setup()
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from sendcase.accounts.models import Role, User
    from sendcase.accounts.testing import verified_login

    cap_mb = settings.SENDCASE_SEN2_UPLOAD_MAX_MB
    data = cap_sized_return(cap_mb * 1024 * 1024)
    person_count = data.count(b"<Person>")
    officer, _ = User.objects.get_or_create(
        username="bench.data", defaults={"role": Role.DATA_OFFICER}
    )
    client = verified_login(Client(), officer)
    client.get("/sen2/")  # templates loaded and compiled, as in a worker that has served a page
    upload = SimpleUploadedFile("sen2.xml", data, content_type="application/xml")
    started = time.perf_counter()
    response = client.post("/sen2/check/", {"file": upload})
    seconds = time.perf_counter() - started
    ok = response.status_code == 200 and seconds < LIMIT_S
    print(
        f"SEN2 check page, a file at the cap ({len(data) / 1e6:.1f} MB, {person_count:,} persons): "
        f"HTTP {response.status_code} in {seconds:.1f} s ({seconds / (len(data) / 1e6):.2f} s/MB); "
        f"target under {LIMIT_S:.0f} s (a third of the {WORKER_TIMEOUT} s worker timeout) "
        f"-> {'met' if ok else 'FAILED'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
