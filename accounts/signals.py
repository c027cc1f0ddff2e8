"""Receivers: every user gets a profile."""

from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver

from accounts.services import profile_ensure


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="accounts_profile_ensure")
def user_saved(sender, instance, created, **kwargs):
    if created:
        profile_ensure(user=instance)
