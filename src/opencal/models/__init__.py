"""Every model module is imported here so that `Base.metadata` (and Alembic) sees all tables."""

from opencal.models.agents import Agent, CalendarAccount
from opencal.models.availability import Availability, Schedule
from opencal.models.base import Base
from opencal.models.bookings import Attendee, Booking, BookingHost, BookingReference, BookingSeat, SlotReservation
from opencal.models.event_types import EventType, EventTypePrivateLink, Host
from opencal.models.identity import ApiKey, AppSecret, Membership, Team, User
from opencal.models.org_resources import (
    Attribute,
    AttributeAssignment,
    AttributeOption,
    DelegationCredential,
    OutOfOffice,
    RoutingForm,
    RoutingFormResponse,
)
from opencal.models.organizations import ManagedOrganization, Role, RolePermission, TeamInvite
from opencal.models.phone_calls import AIPhoneCallConfiguration
from opencal.models.platform import OAuthClient, PlatformToken
from opencal.models.webhooks import Webhook, WebhookAttempt, WebhookDelivery, WebhookEvent

__all__ = [
    "AIPhoneCallConfiguration",
    "Agent",
    "ApiKey",
    "AppSecret",
    "Attendee",
    "Attribute",
    "AttributeAssignment",
    "AttributeOption",
    "Availability",
    "Base",
    "Booking",
    "BookingHost",
    "BookingReference",
    "BookingSeat",
    "CalendarAccount",
    "DelegationCredential",
    "EventType",
    "EventTypePrivateLink",
    "Host",
    "ManagedOrganization",
    "Membership",
    "OAuthClient",
    "OutOfOffice",
    "PlatformToken",
    "Role",
    "RolePermission",
    "RoutingForm",
    "RoutingFormResponse",
    "Schedule",
    "SlotReservation",
    "Team",
    "TeamInvite",
    "User",
    "Webhook",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookEvent",
]
