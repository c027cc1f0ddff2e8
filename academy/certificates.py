"""The certificate of attendance ("Teilnahmebescheinigung") as a PDF, drawn with reportlab."""

import io

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from django.utils import formats, timezone
from django.utils.translation import gettext as _


def certificate_pdf(*, data: dict) -> bytes:
    """Render ``selectors.certificate_data`` as a one-page A4 PDF."""
    registration, course, sessions = data["registration"], data["course"], data["sessions"]
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    width, height = A4
    pdf.setTitle(_("Teilnahmebescheinigung"))
    pdf.setFont("Helvetica-Bold", 24)
    pdf.drawCentredString(width / 2, height - 50 * mm, _("Teilnahmebescheinigung"))
    pdf.setFont("Helvetica", 14)
    pdf.drawCentredString(width / 2, height - 70 * mm, registration.person_name)
    pdf.drawCentredString(width / 2, height - 80 * mm, _("hat teilgenommen am Kurs"))
    pdf.setFont("Helvetica-Bold", 16)
    pdf.drawCentredString(width / 2, height - 92 * mm, course.title)
    pdf.setFont("Helvetica", 12)
    y = height - 110 * mm
    pdf.drawString(30 * mm, y, _("Besuchte Termine:"))
    for session in sessions:
        y -= 7 * mm
        pdf.drawString(35 * mm, y, formats.date_format(timezone.localtime(session.start), "DATE_FORMAT"))
    pdf.drawString(30 * mm, 40 * mm, _("Digitalakademie der Stadt Norderstedt"))
    pdf.drawString(30 * mm, 33 * mm, formats.date_format(timezone.localdate(), "DATE_FORMAT"))
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
