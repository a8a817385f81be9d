"""Write the OpenAPI document to openapi/openapi.json (or check that it is up to date with --check)."""

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "openapi" / "openapi.json"
# The document must not depend on the machine that generates it: no public URL, so the committed
# document names the relative server `/v1` and a client uses the host it was pointed at.
CANONICAL_UNSET = ("SLEUTELMONITOR_PUBLIC_URL",)


def render() -> str:
    for name in CANONICAL_UNSET:
        os.environ.pop(name, None)
    sys.path.insert(0, str(ROOT))
    from app.core.config import get_settings
    from app.main import create_app

    get_settings.cache_clear()
    return json.dumps(create_app().openapi(), indent=2, ensure_ascii=False) + "\n"


def main() -> int:
    document = render()
    if "--check" in sys.argv:
        if not TARGET.exists() or TARGET.read_text(encoding="utf-8") != document:
            print("openapi/openapi.json is out of date; run `make openapi`.", file=sys.stderr)
            return 1
        return 0
    TARGET.parent.mkdir(exist_ok=True)
    TARGET.write_text(document, encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
