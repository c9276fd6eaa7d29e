from django.urls import path

from teilhabe.concept import views

app_name = "concept"

urlpatterns = [
    path("", views.index, name="index"),
    path("ziel/<int:pk>/", views.goal_detail, name="goal"),
    path("organigramm/", views.organigram_page, name="organigram"),
    path("sachstand/<int:pk>/", views.report_detail, name="report"),
    path("sachstand/<int:pk>/pdf/", views.report_pdf, name="report_pdf"),
]
