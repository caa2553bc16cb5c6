"""Type stubs of the engine (Rust, PyO3). Use the `boardroom` package's
functions, which call these and read their JSON answers exactly."""

from typing import Any

VERSION: str

class Structure:
    name: str
    warnings: str
    @property
    def title(self) -> str: ...
    @property
    def variants(self) -> list[str]: ...
    def variant(self, id: str) -> Structure: ...
    def state(self, as_of: str | None = None) -> tuple[str, str]: ...
    def replay(self, against: list[str] = ..., absent: list[str] = ...) -> tuple[str, str]: ...
    def control(self, as_of: str | None = None, senior_official_fallback: bool = False) -> tuple[str, str]: ...
    def block(self, event: str, group: list[str]) -> tuple[str, str]: ...
    def power(
        self,
        body: str,
        decision: str,
        subject: str | None = None,
        as_of: str | None = None,
        indices: list[str] = ...,
        coalitions: bool = False,
        limit: int = 20,
        approx: int | None = None,
        seed: int = 1,
        can_block: list[str] = ...,
    ) -> tuple[str, str]: ...
    def waterfall(
        self,
        amount: str | None = None,
        entity: str | None = None,
        as_of: str | None = None,
        cumulative_to: str | None = None,
        compare: bool = False,
    ) -> tuple[str, str]: ...
    def lookthrough(self, as_of: str | None = None) -> tuple[str, str]: ...
    def diff(self, start: str, end: str) -> tuple[str, str]: ...
    def graph(self, as_of: str | None = None, format: str = "json") -> str: ...
    def report(self, as_of: str | None = None, format: str = "json") -> str: ...
    def to_bods(self) -> str: ...
    def to_toml(self) -> str: ...

def load(name: str, text: str) -> Structure: ...
def scenarios() -> list[str]: ...
def scenario_text(id: str) -> str: ...
def schema(name: str) -> str: ...
def power_weights(
    quota: int,
    weights: list[int],
    names: list[str] = ...,
    indices: list[str] = ...,
    coalitions: bool = False,
    limit: int = 20,
    approx: int | None = None,
    seed: int = 1,
    can_block: list[str] = ...,
) -> tuple[str, str]: ...
def analyse(
    bods: str | None = None,
    gleif: str | None = None,
    lei: str | None = None,
    repex: str | None = None,
    as_of: str | None = None,
    strict: bool = False,
    max_statement_bytes: int = ...,
    max_cycle_steps: int = ...,
    senior_official_fallback: bool = False,
) -> tuple[Any, str]: ...
def analyse_structure(structure: Structure, as_of: str | None = None) -> tuple[Any, str]: ...
def spark_bucket(
    lines: list[int],
    texts: list[str],
    routed: list[str | None],
    as_of: str | None = None,
    senior_official_fallback: bool = False,
) -> tuple[list[str], list[str]]: ...
