"""Errors a user can cause and fix. The CLI turns these into exit code 2 and a message, never a traceback."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Problem:
    """One thing wrong with an input, located as precisely as the input allows."""

    message: str
    line: int | None = None
    column: str | None = None

    def render(self, file_name: str) -> str:
        where = file_name
        if self.line is not None:
            where += f" line {self.line}"
        if self.column:
            where += f", column '{self.column}'"
        return f"{where}: {self.message}"


class UserError(Exception):
    """Bad input or a bad request: the message says what is wrong and how to fix it."""

    exit_code = 2


@dataclass
class InputRejected(UserError):
    """A file was rejected as a whole; nothing was written."""

    file_name: str
    problems: list[Problem]
    bad_rows: int = 0
    rows_read: int = 0
    shown: int = 5
    extra: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__init__(self.render())

    def render(self) -> str:
        if self.bad_rows:
            head = (
                f"{self.file_name}: {self.bad_rows} bad row{'s' if self.bad_rows != 1 else ''} "
                f"of {self.rows_read}; nothing was added. "
            )
            if len(self.problems) == 1:  # one problem: one line, like every other error
                return f"{head}The problem: {self.problems[0].render(self.file_name)}"
            head += "First problems:"
            lines = [head] + ["  " + p.render(self.file_name) for p in self.problems[: self.shown]]
            if len(self.problems) > self.shown:
                lines.append(f"  ... and {len(self.problems) - self.shown} more problems")
            return "\n".join(lines)
        return "\n".join(p.render(self.file_name) for p in self.problems[: self.shown])


class StoreBusy(UserError):
    """Another process held the store for longer than we were willing to wait."""

    exit_code = 3


class StoreMissing(UserError):
    """A command that only reads was pointed at a store that does not exist (nothing is created)."""
