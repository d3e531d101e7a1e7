from django.urls import path

from sendcase.finance import views

app_name = "finance"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("placements/", views.placements, name="placements"),
    path("placements/without-a-cost/", views.uncosted_view, name="uncosted"),
    path("history/", views.history, name="history"),
    path("bands/", views.bands, name="bands"),
    path("bands/<int:pk>/<int:year>/", views.band_rate, name="band_rate"),
    path("plans/<int:pk>/costs/", views.plan_costs, name="plan_costs"),
    path("budget/", views.budget, name="budget"),
    path("demand/", views.demand_view, name="demand"),
    path("workforce/", views.workforce_view, name="workforce"),
    path("budget/dsg-management-plan.xlsx", views.budget_export, name="budget_export"),
]
