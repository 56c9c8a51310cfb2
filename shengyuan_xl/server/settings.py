"""The server's settings: ``shengyuan serve``'s options, else the environment (``SHENGYUAN_…``),
else a ``.env`` file in the folder the server runs in (``.env.example`` lists them all),
else the defaults below. One class; read when the app is made, never at import."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict


class ServerSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="SHENGYUAN_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    db: str | None = None  # the central database (default: SHENGYUAN_DB, else ./shengyuan.db)
    campaign: str | None = None  # the campaign's key (default: the latest)
    public_url: str = ""  # how colleges reach the server: https://…, for links it hands out
    max_body_mb: float = 20.0  # a request body above this is refused (a workbook is ~1 MB)
    # requests without a token (校验 of a plain workbook, the counsellor's and secretary's
    # pages): smaller, and only so many at once per worker, so nobody can fill its memory
    anonymous_max_body_mb: float = 5.0
    anonymous_max_cells: int = 300_000  # of an upload or a payload (a college of 3,000: 93,000)
    anonymous_concurrency: int = 2
    busy_wait_seconds: float = 10.0  # how long a request waits for a free place before 429
    download_minutes: float = 60.0  # how long a generated file stays downloadable (kept in the db)

    @property
    def max_body_bytes(self) -> int:
        return int(self.max_body_mb * 1024 * 1024)

    @property
    def anonymous_max_body_bytes(self) -> int:
        return int(min(self.anonymous_max_body_mb, self.max_body_mb) * 1024 * 1024)
