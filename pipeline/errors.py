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
