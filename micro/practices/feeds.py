"""Atom feed of newly published practices (django.contrib.syndication), in the reader's language."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from micro.practices import selectors
from micro.practices.models import Practice, Theme


class LatestPracticesFeed(Feed):
    feed_type = Atom1Feed

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        self.language = translation.get_language() or "en"
        return super().__call__(request, *args, **kwargs)

    def title(self) -> str:
        return _("New best practices · M.I.C.R.O.")

    def subtitle(self) -> str:
        return _("Practices of microcredit and enterprise support for migrants, reviewed by the project partners.")

    def link(self) -> str:
        return reverse("practices:list")

    def feed_url(self) -> str:
        return reverse("practices:feed")

    def items(self) -> list[Practice]:
        return selectors.practice_feed_items()

    def item_title(self, item: Practice) -> str:
        return str(item.localized(self.language).get("title", ""))

    def item_description(self, item: Practice) -> str:
        return str(item.localized(self.language).get("summary", ""))

    def item_link(self, item: Practice) -> str:
        return reverse("practices:detail", args=[item.slug])

    def item_pubdate(self, item: Practice) -> datetime | None:
        return item.published_at

    def item_updateddate(self, item: Practice) -> datetime | None:
        return item.updated_at

    def item_author_name(self, item: Practice) -> str:
        return item.organisation.name

    def item_categories(self, item: Practice) -> list[str]:
        return [str(Theme(item.theme).label)]
