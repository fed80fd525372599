#!/usr/bin/env python3
"""Prints the kernel modules to load, dependencies first, for the modules
named on the command line: modules_for.py MODULES-DIR NAME...

Paths are relative to MODULES-DIR (a kernel package's lib/modules/VERSION);
modules built into the kernel (modules.builtin) are left out. Dependencies
come from each module's own .modinfo ("depends="), so no depmod is needed."""
import lzma
import re
import sys
from pathlib import Path


def norm(name: str) -> str:
    base = name.rsplit("/", 1)[-1]
    for ext in (".ko.xz", ".ko"):
        if base.endswith(ext):
            base = base[: -len(ext)]
    return base.replace("-", "_")


def depends(path: Path) -> list[str]:
    data = path.read_bytes()
    if path.name.endswith(".xz"):
        data = lzma.decompress(data)
    m = re.search(rb"(?:^|\0)depends=([^\0]*)\0", data)
    return [d for d in m.group(1).decode().split(",") if d] if m else []


def main() -> int:
    root = Path(sys.argv[1])
    path_of = {norm(p.name): p for p in root.rglob("*.ko*")}
    builtin_file = root / "modules.builtin"
    builtin = {norm(l) for l in builtin_file.read_text().split()} if builtin_file.exists() else set()
    order: list[str] = []

    def visit(name: str) -> None:
        key = norm(name)
        if key in builtin or key in order:
            return
        if key not in path_of:
            raise SystemExit(f"modules_for.py: no module {name} in {root}")
        for dep in depends(path_of[key]):
            visit(dep)
        order.append(key)

    for name in sys.argv[2:]:
        visit(name)
    for key in order:
        print(path_of[key].relative_to(root))
    return 0


if __name__ == "__main__":
    sys.exit(main())
