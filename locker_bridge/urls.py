"""Public routes of the locker bridge, mounted at /<lang>/schliessfach/.

The simulator page exists only where ``LOCKER_SIMULATOR_PAGE`` is True (dev
and test settings); production settings set it False, so it is not routed.
"""

from django.conf import settings
from django.urls import path

from locker_bridge import views

app_name = "locker_bridge"
urlpatterns: list = []

if getattr(settings, "LOCKER_SIMULATOR_PAGE", False):
    urlpatterns += [
        path("simulator/", views.simulator, name="simulator"),
        path("simulator/aktion/", views.simulator_action, name="simulator_action"),
    ]
