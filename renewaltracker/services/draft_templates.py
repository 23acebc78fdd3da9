"""Draft templates: the shipped ones in resources/templates, overridden by the user's copies, rendered in a sandbox."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib.abc import Traversable
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, FunctionLoader, StrictUndefined, TemplateSyntaxError
from jinja2.sandbox import SandboxedEnvironment

from renewaltracker.assets import resource
from renewaltracker.storage.paths import config_dir

log = logging.getLogger(__name__)
SUFFIX = ".txt.j2"
SHIPPED_PREFIX = "shipped template "
REFERENCE_FOLDER = "shipped"
USER_README = """Your own copies of Renewal Tracker's email templates go in this folder.

The "shipped" folder holds the templates that come with the app (refreshed each time the app opens this
folder; edits there are lost). Copy one of them up into this folder, for example cancel.txt.j2, and edit
the copy: it is then used instead of the shipped one. The first line must be "Subject: ...". If your copy
has a mistake, the app names the file and line, and uses the shipped template until you fix it.
Delete your copy to go back to the shipped text.
"""


@dataclass(frozen=True, slots=True)
class TemplateProblem:
    """A user template that failed; the shipped one was used instead."""

    template: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.template}, line {self.line}" if self.line else self.template
        return f"the template {where} is broken ({self.message}); the shipped template was used instead"


def user_template_dir() -> Path:
    return config_dir() / "templates"


def _shipped_loader(root: Traversable) -> FunctionLoader:
    def load(name: str) -> tuple[str, str, Callable[[], bool]] | None:
        node = root / name
        if not node.is_file():
            return None
        return node.read_text(encoding="utf-8"), SHIPPED_PREFIX + name, lambda: True

    return FunctionLoader(load)


def _user_loader(folder: Path) -> FunctionLoader:
    def load(name: str) -> tuple[str, str, Callable[[], bool]] | None:
        path = folder / name
        if not path.is_file():
            return None
        mtime = path.stat().st_mtime
        return path.read_text(encoding="utf-8"), str(path), lambda: path.is_file() and path.stat().st_mtime == mtime

    return FunctionLoader(load)


def _environment(loader: ChoiceLoader | FunctionLoader) -> SandboxedEnvironment:
    return SandboxedEnvironment(
        loader=loader,
        undefined=StrictUndefined,
        autoescape=False,  # plain-text email, not HTML
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=lambda value: "" if value is None else value,
    )


def _locate(error: Exception) -> tuple[str | None, int | None]:
    """The template file and line an error came from: Jinja rewrites tracebacks to point into templates."""
    if isinstance(error, TemplateSyntaxError):
        return error.filename or error.name, error.lineno
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if frame.filename.endswith(SUFFIX):
            return frame.filename, frame.lineno
    return None, None


class TemplateLibrary:
    """Renders a named template; a broken user copy is reported and the shipped template used instead."""

    def __init__(self, user_dir: Path | None = None, shipped: Traversable | None = None) -> None:
        self.user_dir = user_dir if user_dir is not None else user_template_dir()
        self.shipped = shipped if shipped is not None else resource("templates")
        self._shipped_env = _environment(_shipped_loader(self.shipped))
        self._user_env = _environment(ChoiceLoader([_user_loader(self.user_dir), _shipped_loader(self.shipped)]))

    def names(self) -> list[str]:
        """The shipped template names, e.g. "cancel.txt.j2" (partials start with "_")."""
        return sorted(node.name for node in self.shipped.iterdir() if node.name.endswith(SUFFIX))

    def overridden(self) -> list[str]:
        """The names the user has an own copy of."""
        return [name for name in self.names() if (self.user_dir / name).is_file()]

    def write_reference_copies(self) -> Path:
        """Refresh read-only-by-convention copies of the shipped templates in `user_dir/shipped`, to copy from."""
        folder = self.user_dir / REFERENCE_FOLDER
        folder.mkdir(parents=True, exist_ok=True)
        for name in self.names():
            (folder / name).write_text((self.shipped / name).read_text(encoding="utf-8"), encoding="utf-8")
        readme = self.user_dir / "README.txt"
        if not readme.exists():
            readme.write_text(USER_README, encoding="utf-8")
        return folder

    def copy_to_user_dir(self, name: str) -> Path:
        """Put an editable copy of a shipped template in the user's folder (an existing copy is kept)."""
        target = self.user_dir / name
        if not target.exists():
            self.user_dir.mkdir(parents=True, exist_ok=True)
            target.write_text((self.shipped / name).read_text(encoding="utf-8"), encoding="utf-8")
        return target

    def render(
        self, name: str, context: Mapping[str, Any], check: Callable[[str], object] | None = None
    ) -> tuple[str, list[TemplateProblem]]:
        """Render `name`; `check` may raise ValueError to reject the result (it then counts as broken)."""
        if not self.overridden():
            return self._render(self._shipped_env, name, context, check), []
        try:
            return self._render(self._user_env, name, context, check), []
        # A user's template is untrusted input: whatever it raises (1/0, 1 + "a") means it is broken.
        except Exception as error:
            filename, line = _locate(error)
            template = filename if filename and not filename.startswith(SHIPPED_PREFIX) else str(self.user_dir / name)
            problem = TemplateProblem(template, line, _describe(error))
            log.warning("%s", problem)
        return self._render(self._shipped_env, name, context, check), [problem]

    @staticmethod
    def _render(
        env: SandboxedEnvironment, name: str, context: Mapping[str, Any], check: Callable[[str], object] | None
    ) -> str:
        text = env.get_template(name).render(**context)
        if check is not None:
            check(text)
        return text


def _describe(error: Exception) -> str:
    message = getattr(error, "message", None) or str(error) or type(error).__name__
    return " ".join(str(message).split())
