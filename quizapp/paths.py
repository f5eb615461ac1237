"""The one place that resolves where quizapp reads and writes.

Resolution order for the data/config root:
1. an explicit override set by ``--home DIR`` (:func:`set_home`),
2. the ``QUIZAPP_HOME`` environment variable,
3. the platformdirs user data / config dirs.

Nothing here creates a directory at import time; callers that write ask for
:func:`ensure_dir` on the path they need.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "quizapp"
DB_FILENAME = "progress.sqlite3"

_home_override: Path | None = None


def set_home(path: str | os.PathLike[str] | None) -> None:
    """Override the data/config root for this process (the ``--home`` option)."""
    global _home_override
    _home_override = Path(path).expanduser().resolve() if path is not None else None


def home() -> Path | None:
    """The explicit root (``--home`` or ``QUIZAPP_HOME``), or None for platform dirs."""
    if _home_override is not None:
        return _home_override
    env = os.environ.get("QUIZAPP_HOME")
    if env:
        return Path(env).expanduser().resolve()
    return None


def data_dir() -> Path:
    """Where progress lives."""
    root = home()
    if root is not None:
        return root
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    """Where settings and user decks live."""
    root = home()
    if root is not None:
        return root
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def db_path() -> Path:
    """The single SQLite progress file."""
    return data_dir() / DB_FILENAME


def config_file() -> Path:
    """The user's settings file (TOML)."""
    return config_dir() / "config.toml"


def user_content_dir() -> Path:
    """User decks: every ``*.toml`` below this folder is loaded beside the shipped ones."""
    return config_dir() / "decks"


def shipped_content_dir() -> Path:
    """The decks that ship with quizapp.

    In a wheel they are packaged as ``quizapp/_content``; in a source checkout they
    are the repository's ``content/`` folder.
    """
    packaged = Path(__file__).resolve().parent / "_content"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "content"


def ensure_dir(path: Path) -> Path:
    """Create ``path`` (and parents) when something is about to be written there.

    Folders it creates are private (0700): progress and settings are personal. An
    existing folder keeps its mode.
    """
    missing = []
    folder = path
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for folder in reversed(missing):
        folder.mkdir(mode=0o700, exist_ok=True)
    return path
