"""factory-boy factories and small helpers shared by the account and core tests."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

import factory
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from micro.accounts.models import Country, Invitation, Membership, Organisation, Role, User

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    preferred_language = "en"
    is_active = True

    @factory.post_generation
    def password(obj: User, create: bool, extracted: str | None, **kwargs: Any) -> None:
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save(update_fields=["password"])


class OrganisationFactory(factory.django.DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Partner organisation {n}")
    slug = factory.Sequence(lambda n: f"partner-{n}")
    country = Country.ITALY
    city = "Rome"
    is_partner = True


class MembershipFactory(factory.django.DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.OPERATOR
    is_active = True


class InvitationFactory(factory.django.DjangoModelFactory[Invitation]):
    """An invitation; pass ``token=`` (or use ``make_invitation``) to know its clear-text link token."""

    class Meta:
        model = Invitation
        exclude = ["token"]

    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    role = Role.OPERATOR
    token = factory.LazyFunction(lambda: secrets.token_urlsafe(32))
    token_hash = factory.LazyAttribute(lambda o: hashlib.sha256(o.token.encode()).hexdigest())
    invited_by = None
    language = "en"
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))


def make_invitation(**kwargs: Any) -> tuple[Invitation, str]:
    """An invitation and its clear-text token (only the hash is stored)."""
    token = kwargs.pop("token", None) or secrets.token_urlsafe(32)
    invitation = InvitationFactory.create(token=token, **kwargs)
    return invitation, token


def member(organisation: Organisation, role: str, **user_fields: Any) -> User:
    """A user holding ``role`` in ``organisation``."""
    user = UserFactory.create(**user_fields)
    MembershipFactory.create(user=user, organisation=organisation, role=role)
    return user


def confirmed_device(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def totp_code(device: TOTPDevice, *, drift: int = 0) -> str:
    """The code an authenticator app shows now for ``device`` (``drift`` steps away)."""
    device.refresh_from_db()
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift + drift)
    return f"{value:0{device.digits}d}"


def wrong_totp_code(device: TOTPDevice) -> str:
    """A well-formed code that no step near now accepts."""
    near = {totp_code(device, drift=drift) for drift in range(-3, 4)}
    return next(code for code in (f"{n:06d}" for n in range(0, 1_000_000, 1)) if code not in near)
