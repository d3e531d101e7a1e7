from django.urls import path

from sendcase.portal import staff_views

app_name = "portal_staff"
urlpatterns = [
    path("cases/<int:case_id>/invite/", staff_views.invite, name="invite"),
    path("requests/", staff_views.link_requests, name="requests"),
    path("requests/<int:pk>/", staff_views.decide_request, name="decide"),
]
