"""Rows for export, in the same shape the import reads."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from kefu.knowledge import repository as repo


async def export_rows(session: AsyncSession, tenant_id: uuid.UUID) -> list[dict[str, str]]:
    names = {c.id: c.name for c in await repo.categories(session, tenant_id)}
    return [
        {
            "id": str(f.id),
            "category": names.get(f.category_id, "") if f.category_id else "",
            "question_zh": f.question_zh,
            "question_en": f.question_en,
            "similar_zh": "\n".join(f.similar_zh),
            "similar_en": "\n".join(f.similar_en),
            "answer_zh": f.answer_zh,
            "answer_en": f.answer_en,
            "tags": ",".join(f.tags),
            "enabled": "true" if f.enabled else "false",
            "valid_from": f.valid_from.isoformat() if f.valid_from else "",
            "valid_to": f.valid_to.isoformat() if f.valid_to else "",
        }
        for f in await repo.all_faqs(session, tenant_id)
    ]
