"""The shape of a business plan (DOMAIN.md 4.1): its written sections, budget line kinds and input limits.

Shared by forms (what can be typed), selectors (how the inputs feed the finance core) and the
PDF (headings), so a section or a limit is named once.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True, slots=True)
class Section:
    key: str
    label: Promise
    guidance: Promise


SECTIONS: tuple[Section, ...] = (
    Section(
        "summary",
        _("Summary"),
        _("In a few lines: what you will do, where, for whom, and how much money you need for what."),
    ),
    Section(
        "entrepreneur",
        _("About you, the entrepreneur"),
        _("Your skills and experience in this trade, why you want to do it, your situation and any debts."),
    ),
    Section(
        "product",
        _("Product or service"),
        _("What you sell, which need it meets, what makes it different, where you will work."),
    ),
    Section(
        "market",
        _("Market and customers"),
        _("Who your customers are, how many there are near you, what they pay today, your suppliers."),
    ),
    Section(
        "competitors",
        _("Competitors"),
        _("Who already sells something similar, their prices, and why customers will choose you."),
    ),
    Section(
        "marketing",
        _("Marketing and sales"),
        _("Your price, how customers will hear about you, where and how you will sell."),
    ),
    Section(
        "organisation",
        _("Organisation and legal form"),
        _("Premises, equipment, who works with you, opening hours, licences and permits, the legal form."),
    ),
    Section(
        "risks",
        _("Risks and plan B"),
        _("What could go wrong (fewer sales, higher costs, illness) and what you would do then."),
    ),
)
SECTION_KEYS = tuple(section.key for section in SECTIONS)
MAX_SECTION_LENGTH = 3000
MAX_TITLE_LENGTH = 150
MAX_LABEL_LENGTH = 80
MAX_LINES = 8
MONTHS = 12
YEARS = 3

# Kinds of start-up uses and the finance-core argument each one feeds.
USE_KINDS: tuple[tuple[str, Promise], ...] = (
    ("equipment", _("Equipment and other investments")),
    ("setup", _("Set-up costs (registration, licences, deposits)")),
    ("stock", _("Initial stock")),
    ("reserve", _("Working-capital reserve")),
)
USE_KIND_TO_FINANCE = {
    "equipment": "fixed_investments",
    "setup": "setup_costs",
    "stock": "initial_stock",
    "reserve": "working_capital_reserve",
}
SOURCE_FIELDS = ("own_funds", "microloan", "grants", "family_loans")

# Input limits: anything beyond them is a typing error in a micro-business plan.
MAX_AMOUNT = Decimal(10_000_000)
MAX_UNITS = Decimal(1_000_000)
MAX_RATE = Decimal(100)
MIN_GROWTH = Decimal(-100)
MAX_GROWTH = Decimal(1000)
MAX_LOAN_MONTHS = 600

LOAN_METHODS: tuple[tuple[str, Promise], ...] = (
    ("french", _("French: the same instalment every month")),
    ("italian", _("Italian: the same capital every month, instalments that fall")),
)
GRACE_MODES: tuple[tuple[str, Promise], ...] = (
    ("interest_only", _("I pay only the interest during the grace months")),
    ("capitalised", _("I pay nothing; the interest is added to the loan")),
)
