"""Local development: `make run`. Embedded SQLite, mails printed to the console."""

from config.settings.base import *
from config.settings.base import STORAGES

DEBUG = True
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
