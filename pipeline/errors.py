"""The one exception hierarchy: raised only when the pipeline cannot continue."""

from __future__ import annotations


class PipelineError(Exception):
    """Something stops the whole run (not a problem in one request)."""


class RegisterError(PipelineError):
    """A register file cannot be opened or read at all."""


class SettingsError(PipelineError):
    """A setting (flag, SOP_PIPELINE_* variable, inbox/sop-pipeline.toml) has a value that cannot be used."""


class OutboxError(PipelineError):
    """The outbox cannot be written."""


class LinkError(OutboxError, OSError):
    """A link (symlink, junction) below outbox/ where a file or folder should be: never followed. An OSError
    too, so every place that reports a file it cannot write reports this one as well."""


class BusyError(PipelineError):
    """Another run holds the office-wide lock of outbox/ (see outbox/lock.py)."""
