"""Names vulture reports as unused that are used by a framework; each group says who reads them.

Vulture only parses this file. `.ci/run` passes it with renewaltracker, tests and benchmarks, so code that
only tests use counts as used; anything unused everywhere must be deleted or listed here with a reason.
"""

# ruff: noqa
_ = object()

# Alembic reads these module variables and calls downgrade() from each revision script.
_.down_revision
_.branch_labels
_.depends_on
_.downgrade

# SQLAlchemy's TypeDecorator protocol: class attributes and hooks it looks up on storage/types.py's types.
_.impl
_.cache_ok
_.process_bind_param
_.process_result_value
_.dialect  # a parameter the protocol passes that our types do not need

# Qt virtual overrides and slot signatures: Qt calls them, and the parameters are fixed by Qt.
_.paint  # ui/contact_log.py's item delegate
_.filterAcceptsRow  # ui/subscription_model.py's proxy
_.source_parent
_.deselected  # QItemSelectionModel.selectionChanged(selected, deselected)

# ui/drafts.py: DraftsFeature is what the feature built, returned to the composition root; the field is its API.
_.contact_tab

# keyring reads a backend's priority (tests/conftest.py's in-memory keyring).
_.priority

# aiosmtpd calls the handler's handle_DATA and passes the auth mechanism (tests/mail_server.py).
_.handle_DATA
_.mechanism

# pytest: plugins and autouse fixtures found by name, and a fixture parameter taken for its side effect.
_.pytest_plugins
_.window_settings_in_tmp
_.no_unexpected_log_warnings
_.qapp
_.installed  # tests/ui/test_crash.py: a fixture taken for its side effect

# http.server.BaseHTTPRequestHandler hooks: the local rates server in tests/cli/test_household_cli.py.
_.do_GET
_.log_message
# Library hooks looked up by name: logging's RotatingFileHandler._open (logs.py), Jinja's sandbox
# intercepted_binops and call(__self, …) (services/draft_templates.py), a pytest fixture used by name.
_._open
_.formatException  # logging.Formatter hook (logs.py)
_.intercepted_binops
_.__self
_.open_umask
_.wide  # a pytest fixture used by name (tests/cli/test_help_language.py)
_.german_region  # a pytest fixture used by name (tests/ui/test_contact_log.py)
_.berlin  # a pytest fixture used by name (tests/test_docs_examples.py)
# Columns the repository reads by name from a result row's mapping (storage/repositories.py, _to_domain).
_.interval_count
_.interval_unit

# D-Bus calls and reads these on benchmarks/tray_host.py's StatusNotifierWatcher (Qt's tray icon, over the bus).
_.RegisterStatusNotifierItem
_.RegisterStatusNotifierHost
_.RegisteredStatusNotifierItems
_.IsStatusNotifierHostRegistered
_.ProtocolVersion

# Module-level __getattr__ (PEP 562): Python calls it for a name the module has not defined yet
# (domain/subscription.py `Charge`, domain/subscription_fields.py `FIELD_TYPES`, defined when first asked for).
_.__getattr__

# _strptime.LocaleTime's month tables, which strptime reads (tests/domain/test_exchange.py stands in a German one).
_.f_month
_.a_month
