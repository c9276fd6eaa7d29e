"""Copy the front-end packages installed by `npm ci` into static_src/vendor (not committed)."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE = ROOT / "node_modules"
VENDOR = ROOT / "static_src" / "vendor"

COPIES = [
    (NODE / "@kern-ux/native/dist/kern.min.css", VENDOR / "kern/kern.min.css"),
    (NODE / "@kern-ux/native/dist/fonts/fira-sans.css", VENDOR / "kern/fonts/fira-sans.css"),
    (NODE / "@kern-ux/native/dist/fonts/fira-sans", VENDOR / "kern/fonts/fira-sans"),
    (NODE / "@kern-ux/native/LICENSE.md", VENDOR / "kern/LICENSE.md"),
    (NODE / "axe-core/axe.min.js", VENDOR / "axe/axe.min.js"),
]


def main() -> None:
    for source, target in COPIES:
        if not source.exists():
            raise SystemExit(f"missing {source}: run `npm ci` first")
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, dirs_exist_ok=True)
        else:
            shutil.copy2(source, target)
    print(f"assets copied to {VENDOR.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
