"""Draft templates: the shipped ones in resources/templates, overridden by the user's copies, rendered in a sandbox."""

from __future__ import annotations

import functools
import logging
import re
import sys
import time
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib.abc import Traversable
from pathlib import Path
from types import FrameType
from typing import Any

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FunctionLoader,
    StrictUndefined,
    TemplateNotFound,
    TemplateSyntaxError,
)
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from renewaltracker.assets import resource
from renewaltracker.domain.languages import ENGLISH
from renewaltracker.i18n import _
from renewaltracker.storage.files import private_folder, write_private
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

# A draft is a short email: far below these, and a template that passes them is stuck in a loop or a bomb.
MAX_OUTPUT_CHARS = 200_000
RENDER_SECONDS = 2.0
MAX_NUMBER_BITS = 4096
# A template may name only flat file names from its two folders: no folders, no "..", no absolute paths.
_SAFE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")


class TemplateLimitError(RuntimeError):
    """A template ran too long or produced too much text: rendering stopped."""


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


def _safe_name(name: str) -> bool:
    """Only a plain template file name ("cancel.txt.j2"): `/etc/passwd`, `../x` and `/proc/…` are never loaded."""
    return bool(_SAFE_NAME.fullmatch(name)) and ".." not in name and name.endswith(SUFFIX)


def _safe_folder(name: str) -> bool:
    """A language folder's name: two or three letters ("de", "fr"), never a path."""
    return name.isascii() and name.isalpha() and name.islower() and 2 <= len(name) <= 3


def _shipped_loader(root: Traversable) -> FunctionLoader:
    def load(name: str) -> tuple[str, str, Callable[[], bool]] | None:
        if not _safe_name(name):
            return None
        node = root / name
        if not node.is_file():
            return None
        return node.read_text(encoding="utf-8"), SHIPPED_PREFIX + name, lambda: True

    return FunctionLoader(load)


def _user_loader(folder: Path) -> FunctionLoader:
    def load(name: str) -> tuple[str, str, Callable[[], bool]] | None:
        if not _safe_name(name):
            return None
        path = folder / name
        # A symbolic link out of the folder would read any file the user can: only files inside it count.
        if not path.is_file() or path.resolve().parent != folder.resolve():
            return None
        mtime = path.stat().st_mtime
        return path.read_text(encoding="utf-8"), str(path), lambda: path.is_file() and path.stat().st_mtime == mtime

    return FunctionLoader(load)


class LimitedSandbox(SandboxedEnvironment):
    """Jinja's sandbox, plus bounds on the sizes an expression can ask for ('x' * 10**9, center(10**9), 9**9**9)."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        numbers = isinstance(left, int) and isinstance(right, int)
        if operator == "**" and numbers and abs(left) > 1 and right * abs(left).bit_length() > MAX_NUMBER_BITS:
            raise SecurityError(_("the number would be too large for a template"))
        if operator == "*":
            for sequence, count in ((left, right), (right, left)):
                sized = isinstance(sequence, str | list | tuple) and isinstance(count, int)
                if sized and len(sequence) * count > MAX_OUTPUT_CHARS:
                    raise SecurityError(
                        _("the text would exceed {max_output_chars} characters").format(
                            max_output_chars=MAX_OUTPUT_CHARS
                        )
                    )
        return super().call_binop(context, operator, left, right)

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        # Filters are called directly by the compiled template, not through call(): bound their numbers too.
        self.filters = {name: _bounded(function) for name, function in self.filters.items()}

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        _check_numbers(args, kwargs)
        return super().call(__context, __obj, *args, **kwargs)


def _check_numbers(args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> None:
    """A width or count far beyond any email ("x"|center(10**9)) would allocate gigabytes before any check runs."""
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_OUTPUT_CHARS:
            raise SecurityError(_("the number {value} is too large for a template").format(value=value))


def _bounded(function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)  # keeps Jinja's pass_context/pass_environment marks
    def bounded(*args: Any, **kwargs: Any) -> Any:
        _check_numbers(args, kwargs)
        return function(*args, **kwargs)

    return bounded


class _OwnTemplatesOnly(BaseLoader):
    """Refuses, with a reason, any name that is not a plain template file name before the folders are searched."""

    def __init__(self, inner: BaseLoader) -> None:
        self.inner = inner

    def get_source(self, environment: Environment, template: str) -> tuple[str, str | None, Callable[[], bool] | None]:
        if not _safe_name(template):
            raise TemplateNotFound(
                template,
                _(
                    "cannot include {template!r}: templates may include only the shipped templates and files "
                    "named *{suffix} in your templates folder"
                ).format(template=template, suffix=SUFFIX),
            )
        return self.inner.get_source(environment, template)


def _environment(loader: ChoiceLoader | FunctionLoader) -> SandboxedEnvironment:
    return LimitedSandbox(
        loader=_OwnTemplatesOnly(loader),
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
        self._language_envs: dict[str, tuple[SandboxedEnvironment, SandboxedEnvironment]] = {}

    def _environments(self, language: str) -> tuple[SandboxedEnvironment, SandboxedEnvironment]:
        """(shipped, user) environments for a letter language: its own folder first, English as the fallback,
        so a template not (yet) translated is still written; a user's copy in <lang>/ overrides that language's."""
        if language == ENGLISH or not _safe_folder(language):
            return self._shipped_env, self._user_env
        if language not in self._language_envs:
            shipped = [_shipped_loader(self.shipped / language), _shipped_loader(self.shipped)]
            user = [_user_loader(self.user_dir / language), shipped[0], _user_loader(self.user_dir), shipped[1]]
            self._language_envs[language] = (_environment(ChoiceLoader(shipped)), _environment(ChoiceLoader(user)))
        return self._language_envs[language]

    def prepare(self, language: str = ENGLISH) -> None:
        """Compile the templates a letter in `language` renders, ahead of the first draft (the window does this on a
        worker: compiling them took a first draft 25 ms of the GUI thread). Jinja keeps them compiled."""
        shipped_env, user_env = self._environments(language)
        environments = [shipped_env, user_env] if self.overridden(language) else [shipped_env]
        for env in environments:
            for name in self.names():
                try:
                    env.get_template(name)
                # A broken user copy is reported when a draft renders it (and the shipped one used): not here.
                except Exception:
                    log.debug("template %s in %s not compiled ahead", name, language, exc_info=True)

    def names(self) -> list[str]:
        """The shipped template names, e.g. "cancel.txt.j2" (partials start with "_")."""
        return sorted(node.name for node in self.shipped.iterdir() if node.name.endswith(SUFFIX))

    def languages(self) -> list[str]:
        """The letter languages with a folder of shipped templates, English (the top folder) first."""
        folders = sorted(node.name for node in self.shipped.iterdir() if node.is_dir() and _safe_folder(node.name))
        return [ENGLISH, *folders]

    def overridden(self, language: str = ENGLISH) -> list[str]:
        """The names the user has an own copy of (for `language`: in its folder, or English ones)."""
        folders = [self.user_dir] if language == ENGLISH else [self.user_dir / language, self.user_dir]
        return [name for name in self.names() if any((folder / name).is_file() for folder in folders)]

    def write_reference_copies(self) -> Path:
        """Refresh read-only-by-convention copies of the shipped templates in `user_dir/shipped`, to copy from."""
        folder = self.user_dir / REFERENCE_FOLDER
        private_folder(self.user_dir, own=True)
        private_folder(folder, own=True)
        for name in self.names():
            write_private(folder / name, (self.shipped / name).read_bytes())
        for language in self.languages()[1:]:
            private_folder(folder / language, own=True)
            for node in (self.shipped / language).iterdir():
                if node.name.endswith(SUFFIX):
                    write_private(folder / language / node.name, node.read_bytes())
        readme = self.user_dir / "README.txt"
        if not readme.exists():
            write_private(readme, USER_README.encode("utf-8"))
        return folder

    def copy_to_user_dir(self, name: str) -> Path:
        """Put an editable copy of a shipped template in the user's folder (an existing copy is kept)."""
        target = self.user_dir / name
        if not target.exists():
            write_private(target, (self.shipped / name).read_bytes())
        return target

    def render(
        self,
        name: str,
        context: Mapping[str, Any],
        check: Callable[[str], object] | None = None,
        language: str = ENGLISH,
    ) -> tuple[str, list[TemplateProblem]]:
        """Render `name` in `language`; `check` may raise ValueError to reject the result (it then counts as
        broken)."""
        shipped_env, user_env = self._environments(language)
        if not self.overridden(language):
            return self._render(shipped_env, name, context, check), []
        try:
            return self._render(user_env, name, context, check), []
        # A user's template is untrusted input: whatever it raises (1/0, 1 + "a") means it is broken.
        except Exception as error:
            filename, line = _locate(error)
            template = filename if filename and not filename.startswith(SHIPPED_PREFIX) else str(self.user_dir / name)
            problem = TemplateProblem(template, line, _describe(error))
            log.warning("%s", problem)
        return self._render(shipped_env, name, context, check), [problem]

    @staticmethod
    def _render(
        env: SandboxedEnvironment, name: str, context: Mapping[str, Any], check: Callable[[str], object] | None
    ) -> str:
        text = render_bounded(env, name, context)
        if check is not None:
            check(text)
        return text


def _describe(error: Exception) -> str:
    message = getattr(error, "message", None) or str(error) or type(error).__name__
    return " ".join(str(message).split())


def render_bounded(
    env: SandboxedEnvironment, name: str, context: Mapping[str, Any], seconds: float | None = None
) -> str:
    """Render with a time limit and an output cap; TemplateLimitError when either is reached.

    Loops in a template may print nothing, so the clock is checked on every line the template's own compiled
    code runs (a trace function limited to template frames), not only between output chunks.
    """
    seconds = RENDER_SECONDS if seconds is None else seconds
    template = env.get_template(name)
    deadline = time.monotonic() + seconds
    template_files = {"<template>"}

    def on_line(frame: FrameType, event: str, _arg: Any) -> Any:
        if event == "line" and time.monotonic() > deadline:
            raise TemplateLimitError(
                _("rendering took longer than {seconds:g} seconds (an endless or huge loop?)").format(seconds=seconds)
            )
        return on_line

    def on_call(frame: FrameType, _event: str, _arg: Any) -> Any:
        filename = frame.f_code.co_filename
        return on_line if filename in template_files or filename.endswith(SUFFIX) else None

    previous = sys.gettrace()
    sys.settrace(on_call)
    try:
        parts: list[str] = []
        size = 0
        for chunk in template.generate(**context):
            size += len(chunk)
            if size > MAX_OUTPUT_CHARS:
                raise TemplateLimitError(
                    _("the text is longer than {max_output_chars} characters").format(max_output_chars=MAX_OUTPUT_CHARS)
                )
            parts.append(chunk)
        return "".join(parts)
    finally:
        sys.settrace(previous)
