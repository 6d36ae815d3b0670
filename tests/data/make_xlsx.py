"""Write the .xlsx golden inputs (run once: ``.venv/bin/python tests/data/make_xlsx.py``; the files are committed).

Each workbook holds the same content as a CSV variant next to it, kept the way people keep spreadsheets:
title rows, real numbers and dates in cells, a second sheet, a percent format.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import openpyxl

HERE = Path(__file__).parent


def _book(path: Path, sheets: dict[str, list[list]], percent_columns: tuple[int, ...] = ()) -> None:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for column in percent_columns:
            for (cell,) in sheet.iter_rows(min_col=column, max_col=column):
                if isinstance(cell.value, float):
                    cell.number_format = "0.00%"
    book.properties.created = book.properties.modified = datetime(2024, 1, 1)
    book.save(path)


def main() -> None:
    header = ["State", "Signals received", "% of total signals", "Cases identified", "% of total cases"]
    _book(
        HERE / "hotline_table" / "good" / "copy.xlsx",
        {
            "Statistics": [
                ["Signals and cases by State in 2024"],
                header,
                ["California", 3378, 0.1046, 1734, 0.1512],
                ["Texas", 2418, 0.0749, 1360, 0.1186],
                ["Washington, D.C.", 135, 0.0042, 55, 0.0048],
                ["Guam", 0, 0.0, 0, 0.0],
                ["Puerto Rico", 8, 0.0002, 10, 0.0009],
                ["U.S. Virgin Islands", 0, 0.0, 0, 0.0],
                ["Northern Marianas Islands", 0, 0.0, 0, 0.0],
                ["Total", 5939, 0.1839, 3159, 0.2755],
                [],
                ["Signals and cases by State in 2023"],
                header,
                ["California", 3101, 0.098, 1502, 0.14],
                ["Texas", 2373, 0.075, 900, 0.0839],
            ]
        },
        percent_columns=(3, 5),
    )
    cde = (HERE / "fbi_cde" / "good" / "plain.csv").read_text(encoding="utf-8").splitlines()
    import csv

    rows = list(csv.reader(cde))
    typed = [rows[0]] + [
        [int(c) if c.lstrip("-").isdigit() and i not in (1,) else c for i, c in enumerate(r)] for r in rows[1:]
    ]
    _book(HERE / "fbi_cde" / "good" / "cde.xlsx", {"HT_2019_2020": typed})
    census = list(csv.reader((HERE / "census" / "good" / "NST-EST2024-ALLDATA.csv").read_text().splitlines()))
    typed = [census[0]] + [[int(c) if c.isdigit() else c for c in r] for r in census[1:]]
    _book(HERE / "census" / "good" / "NST-EST2024-ALLDATA.xlsx", {"Sheet1": typed})
    _book(
        HERE / "wide" / "good" / "tipline.xlsx",
        {
            "Read me": [["Tip line export, written for the tests"], ["The numbers are on the next sheet."]],
            "Tips by year": [
                ["Tip line: tips by state and year"],
                [],
                ["State", 2023, 2024, "Note"],
                ["Texas", 1204, 987.0, None],
                ["Florida", 0, 55, "café closed in 2023"],
                ["Washington, D.C.", 12, None, "suppressed"],
                ["Puerto Rico", 3, 4, None],
                ["Total", 1219, 1046, None],
            ],
        },
    )
    _book(
        HERE / "events" / "good" / "events.xlsx",
        {
            "Events": [
                ["Event ID", "Name", "Category", "Start date", "End date", "City", "State", "Venue", "Attendance"]
                + ["Attendance kind", "Date basis", "Source ID", "Other source IDs"],
                ["test-fest-2024", "Fiesta Señora, 2024", "festival", datetime(2024, 4, 18), datetime(2024, 4, 28)]
                + ["San Antonio", "Texas", "Alamo Plaza", 1200, "crowd", "stated", "test_events", None],
                ["test-game-2025", "Test Game", "sports", datetime(2025, 2, 9), datetime(2025, 2, 9)]
                + [
                    "New Orleans",
                    "LA",
                    "Test Dome",
                    65719.0,
                    "expected_visitors",
                    "stated",
                    "test_events",
                    "test_other",
                ],
            ]
        },
    )
    tidy = list(csv.reader((HERE / "tidy" / "good" / "plain.csv").read_text(encoding="utf-8").splitlines()))
    typed = [tidy[0]] + [[int(c) if c.isdigit() else c for c in r] for r in tidy[1:]]
    _book(HERE / "tidy" / "good" / "plain.xlsx", {"observations": typed})


if __name__ == "__main__":
    main()
