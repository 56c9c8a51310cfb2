"""The server's settings are documented where an administrator looks: every setting is in
.env.example, and a .env file in the server's folder is read."""

from __future__ import annotations

from pathlib import Path

from shengyuan_xl.server.settings import ServerSettings

EXAMPLE = Path(__file__).resolve().parents[1] / ".env.example"


def test_every_setting_is_in_the_example_file():
    text = EXAMPLE.read_text(encoding="utf-8")
    missing = [
        name for name in ServerSettings.model_fields if f"SHENGYUAN_{name.upper()}=" not in text
    ]
    assert missing == []


def test_a_dot_env_file_in_the_servers_folder_is_read(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SHENGYUAN_DOWNLOAD_MINUTES", raising=False)
    (tmp_path / ".env").write_text("SHENGYUAN_DOWNLOAD_MINUTES=15\n", encoding="utf-8")
    assert ServerSettings().download_minutes == 15
