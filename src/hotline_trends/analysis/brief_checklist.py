"""What a planner should collect before an event, from whom, and in which layout the product reads it.

Each item names the data, who holds it, what it measures, the file layout ``ingest`` (or the monitor)
reads, and the command that brings it in. The host's own place names fill in the blanks; nothing here
is a number.
"""

from __future__ import annotations

TIDY = "tidy CSV: dataset,region,period_start,period_end,metric,value[,source_id,reliability,note], one row a period"
DAILY = "date,count: a header line 'date,count', then one line per day (a blank count is missing, not zero)"


def checklist(*, state: str, city: str, police: list[str], start: str) -> list[dict]:
    """The collection checklist for a host (``police``: names of the host's police agencies in the store)."""
    agencies = ", ".join(police) if police else f"the police of {city} and its county"
    return [
        {
            "what": "Daily tip-line or task-force log counts (one count a day, from a year before the event)",
            "from": "your task force or the agency running the tip line",
            "measures": "help-seeking (who called), not prevalence",
            "layout": DAILY,
            "how": "hotline-trends monitor --file tips.csv --from " + start + " (or upload it on the Monitor page)",
        },
        {
            "what": f"Hotline signals for {state} by day or week (at least the year before and the event weeks)",
            "from": "the National Human Trafficking Hotline operator (a data request; the public record is "
            "state x year only)",
            "measures": "help-seeking: calls, texts, chats, webforms, emails about the state",
            "layout": TIDY + f"; dataset nhth, region {state}, metric signals",
            "how": "hotline-trends ingest hotline_" + state.lower() + ".csv --source-id <your request id>",
        },
        {
            "what": f"Police incident reports of {city} with a date and an offense category (prostitution, "
            "human trafficking), from two years before the event",
            "from": f"{agencies} (open-data portal export or a records request)",
            "measures": "enforcement: operations and stings make bursts of reports",
            "layout": "incidents export: one row per incident with a date (or date-time) and a category column "
            "(Los Angeles, San Francisco, Chicago, Seattle and New Orleans portal layouts are recognised)",
            "how": "hotline-trends ingest incidents.csv --format incidents --region ori:<ORI> --categories "
            '"Prostitution=prostitution"',
        },
        {
            "what": f"NIBRS extracts of {state} for the years before the event (agencies in the host county)",
            "from": "FBI Crime Data Explorer, NIBRS state-year download",
            "measures": "enforcement: incidents by agency and day (64A, 64B, 40A-C)",
            "layout": "NIBRS zip as downloaded (or its folder), one state-year",
            "how": f"hotline-trends ingest {state}-<year>.zip",
        },
        {
            "what": "Counts of online sex ads for the host area by day (if a research partner collects them)",
            "from": "a university or NGO partner that scrapes ad sites",
            "measures": "ads: a proxy some studies use, not a count of victims",
            "layout": TIDY + f"; dataset ads, region {state}, metric ads, one row a day",
            "how": "hotline-trends ingest ads.csv --source-id <partner id>",
        },
        {
            "what": "Dates, venues and side events (fan fests, parties) of the event itself",
            "from": "the host committee's published schedule",
            "measures": "when to look: the window the analysis tests",
            "layout": "events CSV or XLSX (bundled events layout) or an iCalendar file",
            "how": "hotline-trends events add <id> --name <name> --start YYYY-MM-DD --state " + state,
        },
    ]
