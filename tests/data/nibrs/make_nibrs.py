"""Write the NIBRS golden extracts (run from anywhere: python tests/data/nibrs/make_nibrs.py).

Small made-up state-year extracts in the two CDE layouts, with the column names CDE documents:
2016-2020 (lower-case file names; nibrs_offense.offense_type_id joined through nibrs_offense_type) and 2021
on (upper-case file names; NIBRS_OFFENSE.offense_code). Every good variant holds the same incidents, so it
must give the same rows; each bad variant breaks one thing. Zips are written with a fixed timestamp, so
running this again gives the same bytes.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

HERE = Path(__file__).parent
STAMP = (2024, 1, 1, 0, 0, 0)

INCIDENT = (
    "data_year,agency_id,incident_id,nibrs_month_id,cargo_theft_flag,submission_date,incident_date,"
    "report_date_flag,incident_hour,cleared_except_id,cleared_except_date,incident_status,data_home,orig_format,did"
)
OFFENSE_LEGACY = (
    "data_year,offense_id,incident_id,offense_type_id,attempt_complete_flag,location_id,num_premises_entered,"
    "method_entry_code"
)
OFFENSE_CURRENT = (
    "data_year,offense_id,incident_id,offense_code,attempt_complete_flag,location_id,num_premises_entered,"
    "method_entry_code"
)
TYPE_LEGACY = "offense_type_id,offense_code,offense_name,crime_against,ct_flag,hc_flag,hc_code,offense_category_name,offense_group"
TYPE_CURRENT = "offense_code,offense_name,crime_against,ct_flag,hc_flag,hc_code,offense_category_name,offense_group"
MONTH = (
    "data_year,nibrs_month_id,agency_id,month_num,reported_status,report_date,update_flag,orig_format,data_home,"
    "ddocname,did,month_pub_status"
)
AGENCIES = (
    "yearly_agency_id,agency_id,data_year,ori,legacy_ori,ucr_agency_name,ncic_agency_name,pub_agency_name,"
    "pub_agency_unit,agency_status,state_id,state_name,state_abbr,state_postal_abbr,agency_type_name,population,"
    "population_group_code,population_group_desc,county_name,msa_name,publishable_flag,participated,nibrs_participated"
)
TYPES = [  # offense_type_id, code, name, against, category
    (27, "13A", "Aggravated Assault", "Person", "Assault Offenses"),
    (58, "40A", "Prostitution", "Society", "Prostitution Offenses"),
    (59, "40B", "Assisting or Promoting Prostitution", "Society", "Prostitution Offenses"),
    (60, "40C", "Purchasing Prostitution", "Society", "Prostitution Offenses"),
    (61, "64A", "Human Trafficking, Commercial Sex Acts", "Person", "Human Trafficking Offenses"),
    (62, "64B", "Human Trafficking, Involuntary Servitude", "Person", "Human Trafficking Offenses"),
]
CODE_ID = {code: i for i, code, *_ in TYPES}
# incident_id, agency_id, date, dated by report date, offense codes (a code twice: two offense rows)
INCIDENTS = [
    (1, 101, "2020-01-05", False, ["64A", "40A"]),
    (2, 101, "2020-01-05", False, ["40A", "40A"]),
    (3, 101, "2020-02-29", True, ["40C"]),
    (4, 102, "2020-01-31", False, ["64B"]),
    (5, 102, "2020-02-10", False, ["40B"]),  # February not submitted by 102: not counted
    (6, 101, "2019-12-30", False, ["40A"]),  # an older incident reported in 2020: not counted
    (7, 101, "2020-03-15", False, ["13A"]),
    (8, 102, "2020-03-01", False, ["40B"]),
    (9, 103, "2020-01-10", False, ["40A"]),  # 103 submitted no month: not counted
]
MONTHS = [(101, 1), (101, 2), (101, 3), (102, 1), (102, 3)]
AGENCY_ROWS = [  # agency_id, ori, name, type, county, group code, group
    (101, "TX9990100", "Test City Police Department", "City", "TRAVIS", "1C", "Cities from 250,000 thru 499,999"),
    (102, "TX9990200", "Test County Sheriff's Office", "County", "HAYS", "8B", "Non-MSA counties 25,000 thru 99,999"),
    (103, "TX9990300", "Test Town Police Department", "City", "TRAVIS", "5", "Cities from 10,000 thru 24,999"),
]
MONTH_NAMES = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]


def _date(iso: str, style: str) -> str:
    year, month, day = iso.split("-")
    if style == "oracle":
        return f"{day}-{MONTH_NAMES[int(month) - 1]}-{year[2:]}"
    return iso + (" 00:00:00" if style == "timestamp" else "")


def tables(*, layout: str, dates: str = "iso", flags: tuple[str, str] = ("N", "Y"), **breaks) -> dict[str, str]:
    """The extract's tables as text (name -> CSV), with ``breaks`` overriding one thing for a bad variant."""
    no, yes = flags
    incident = [INCIDENT]
    for incident_id, agency, iso, by_report, _ in INCIDENTS:
        date = breaks.get("date", {}).get(incident_id, _date(iso, dates))
        flag = breaks.get("flag", {}).get(incident_id, yes if by_report else no)
        incident.append(f"2020,{agency},{incident_id},{9000 + incident_id},N,2020-04-01,{date},{flag},10,6,,,C,F,1")
    offense = [OFFENSE_LEGACY if layout == "legacy" else OFFENSE_CURRENT]
    number = 0
    for incident_id, _, _, _, codes in INCIDENTS:
        for code in codes:
            number += 1
            kind = breaks.get("type_id", {}).get(number, CODE_ID[code]) if layout == "legacy" else code
            offense.append(f"2020,{500 + number},{incident_id},{kind},C,13,,")
    if layout == "legacy":
        types = [TYPE_LEGACY] + [f'{i},{c},"{n}",{a},N,N,,{g},A' for i, c, n, a, g in TYPES]
    else:
        types = [TYPE_CURRENT] + [f'{c},"{n}",{a},N,N,,{g},A' for _, c, n, a, g in TYPES]
    month = [MONTH]
    for agency, number in breaks.get("months", MONTHS):
        month.append(f"2020,{agency * 100 + number},{agency},{number},I,2020-04-15,N,F,C,x,1,0")
    agencies = [AGENCIES]
    for agency, ori, name, kind, county, code, group in AGENCY_ROWS:
        state = breaks.get("state", "TX")
        agencies.append(
            f'{agency},{agency},2020,{ori},{ori},"{name}","{name}","{name}",,A,48,Texas,{state},{state},{kind},'
            f'50000,{code},"{group}",{county},,Y,Y,Y'
        )
    names = {
        "legacy": (
            "nibrs_incident.csv",
            "nibrs_offense.csv",
            "nibrs_offense_type.csv",
            "nibrs_month.csv",
            "agencies.csv",
        ),
        "current": (
            "NIBRS_incident.csv",
            "NIBRS_OFFENSE.csv",
            "NIBRS_OFFENSE_TYPE.csv",
            "NIBRS_month.csv",
            "agencies.csv",
        ),
    }[layout]
    result = dict(zip(names, ["\n".join(t) + "\n" for t in (incident, offense, types, month, agencies)], strict=True))
    for name in breaks.get("drop", ()):
        result.pop(name)
    return result


def _shout(text: str, *, crlf: bool, bom: bool) -> str:
    """Upper-case headers, CRLF line ends and a BOM, as a re-saved extract may have them."""
    head, _, rest = text.partition("\n")
    text = head.upper() + "\n" + rest
    if crlf:
        text = text.replace("\n", "\r\n")
    return ("\ufeff" if bom else "") + text


def write_zip(path: Path, files: dict[str, str], *, folder: str = "") -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            info = zipfile.ZipInfo(f"{folder}{name}", STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode("utf-8"))


def write_folder(path: Path, files: dict[str, str]) -> None:
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    for name, text in files.items():
        (path / name).write_bytes(text.encode("utf-8"))


def main() -> None:
    good, bad = HERE / "good", HERE / "bad"
    for folder in (good, bad):
        folder.mkdir(exist_ok=True)
    write_zip(good / "TX-2020-legacy.zip", tables(layout="legacy"), folder="TX/")
    write_folder(good / "TX-2020-legacy-unpacked", tables(layout="legacy"))
    write_zip(good / "TX-2020-current.zip", tables(layout="current", dates="timestamp", flags=("F", "T")))
    shouted = {
        ("cde_agencies.csv" if n == "agencies.csv" else n): _shout(t, crlf=True, bom=True)
        for n, t in tables(layout="current", dates="oracle", flags=("", "R")).items()
    }
    write_zip(good / "TX-2020-current-resaved.zip", shouted, folder="TX-2020/")
    cases = {
        "missing_month.zip": tables(layout="current", drop=("NIBRS_month.csv",)),
        "no_offense_type_table.zip": tables(layout="legacy", drop=("nibrs_offense_type.csv",)),
        "unknown_offense_type.zip": tables(layout="legacy", type_id={3: 999}),
        "bad_incident_date.zip": tables(layout="current", date={4: "2020-02-30"}),
        "bad_flag.zip": tables(layout="current", flag={2: "maybe"}),
        "bad_month.zip": tables(layout="current", months=[*MONTHS, (101, 13)]),
        "agency_not_listed.zip": tables(layout="current", months=[*MONTHS, (104, 1)]),
        "unknown_state.zip": tables(layout="current", state="ZZ"),
        "not_nibrs.zip": {"readme.txt": "not an extract\n"},
    }
    for name, files in cases.items():
        write_zip(bad / name, files)
    twice = {f"TX/{n}": t for n, t in tables(layout="current").items()}
    twice |= {f"OK/{n}": t for n, t in tables(layout="current").items()}
    write_zip(bad / "two_states.zip", twice)


if __name__ == "__main__":
    main()
