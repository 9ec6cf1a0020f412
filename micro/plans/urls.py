from django.urls import path

from micro.plans import views

app_name = "plans"
urlpatterns = [
    path("", views.builder, name="builder"),
    path("sections/", views.sections, name="sections"),
    path("budget/", views.budget, name="budget"),
    path("sales/", views.sales, name="sales"),
    path("loan/", views.loan, name="loan"),
    path("results/", views.results, name="results"),
    path("business-plan.pdf", views.pdf, name="pdf"),
]
