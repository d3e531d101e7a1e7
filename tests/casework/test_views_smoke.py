from django.urls import reverse

from sendcase.casework.scenarios import build_case
from sendcase.casework.steps import STEPS


def test_every_page_renders_for_the_officer(client_for, officer):
    client = client_for(officer)
    cases = [
        build_case(stage=s, officer=officer, weeks_ago=w)
        for s, w in (("requested", 2), ("draft", 24), ("reviewed", 90))
    ]
    assert client.get(reverse("casework:queue")).status_code == 200
    for case in cases:
        r = client.get(reverse("casework:case", args=[case.pk]))
        assert r.status_code == 200, r.content
        for slug in STEPS:
            r = client.get(reverse("casework:step", args=[case.pk, slug]))
            assert r.status_code in (200, 302)
    assert client.get(reverse("casework:new_request")).status_code == 200
    assert client.get(reverse("casework:transfer_in")).status_code == 200
