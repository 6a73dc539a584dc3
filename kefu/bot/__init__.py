"""The answer engine: a typed, in-memory pipeline over one knowledge-base version.

Importing this package is cheap: the models (jieba, OpenCC, the embedding model, scikit-learn)
load on first use. Public entry points: `build_engine`, `load_engine`, `Engine.answer`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kefu.bot.types import (
    Candidate,
    Decision,
    DecisionKind,
    EngineSettings,
    FaqDoc,
    Language,
    Sentiment,
    StageTiming,
)

if TYPE_CHECKING:
    from kefu.bot.engine import Engine, build_engine, load_engine

__all__ = [
    "Candidate",
    "Decision",
    "DecisionKind",
    "Engine",
    "EngineSettings",
    "FaqDoc",
    "Language",
    "Sentiment",
    "StageTiming",
    "build_engine",
    "load_engine",
]

_LAZY = {"Engine", "build_engine", "load_engine"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from kefu.bot import engine

        return getattr(engine, name)
    raise AttributeError(f"module 'kefu.bot' has no attribute {name!r}")
