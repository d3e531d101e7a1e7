from django.urls import path

from sendcase.portal import staff_views

app_name = "portal_staff"
urlpatterns = [
    path("cases/<int:case_id>/invite/", staff_views.invite, name="invite"),
    path("requests/", staff_views.link_requests, name="requests"),
    path("requests/<int:pk>/", staff_views.decide_request, name="decide"),
]

# The officer's side of the family's pages (portal/family_staff_views.py).
from sendcase.portal import family_staff_views  # noqa: E402

urlpatterns += [
    path(
        "cases/<int:case_id>/messages/",
        family_staff_views.family_messages,
        name="family_messages",
    ),
    path("assessment-requests/", family_staff_views.asks, name="asks"),
    path("assessment-requests/<int:pk>/", family_staff_views.check_ask, name="check_ask"),
    path(
        "assessment-requests/<int:pk>/attach/",
        family_staff_views.attach_ask,
        name="attach_ask",
    ),
]

# Sending work to schools and professional services (staff_work_views.py).
from sendcase.portal import staff_work_views  # noqa: E402

urlpatterns += [
    path(
        "cases/<int:case_id>/advice/<int:advice_pk>/send/",
        staff_work_views.send_advice,
        name="send_advice",
    ),
    path("cases/<int:case_id>/consult/", staff_work_views.consult, name="consult"),
]
