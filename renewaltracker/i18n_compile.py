"""Compiles gettext catalogues (.po → .mo) with Babel; standalone (no package imports), so setup.py's build
hook can load it before the package is installed."""

from __future__ import annotations

from pathlib import Path

DOMAIN = "renewaltracker"


def compile_catalogue(po_file: Path, mo_file: Path) -> None:
    """Write the binary catalogue gettext reads; fuzzy entries are left out, as msgfmt does."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po_file.open("rb") as source:
        catalog = read_po(source, locale=po_file.parent.parent.name, domain=DOMAIN)
    mo_file.parent.mkdir(parents=True, exist_ok=True)
    temporary = mo_file.with_suffix(".mo.tmp")
    with temporary.open("wb") as target:
        write_mo(target, catalog)
    temporary.replace(mo_file)


def compile_all(locale_dir: Path, target_dir: Path | None = None) -> list[Path]:
    """Compile every <lang>/LC_MESSAGES/*.po below `locale_dir` into `target_dir` (default: beside each .po)."""
    written = []
    for po_file in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
        mo_file = (target_dir or locale_dir) / po_file.relative_to(locale_dir).with_suffix(".mo")
        compile_catalogue(po_file, mo_file)
        written.append(mo_file)
    return written
