"""Staff-facing German for the reasons controllers and the bridge give in English.

The protocol's reasons are English (docs/locker_protocol.md): firmware is written
from it and its logs are read by technicians. Staff read them on the Wagtail
admin's locker and rentals screens, in German; a reason not listed here (a staff
note, a new firmware's text) is shown as it is.
"""

from django.utils.translation import gettext_lazy as _

REASONS = {
    "no acknowledgement in time": _("keine Antwort der Anlage in der Zeit"),
    "PIN revoked before it was sent": _("PIN zurückgezogen, bevor sie gesendet wurde"),
    "expires_at has passed": _("Befehl kam nach Ablauf seiner Frist an"),
    "already handled": _("schon ausgeführt"),
    "unknown compartment": _("dieses Fach gibt es an der Anlage nicht"),
    "latch did not release": _("Schloss hat nicht ausgelöst"),
    "bad signature": _("Unterschrift ungültig"),
}
PREFIXES = {"invalid command: ": _("ungültiger Befehl (%(detail)s)")}


def reason_display(reason: str) -> str:
    if reason in REASONS:
        return str(REASONS[reason])
    for prefix, text in PREFIXES.items():
        if reason.startswith(prefix):
            return str(text) % {"detail": reason.removeprefix(prefix)}
    return reason
