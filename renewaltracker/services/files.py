"""Private, atomic file writes for the front ends (drafts, exports): the storage layer's one helper."""

from renewaltracker.storage.files import private_folder, write_private

__all__ = ["private_folder", "write_private"]
