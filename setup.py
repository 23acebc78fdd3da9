"""Compiles the translations (.po → .mo) whenever the package is built: wheels, sdists' builds and `pip install -e .`.

Everything else about the package is in pyproject.toml.
"""

from __future__ import annotations

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class BuildWithTranslations(build_py):
    """build_py, then the .mo files beside the .po ones: in the build folder, or in the checkout when editable."""

    def run(self) -> None:
        super().run()
        # Babel and the compiler are imported here: they are the package's own dependencies, installed by then
        # only in the build environment's requirements (pyproject's build-system.requires lists Babel).
        import importlib.util

        spec = importlib.util.spec_from_file_location("_i18n_compile", HERE / "renewaltracker" / "i18n_compile.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        source = HERE / "resources" / "locale"
        if getattr(self, "editable_mode", False):
            module.compile_all(source)
        else:
            module.compile_all(source, Path(self.build_lib) / "renewaltracker" / "resources" / "locale")


setup(cmdclass={"build_py": BuildWithTranslations})
