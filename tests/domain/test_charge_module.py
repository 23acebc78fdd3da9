"""`Charge` lives in domain/charges.py and is still found where it always was (domain.subscription), defined
only when first asked for there (tests/ui/test_populated_imports.py: the first rows never ask)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from renewaltracker.domain import subscription
from renewaltracker.domain.charges import Charge


def test_the_old_name_is_the_class() -> None:
    from renewaltracker.domain.subscription import Charge as old_name

    assert old_name is Charge


def test_an_unknown_name_is_still_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'Charged'"):
        subscription.Charged  # noqa: B018 - the lookup is the test


def test_the_subscription_module_alone_defines_no_charge() -> None:
    code = "import sys, renewaltracker.domain.subscription; print('renewaltracker.domain.charges' in sys.modules)"
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert found.strip() == "False"
