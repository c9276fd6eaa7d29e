import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "teilhabe.settings")
application = get_wsgi_application()

from teilhabe.core.warmup import warm_up  # noqa: E402 - needs the configured application

warm_up()
