from django.urls import path

from sendcase.information import views

app_name = "information"
urlpatterns = [
    path("foi/", views.foi_list, name="foi_list"),
    path("foi/new/", views.foi_new, name="foi_new"),
    path("foi/<int:pk>/", views.foi, name="foi"),
    path("foi/<int:pk>/answer/", views.foi_answer, name="foi_answer"),
    path("complaints/", views.complaint_list, name="complaint_list"),
    path("complaints/new/<int:case_pk>/", views.complaint_new, name="complaint_new"),
    path("complaints/<int:pk>/", views.complaint, name="complaint"),
    path("sar/", views.sar_list, name="sar_list"),
    path("sar/new/", views.sar_new, name="sar_new"),
    path("sar/<int:pk>/", views.sar, name="sar"),
    path("sar/<int:pk>/bundle.zip", views.sar_bundle, name="sar_bundle"),
    path("<str:name>/<int:pk>/", views.step, name="step"),
]
