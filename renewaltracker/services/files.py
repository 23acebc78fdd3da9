"""Private, atomic file writes for the front ends (drafts, exports): the storage layer's one helper, and its check
that an output is not the database's own file."""

from renewaltracker.storage.files import private_folder, write_private
from renewaltracker.storage.paths import refuse_database_file

__all__ = ["private_folder", "refuse_database_file", "write_private"]
