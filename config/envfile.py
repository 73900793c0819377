"""Write the local `.env` that `make run` needs: DEBUG on and a generated secret key.

`python -m config.envfile [PATH]` creates PATH (default: `.env` beside manage.py) when it
does not exist and leaves an existing one alone, so a developer's own settings and the
key (and with it their sessions) survive every `make run`. The file is readable by its
owner only: it holds a secret. Imports nothing from Django, since settings read the file.
"""

import os
import secrets
import sys
from pathlib import Path

DEFAULT_PATH = Path(__file__).resolve().parent.parent / ".env"

TEMPLATE = """\
# Local development settings, written by `make run` (config/envfile.py); never commit.
# Variables set in the environment win over these. Production sets its own variables.
DEBUG=1
SECRET_KEY={key}
"""


def write_env_file(path: Path = DEFAULT_PATH) -> bool:
    """Create `path` with DEBUG=1 and a fresh key; False when it already existed."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        # token_urlsafe: letters, digits, - and _ only, so no quoting is ever needed.
        handle.write(TEMPLATE.format(key=secrets.token_urlsafe(50)))
    return True


def main(argv: list[str]) -> int:
    path = Path(argv[0]) if argv else DEFAULT_PATH
    if write_env_file(path):
        print(f"Wrote {path} (DEBUG=1, a generated SECRET_KEY) for local development.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
