"""The threshold policy: answer, clarify ("did you mean") or fall back."""

from __future__ import annotations

from kefu.bot.types import Candidate, DecisionKind, EngineSettings


def route(candidates: tuple[Candidate, ...], settings: EngineSettings) -> DecisionKind:
    """Answer when the best candidate is confident enough, clarify when it is plausible."""
    if not candidates:
        return "fallback"
    best = candidates[0].score
    if best >= settings.answer_threshold:
        return "answer"
    if best >= settings.clarify_threshold:
        return "clarify"
    return "fallback"
