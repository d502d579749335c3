"""What the preflight found: one :class:`Problem` per line of its report, in the knowledge loader's format."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Optional

ENVIRONMENT = "entorno"  # where an environment problem is reported


@dataclass(frozen=True)
class Problem:
    """One finding.  ``str()`` is ``file:line: clave 'key': problem`` (``entorno: ...`` for a variable)."""

    path: str  # the file as given, or ENVIRONMENT
    line: Optional[int]
    key: Optional[str]
    message: str
    warning: bool = False

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"clave '{self.key}': {self.message}" if self.key else self.message
        return f"{where}: {'aviso: ' if self.warning else ''}{text}"


@dataclass
class Report:
    problems: List[Problem] = field(default_factory=list)
    channels: List[str] = field(default_factory=list)  # name() of each configured channel
    cors_origins: List[str] = field(default_factory=list)

    @property
    def errors(self) -> List[Problem]:
        return [p for p in self.problems if not p.warning]

    @property
    def warnings(self) -> List[Problem]:
        return [p for p in self.problems if p.warning]

    @property
    def ok(self) -> bool:
        return not self.errors

    def environment(self, message: str, warning: bool = False) -> None:
        """A problem of the environment variables (no file, no line)."""
        self.problems.append(Problem(ENVIRONMENT, None, None, message, warning))

    def sort(self) -> None:
        """File by file, in the order first reported (credentials, endpoints, environment, knowledge), by line."""
        order: dict = {}
        for p in self.problems:
            order.setdefault(p.path, len(order))
        self.problems.sort(key=lambda p: (order[p.path], p.line or 0))


def summary(report: Report, credentials: str, endpoints: str) -> str:
    cors = ", ".join(report.cors_origins) if report.cors_origins else "sin cabeceras"
    notes = f", {len(report.warnings)} aviso(s)" if report.warnings else ""
    return (
        f"Configuración correcta: {credentials} (canales: {', '.join(report.channels)}), {endpoints}, "
        f"variables de entorno; CORS: {cors}{notes}."
    )
