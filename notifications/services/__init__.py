"""Writes for notifications: subscriptions, campaigns, the fan-out and personal notices.

Other apps call these functions with the text to send; ``notifications`` never
imports them. The public names below are stable (other apps and tasks use them).
"""

from notifications.services.campaigns import campaign_create_for_page
from notifications.services.email import campaign_emails_send, email_digest_send, email_subscriptions_set
from notifications.services.fanout import campaign_chunk_send, deliveries_due_release
from notifications.services.notices import personal_notice_deliver, personal_notice_send
from notifications.services.planning import campaign_plan
from notifications.services.subscriptions import (
    preferences_save,
    subscription_link_user,
    subscription_register,
    subscription_unregister,
    subscription_update,
)
from notifications.services.vapid import vapid_keys_ensure

__all__ = [
    "campaign_chunk_send",
    "campaign_create_for_page",
    "campaign_emails_send",
    "campaign_plan",
    "deliveries_due_release",
    "email_digest_send",
    "email_subscriptions_set",
    "personal_notice_deliver",
    "personal_notice_send",
    "preferences_save",
    "subscription_link_user",
    "subscription_register",
    "subscription_unregister",
    "subscription_update",
    "vapid_keys_ensure",
]
