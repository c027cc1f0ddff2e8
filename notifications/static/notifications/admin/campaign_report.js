// Refreshes the counts of a campaign that is still sending (notifications/admin/campaign_report.html).
(function () {
  const report = document.querySelector(".push-report");
  async function refresh() {
    const response = await fetch(report.dataset.progressUrl, { credentials: "same-origin" });
    const data = await response.json();
    if (!data.campaigns.length) { window.location.reload(); return; }
    for (const campaign of data.campaigns) {
      const row = report.querySelector('[data-campaign="' + campaign.pk + '"]');
      if (!row) continue;
      for (const field of ["targeted", "sent", "failed", "deactivated", "skipped"]) {
        row.querySelector('[data-field="' + field + '"]').textContent = campaign[field];
      }
      const done = campaign.targeted ? Math.round(100 * (campaign.sent + campaign.failed + campaign.skipped) / campaign.targeted) : 0;
      row.querySelector("progress").value = done;
    }
    window.setTimeout(refresh, 1000);
  }
  window.setTimeout(refresh, 1000);
})();
