from django.contrib.sitemaps.views import sitemap
from django.urls import URLPattern, URLResolver, include, path
from django.views.decorators.cache import cache_page
from django.views.i18n import set_language

from teilhabe.accounts import enrolment, self_views, sso, staff_views
from teilhabe.accounts import views as account_views
from teilhabe.core import format_views, i18n_urls, ops_views, site_files
from teilhabe.core import views as core_views

account_patterns = (
    [
        path("anmelden/", account_views.login_view, name="login"),
        path("zweiter-faktor/", account_views.otp_view, name="otp"),
        path("zweiter-faktor/einrichten/", account_views.enroll_view, name="enroll"),
        path("abmelden/", account_views.logout_view, name="logout"),
        path("sso/", sso.SSOStartView.as_view(), name="sso"),
        path("sso/rueckruf/", sso.SSOCallbackView.as_view(), name="sso_callback"),
        path("", self_views.account, name="account"),
        path("passwort/", self_views.password_change, name="password_change"),
        path("notfall-codes/", self_views.backup_codes_renew, name="backup_codes"),
        path("einladung/<str:token>/", enrolment.enrol, name="enrol"),
    ],
    "accounts",
)

staff_patterns = (
    [
        path("", staff_views.home, name="home"),
        path("rollen/", staff_views.roles_overview, name="roles"),
        path("organisationen/", staff_views.organisation_list, name="organisations"),
        path("organisationen/neu/", staff_views.organisation_create, name="organisation_create"),
        path("organisationen/<int:pk>/", staff_views.organisation_detail, name="organisation"),
        path("organisationen/<int:pk>/bearbeiten/", staff_views.organisation_edit, name="organisation_edit"),
        path("organisationen/<int:pk>/mitglieder/neu/", staff_views.member_add, name="member_add"),
        path("mitgliedschaften/<int:pk>/", staff_views.membership_edit, name="membership_edit"),
        path("rollen-bestaetigen/", staff_views.membership_confirmations, name="membership_confirmations"),
        path("mitgliedschaften/<int:pk>/bestaetigen/", staff_views.membership_confirm, name="membership_confirm"),
        path("konten/<int:pk>/sperren/", staff_views.user_toggle_active, name="user_toggle_active"),
        path("konten/<int:pk>/zweiter-faktor-zuruecksetzen/", staff_views.user_mfa_reset, name="user_mfa_reset"),
        path("rechtstexte/", core_views.legal_pages, name="legal_pages"),
        path("rechtstexte/<slug:slug>/", core_views.legal_page_edit, name="legal_edit"),
        path("rechtstexte/<slug:slug>/<str:lang>/", core_views.legal_translation_edit, name="legal_translation"),
        path("barrierefreiheit/rueckmeldungen/", core_views.feedback_list, name="feedback"),
        path("formate/<slug:slug>/", format_views.format_description, name="format_description"),
        path("formate/<slug:slug>/beispiel.csv", format_views.format_example, name="format_example"),
        path("betrieb/", ops_views.operations, name="operations"),
    ],
    "staff",
)

core_patterns = (
    [
        path("", core_views.home, name="home"),
        path("rechtliches/<slug:slug>/", core_views.legal_page, name="legal"),
        path("barriere-melden/", core_views.accessibility_feedback, name="accessibility_feedback"),
        path("datenquellen/", core_views.sources, name="sources"),
        path("offene-daten/", core_views.open_data, name="open_data"),
        path("leichte-sprache/", core_views.easy_language, name="easy_language"),
    ],
    "core",
)

# Public pages: German without a prefix (addresses unchanged), every other public language under /<code>/.
urlpatterns: list[URLPattern | URLResolver] = [
    *i18n_urls.public_patterns(
        path("", include(core_patterns)),
        path("gemeinden/", include("teilhabe.regions.urls")),
        path("monitoring/", include("teilhabe.indicators.urls")),
        path("angebote/", include("teilhabe.directory.urls")),
        path("berichte/", include("teilhabe.reports.urls")),
        path("konzept/", include("teilhabe.concept.urls")),
        path("umfragen/", include("teilhabe.surveys.urls")),
        # i18n_patterns(prefix_default_language=False) with unprefixed addresses open to every language.
    )
]

urlpatterns += [
    path("healthz", ops_views.healthz, name="healthz"),
    path("readyz", ops_views.readyz, name="readyz"),
    path("robots.txt", site_files.robots_txt, name="robots_txt"),
    path("favicon.ico", site_files.favicon, name="favicon"),
    path(
        "sitemap.xml",
        cache_page(3600)(sitemap),
        {"sitemaps": site_files.SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("sprache/<str:code>/", i18n_urls.switch_language, name="switch_language"),
    path("konto/", include(account_patterns)),
    path("staff/", include(staff_patterns)),
    path("staff/protokoll/", include("teilhabe.audit.urls")),
    path("staff/planungsraeume/", include("teilhabe.regions.staff_urls")),
    path("staff/kiim/", include("teilhabe.registry.urls")),
    path("staff/abgleich/", include("teilhabe.linkage.urls")),
    path("api/v1/kiim/", include("teilhabe.registry.api_urls")),
    path("staff/datenschutz/", include("teilhabe.privacy.urls")),
    path("staff/bevoelkerung/", include("teilhabe.population.urls")),
    path("staff/monitoring/", include("teilhabe.indicators.staff_urls")),
    # Before the indicators API: its catch-all under api/v1/ would otherwise answer these paths.
    path("api/v1/directory/", include("teilhabe.directory.api_urls")),
    path("api/v1/", include("teilhabe.indicators.api_urls")),
    path("staff/angebote/", include("teilhabe.directory.staff_urls")),
    path("staff/berichte/", include("teilhabe.reports.staff_urls")),
    path("staff/konzept/", include("teilhabe.concept.staff_urls")),
    path("staff/befragungen/", include("teilhabe.surveys.staff_urls")),
    path("i18n/setlang/", set_language, name="set_language"),
]

handler400 = "teilhabe.core.errors.bad_request"
handler403 = "teilhabe.core.errors.permission_denied"
handler404 = "teilhabe.core.errors.page_not_found"
handler500 = "teilhabe.core.errors.server_error"
