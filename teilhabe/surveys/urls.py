from django.urls import path

from teilhabe.surveys import openrosa, views

app_name = "surveys"

urlpatterns = [
    path("c/<str:code>/", views.short_link, name="short_link"),
    path("openrosa/<slug:slug>/formList", openrosa.form_list, name="openrosa_list"),
    path("openrosa/<slug:slug>/forms/<int:number>.xml", openrosa.form_download, name="openrosa_form"),
    path("openrosa/<slug:slug>/submission", openrosa.submission, name="openrosa_submission"),
    path("openrosa/<slug:slug>/c/<str:code>/formList", openrosa.form_list, name="openrosa_list_code"),
    path("openrosa/<slug:slug>/c/<str:code>/forms/<int:number>.xml", openrosa.form_download, name="openrosa_form_code"),
    path("openrosa/<slug:slug>/c/<str:code>/submission", openrosa.submission, name="openrosa_submission_code"),
    path("<slug:slug>/", views.survey_start, name="start"),
    path("<slug:slug>/<str:lang>/", views.survey_form, name="form"),
    path("<slug:slug>/<str:lang>/danke/", views.thanks, name="thanks"),
]
