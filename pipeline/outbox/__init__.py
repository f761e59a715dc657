"""Everything written into outbox/: safe files, the recap and status, archives and PDFs."""
