"""`sendcase demo-sign-in`: the demo provider's directory, with a staff login per role, a
leaver refused at the provider, and a parent, a young person, a SENCO and an educational
psychologist each linked to demo cases through the real actions."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from sendcase.accounts.models import Role
from sendcase.oidc_provider.directory import make_client_key, parse
from sendcase.portal.models import CaseLink, ExternalPerson

ISSUER = "http://127.0.0.1:8001"


@pytest.mark.django_db
def test_the_demo_directory_and_links(tmp_path):
    call_command("demo", plans="60", seed="3", stdout=io.StringIO(), stderr=io.StringIO())
    secret = tmp_path / "secret"
    secret.write_text("s3cret")
    key = tmp_path / "key.pem"
    key.write_text(make_client_key()[0])
    path = tmp_path / "directory.json"

    def run() -> str:
        out = io.StringIO()
        call_command(
            "demo-sign-in",
            directory=str(path),
            issuer=ISSUER,
            staff_secret_file=str(secret),
            portal_key_file=str(key),
            stdout=out,
        )
        return out.getvalue()

    printed = run()
    directory = parse(json.loads(path.read_text()))
    staff = [p for p in directory.people if p.groups]
    assert {p.groups[0] for p in staff} >= {"sendcase-case-officers", "sendcase-head-of-service"}
    assert len({p.groups[0] for p in staff if not p.disabled}) == len(Role.values)
    assert [p.username for p in directory.people if p.disabled] == ["demo.leaver"]
    assert directory.clients["sendcase-portal"].token_endpoint_auth_method == "private_key_jwt"
    for username in ("demo.parent", "demo.young.person", "demo.senco", "demo.psychologist"):
        assert username in printed
        person = ExternalPerson.objects.get(subject=directory.person(username).sub, issuer=ISSUER)
        assert CaseLink.objects.filter(person=person, ended_at__isnull=True).exists(), username
    # Work waiting: an advice request given to the psychologist, a consultation for the SENCO's
    # school, and a pupil whose review is coming due.
    from sendcase.portal.models import AdviceAssignment, Consultation

    psychologist = ExternalPerson.objects.get(subject=directory.person("demo.psychologist").sub)
    senco = ExternalPerson.objects.get(subject=directory.person("demo.senco").sub)
    assert AdviceAssignment.objects.filter(
        assigned_to__person=psychologist, advice_request__received_on__isnull=True
    ).exists()
    school = senco.memberships.get().organisation
    assert Consultation.objects.filter(organisation=school, answered_on__isnull=True).exists()
    assert CaseLink.objects.filter(
        person=senco,
        case__deadlines__key="annual_review_meeting",
        case__deadlines__completed_on__isnull=True,
    ).exists()
    links = CaseLink.objects.count()
    work = (AdviceAssignment.objects.count(), Consultation.objects.count())
    run()  # again: nothing more
    assert CaseLink.objects.count() == links
    # The demo parent can comment on a draft now, and has a conversation with one message waiting.
    from django.utils import timezone

    from sendcase.portal.family_actions import open_draft
    from sendcase.portal.models import CaseMessage

    parent = ExternalPerson.objects.get(subject=directory.person("demo.parent").sub)
    linked = [link.case for link in parent.links.filter(ended_at__isnull=True)]
    assert any(open_draft(case, timezone.localdate())[0] for case in linked)
    messages = CaseMessage.objects.filter(case__in=linked)
    assert (
        messages.count() == 3
        and messages.filter(person__isnull=False, answered_at__isnull=True).count() == 1
    )
    assert (AdviceAssignment.objects.count(), Consultation.objects.count()) == work
