"""Write the incident-list golden files (run from anywhere: python tests/data/incidents/make_incidents.py).

The same ten made-up incidents as each portal exports them, with the columns the portals document (Los
Angeles "Crime Data from 2020 to Present", San Francisco "Police Department Incident Reports", Chicago
"Crimes", Seattle "SPD Crime Data" and "Call Data", New Orleans "Calls for Service") and a tip-line list
with its own column names. Between 2024-01-01 and 2024-01-10: prostitution on 01-02 (one incident in two
rows, and another) and 01-07, human trafficking on 01-04 and 01-07 (the 01-07 incident also has a
prostitution row), other offenses on the first and last day, and one row with a blank date.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

HERE = Path(__file__).parent
OTHER, PROSTITUTION, TRAFFICKING = "other", "prostitution", "trafficking"
# id, date, hour, minute, kind, area
INCIDENTS = [
    (1001, "2024-01-01", 8, 15, OTHER, "Mission"),
    (1002, "2024-01-02", 23, 50, PROSTITUTION, "Mission"),
    (1002, "2024-01-02", 23, 50, PROSTITUTION, "Mission"),
    (1003, "2024-01-02", 1, 0, PROSTITUTION, "Tenderloin"),
    (1004, "2024-01-04", 12, 0, TRAFFICKING, "Central"),
    (1005, "", 0, 0, PROSTITUTION, "Mission"),
    (1006, "2024-01-07", 0, 0, PROSTITUTION, "Mission"),
    (1007, "2024-01-07", 18, 30, TRAFFICKING, "Mission"),
    (1007, "2024-01-07", 18, 30, PROSTITUTION, "Mission"),
    (1008, "2024-01-10", 9, 0, OTHER, "Central"),
]
VALUES = {  # portal -> kind -> category value as that portal writes it
    "sfpd": {
        OTHER: "Larceny Theft",
        PROSTITUTION: "Prostitution",
        TRAFFICKING: "Human Trafficking (A), Commercial Sex Acts",
    },
    "lapd": {
        OTHER: "THEFT PLAIN - PETTY ($950 & UNDER)",
        PROSTITUTION: "PIMPING",
        TRAFFICKING: "HUMAN TRAFFICKING - COMMERCIAL SEX ACTS",
    },
    "chicago": {OTHER: "THEFT", PROSTITUTION: "PROSTITUTION", TRAFFICKING: "HUMAN TRAFFICKING"},
    "seattle": {
        OTHER: "Theft From Building",
        PROSTITUTION: "Prostitution",
        TRAFFICKING: "Human Trafficking, Commercial Sex Acts",
    },
    "seattle911": {
        OTHER: "--THEFT - ALL OTHER",
        PROSTITUTION: "--VICE - PROSTITUTION",
        TRAFFICKING: "--VICE - HUMAN TRAFFICKING",
    },
    "nola": {OTHER: "THEFT", PROSTITUTION: "PROSTITUTION", TRAFFICKING: "HUMAN TRAFFICKING"},
    "tipline": {OTHER: "other", PROSTITUTION: "commercial sex tip", TRAFFICKING: "trafficking tip"},
}


def categories(portal: str) -> str:
    """The --categories option that maps this portal's values to the two metrics."""
    v = VALUES[portal]
    return f"{v[PROSTITUTION]}=prostitution,{v[TRAFFICKING]}=ht_commercial_sex"


def _ampm(hour: int, minute: int, second: bool = True) -> str:
    h12 = hour % 12 or 12
    return f"{h12:02d}:{minute:02d}{':00' if second else ''} {'AM' if hour < 12 else 'PM'}"


def _us(iso: str, *, pad: bool = True) -> str:
    if not iso:
        return ""
    year, month, day = iso.split("-")
    return f"{month}/{day}/{year}" if pad else f"{int(month)}/{int(day)}/{year}"


def _csv(rows: list[list[str]], *, delimiter: str = ",", quote_all: bool = False, crlf: bool = False) -> str:
    buffer = io.StringIO()
    writer = csv.writer(
        buffer,
        delimiter=delimiter,
        quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL,
        lineterminator="\r\n" if crlf else "\n",
    )
    writer.writerows(rows)
    return buffer.getvalue()


SF_HEADER = [
    "Incident Datetime", "Incident Date", "Incident Time", "Incident Year", "Incident Day of Week", "Report Datetime",
    "Row ID", "Incident ID", "Incident Number", "CAD Number", "Report Type Code", "Report Type Description",
    "Filed Online", "Incident Code", "Incident Category", "Incident Subcategory", "Incident Description",
    "Resolution", "Intersection", "CNN", "Police District", "Analysis Neighborhood", "Supervisor District",
    "Supervisor District 2012", "Latitude", "Longitude", "Point",
]  # fmt: skip


def sfpd(*, excel: bool = False, description: str = "Solicits prostitute") -> list[list[str]]:
    rows = [SF_HEADER]
    for row_id, (ident, iso, hour, minute, kind, area) in enumerate(INCIDENTS, start=1):
        if excel:  # what a spreadsheet writes back: no leading zeros, 24-hour time
            date = _us(iso, pad=False)
            stamp = f"{date} {hour}:{minute:02d}" if iso else ""
        else:
            date = iso.replace("-", "/")
            stamp = f"{date} {_ampm(hour, minute)}" if iso else ""
        rows.append(
            [stamp, date, f"{hour:02d}:{minute:02d}" if iso else "", iso[:4], "", stamp, f"{ident}{row_id:02d}",
             str(ident), str(240000000 + ident), "", "II", "Initial", "", "16010",
             VALUES["sfpd"][kind], "", description, "Open or Active", "MISSION ST \\ 16TH ST", "", area, "Mission",
             "9", "9", "37.76", "-122.42", "POINT (-122.42 37.76)"]
        )  # fmt: skip
    return rows


LA_HEADER = [
    "DR_NO",
    "Date Rptd",
    "DATE OCC",
    "TIME OCC",
    "AREA",
    "AREA NAME",
    "Rpt Dist No",
    "Part 1-2",
    "Crm Cd",
    "Crm Cd Desc",
    "Mocodes",
    "Vict Age",
    "Vict Sex",
    "Vict Descent",
    "Premis Cd",
    "Premis Desc",
    "Weapon Used Cd",
    "Weapon Desc",
    "Status",
    "Status Desc",
    "Crm Cd 1",
    "Crm Cd 2",
    "Crm Cd 3",
    "Crm Cd 4",
    "LOCATION",
    "Cross Street",
    "LAT",
    "LON",
]


def lapd() -> list[list[str]]:
    rows = [LA_HEADER]
    for ident, iso, hour, minute, kind, area in INCIDENTS:
        day = f"{_us(iso)} 12:00:00 AM" if iso else ""
        rows.append(
            [str(240100000 + ident), day, day, f"{hour:02d}{minute:02d}", "1", area, "0101", "2", "922",
             VALUES["lapd"][kind], "0913 1814", "30", "F", "H", "101", "STREET", "", "", "IC", "Invest Cont", "922",
             "", "", "", "100 MAIN ST", "", "34.05", "-118.25"]
        )  # fmt: skip
    return rows


CHICAGO_HEADER = [
    "ID",
    "Case Number",
    "Date",
    "Block",
    "IUCR",
    "Primary Type",
    "Description",
    "Location Description",
    "Arrest",
    "Domestic",
    "Beat",
    "District",
    "Ward",
    "Community Area",
    "FBI Code",
    "X Coordinate",
    "Y Coordinate",
    "Year",
    "Updated On",
    "Latitude",
    "Longitude",
    "Location",
]


def chicago() -> list[list[str]]:
    rows = [CHICAGO_HEADER]
    for ident, iso, hour, minute, kind, area in INCIDENTS:
        stamp = f"{_us(iso)} {_ampm(hour, minute)}" if iso else ""
        rows.append(
            [str(13000000 + ident), f"JH{ident}", stamp, "001XX W MADISON ST", "1515", VALUES["chicago"][kind],
             "SOLICIT ON PUBLIC WAY", "STREET", "true", "false", "0111", area, "42", "32", "16", "1176000", "1900000",
             "2024", "01/15/2024 03:40:59 PM", "41.88", "-87.63", "(41.88, -87.63)"]
        )  # fmt: skip
    return rows


SEATTLE_HEADER = [
    "Report Number",
    "Offense ID",
    "Offense Start DateTime",
    "Offense End DateTime",
    "Report DateTime",
    "Group A B",
    "Crime Against Category",
    "Offense Parent Group",
    "Offense",
    "Offense Code",
    "Precinct",
    "Sector",
    "Beat",
    "MCPP",
    "100 Block Address",
    "Longitude",
    "Latitude",
]


def seattle() -> list[list[str]]:
    rows = [SEATTLE_HEADER]
    for ident, iso, hour, minute, kind, area in INCIDENTS:
        stamp = f"{_us(iso)} {_ampm(hour, minute)}" if iso else ""
        rows.append(
            [f"2024-{ident}", str(ident), stamp, "", stamp, "A", "SOCIETY", "PROSTITUTION OFFENSES",
             VALUES["seattle"][kind], "40A", area, "E", "E2", "CAPITOL HILL", "1XX BLOCK OF PIKE ST", "-122.33", "47.61"]
        )  # fmt: skip
    return rows


SEATTLE_911_HEADER = [
    "CAD Event Number",
    "Event Clearance Description",
    "Call Type",
    "Priority",
    "Initial Call Type",
    "Final Call Type",
    "Original Time Queued",
    "Arrived Time",
    "Precinct",
    "Sector",
    "Beat",
]


def seattle911() -> list[list[str]]:
    rows = [SEATTLE_911_HEADER]
    for ident, iso, hour, minute, kind, area in INCIDENTS:
        stamp = f"{_us(iso)} {_ampm(hour, minute)}" if iso else ""
        final = VALUES["seattle911"][kind]
        rows.append([f"2024{ident:08d}", "REPORT WRITTEN", "911", "3", final, final, stamp, stamp, area, "E", "E2"])
    return rows


NOLA_HEADER = [
    "NOPD_Item",
    "Type",
    "TypeText",
    "Priority",
    "InitialType",
    "InitialTypeText",
    "InitialPriority",
    "MapX",
    "MapY",
    "TimeCreate",
    "TimeDispatch",
    "TimeArrive",
    "TimeClosed",
    "Disposition",
    "DispositionText",
    "SelfInitiated",
    "Beat",
    "BLOCK_ADDRESS",
    "Zip",
    "PoliceDistrict",
    "Location",
]


def nola() -> list[list[str]]:
    rows = [NOLA_HEADER]
    for ident, iso, hour, minute, kind, area in INCIDENTS:
        stamp = f"{iso}T{hour:02d}:{minute:02d}:00.000" if iso else ""
        text = VALUES["nola"][kind]
        rows.append(
            [f"A{ident:07d}24", "40", text, "1A", "40", text, "1A", "3680000", "530000", stamp, stamp, stamp, stamp,
             "RTF", "REPORT TO FOLLOW", "N", "1E01", "001XX Bourbon St", "70112", area, "POINT (-90.07 29.95)"]
        )  # fmt: skip
    return rows


def tipline() -> list[list[str]]:
    rows = [["Case", "Received", "Kind", "Taken by"]]
    for ident, iso, hour, minute, kind, _ in INCIDENTS:
        rows.append([f"T-{ident}", f"{iso} {hour:02d}:{minute:02d}" if iso else "", VALUES["tipline"][kind], "desk"])
    return rows


def write(path: Path, text: str, *, encoding: str = "utf-8") -> None:
    path.write_bytes(text.encode(encoding))


def main() -> None:
    good, bad = HERE / "good", HERE / "bad"
    good.mkdir(exist_ok=True)
    bad.mkdir(exist_ok=True)
    write(good / "sfpd_incident_reports.csv", _csv(sfpd()))
    excel = sfpd(excel=True)
    order = [14, 1, 7, 20, 0] + [i for i in range(len(SF_HEADER)) if i not in (14, 1, 7, 20, 0)]
    excel = [[row[i] for i in order] for row in excel]
    write(good / "sfpd_excel_semicolon_bom_crlf.csv", "\ufeff" + _csv(excel, delimiter=";", crlf=True))
    latin = [[c for i, c in enumerate(row) if i != 1] for row in sfpd(description='Café, "solicits"\nsecond line')]
    write(good / "sfpd_datetime_only_latin1_tab.tsv", _csv(latin, delimiter="\t", quote_all=True), encoding="cp1252")
    blank_lines = _csv(sfpd()).splitlines(keepends=True)
    write(good / "sfpd_blank_lines.csv", "".join(blank_lines[:3] + ["\n", "\n"] + blank_lines[3:]))
    write(good / "lapd_crime_data_2020_present.csv", _csv(lapd()))
    write(good / "chicago_crimes.csv", _csv(chicago(), quote_all=True))
    write(good / "seattle_spd_crime_data.csv", _csv(seattle()))
    write(good / "seattle_call_data.csv", _csv(seattle911()))
    write(good / "nola_calls_for_service.csv", _csv(nola()))
    write(good / "tipline.csv", _csv(tipline()))

    plain = sfpd()
    bad_date = [row[:] for row in plain]
    bad_date[4][1] = "2024/13/45"
    write(bad / "bad_date.csv", _csv(bad_date))
    day_first = [["Received", "Kind"], ["13/01/2024", "tip"], ["14/01/2024", "tip"]]
    write(bad / "day_first.csv", _csv(day_first))
    write(bad / "header_only.csv", _csv([SF_HEADER]))
    write(bad / "no_category.csv", _csv([["Date", "Count"], ["2024-01-01", "3"]]))
    long_range = [["Date", "Category"], ["1900-01-01", "placeholder"]]
    long_range += [[f"2024-01-{1 + i % 28:02d}", f"offense {i}"] for i in range(80)]
    write(bad / "long_range.csv", _csv(long_range))
    too_many = _csv(plain).splitlines(keepends=True)
    too_many[3] = too_many[3].replace("Mission,Mission", "Mission,Mission, extra", 1)
    write(bad / "too_many_fields.csv", "".join(too_many))
    write(bad / "utf16.csv", _csv(tipline()), encoding="utf-16")
    write(bad / "tipline.csv", _csv(tipline()))


if __name__ == "__main__":
    main()
