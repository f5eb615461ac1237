"""The README's config.toml example is a file the app reads as written, time zone included
(usertest3 D6: the example lacked ``timezone``)."""

from __future__ import annotations

import re
from pathlib import Path

from quizapp.settings import load_scheduler_config

ROOT = Path(__file__).resolve().parents[2]


def _example() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```toml\n(.*?)```", text, re.S)
    (block,) = [b for b in blocks if b.startswith("[scheduling]")]
    return block


def test_the_readme_config_example_loads_with_its_time_zone(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(_example(), encoding="utf-8")
    config = load_scheduler_config(path)
    assert config.timezone == "Europe/Berlin"
    assert config.day_starts_at_hour == 4 and config.learn_ahead_minutes == 20
