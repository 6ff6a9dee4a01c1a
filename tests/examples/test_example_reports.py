"""A team's KPI job reads campaign results from reports_manager.php; its test creates the
activity through the same API (a campaign, its records, the dialer following the fake's clock)
and reads it back, as the job would in production."""

from datetime import UTC, datetime

from wolkvox_mock.contracts import WolkvoxClient

# --- the team's application code -------------------------------------------------------


def answer_rate(wolkvox: WolkvoxClient, campaign_id: str, day: str) -> float:
    """The share of a campaign's dials of ``day`` (YYYYmmdd) a person answered."""
    rows = [
        row
        for window in wolkvox.report_range(
            "campaign_3", start=f"{day}000000", end=f"{day}235959", campaign_id=campaign_id
        )
        for row in window.typed()
    ]
    return sum(row.result == "answer" for row in rows) / len(rows) if rows else 0.0


# --- the team's tests -------------------------------------------------------------------


def test_the_answer_rate_of_a_days_dials(wolkvox, wolkvox_client):
    wolkvox.clock.freeze(datetime(2026, 11, 30, 14, 0, tzinfo=UTC))  # 09:00 in Bogota
    campaign = wolkvox_client.create_campaign(
        type_campaign="predictive", campaign_name="Ventas", skill_id="1"
    )
    records = [{"customer_id": f"c{n}", "tel1": f"300{n:07d}"} for n in range(100)]
    wolkvox_client.add_record(type_campaign="predictive", campaign_id=campaign.campaign_id, records=records)
    wolkvox_client.start(campaign_id=campaign.campaign_id)
    wolkvox.clock.advance(60)  # speed 100: one call every 0.6 s, all 100 dialled

    rate = answer_rate(wolkvox_client, campaign.campaign_id, "20261130")

    assert 0.2 < rate < 0.6  # the fake's dialer answers about 40 % (docs/campaigns.md)
    assert answer_rate(wolkvox_client, campaign.campaign_id, "20261129") == 0.0
