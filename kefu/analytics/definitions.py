"""What each metric means, shown next to it in reports (both languages)."""

from __future__ import annotations

DEFINITIONS: dict[str, tuple[str, str, str]] = {
    # key: (unit, en, zh); unit: count | ratio | seconds | score | rate
    "conversations": ("count", "Conversations started in the period", "期间内新建的会话数"),
    "messages": ("count", "Messages from contacts, agents and the bot (notes excluded)", "客户、客服与机器人发送的消息数（不含内部备注）"),
    "self_service_rate": ("ratio", "Conversations the bot resolved without a person ÷ all conversations", "机器人独立解决的会话 ÷ 全部会话"),
    "transfer_to_human_rate": ("ratio", "Bot conversations handed to the queue ÷ bot conversations", "机器人会话中转人工的比例"),
    "bot_coverage": ("ratio", "Bot turns answered from the knowledge base ÷ bot turns on questions", "机器人用知识库直接回答的轮次 ÷ 提问轮次"),
    "clarify_rate": ("ratio", "Bot turns that asked “did you mean” ÷ bot turns on questions", "机器人反问“您是不是想问”的轮次 ÷ 提问轮次"),
    "service_level": ("ratio", "Queued conversations answered by an agent within T seconds ÷ all queued (abandoned included); T per tenant, default 20", "排队后 T 秒内被客服应答的会话 ÷ 全部排队会话（含放弃）；T 按租户设置，默认 20 秒"),
    "asa": ("seconds", "Average wait from queueing to the first agent reply", "从排队到客服首次回复的平均等待时长"),
    "abandonment_rate": ("ratio", "Queued conversations the contact left before an answer ÷ all queued", "排队中客户放弃的会话 ÷ 全部排队会话"),
    "first_response_time": ("seconds", "Average time from assignment to the agent's first reply", "从分配到客服首次回复的平均时长"),
    "handle_time": ("seconds", "Average time from assignment to resolution", "从分配到解决的平均处理时长"),
    "resolution_time": ("seconds", "Average time from the first message to resolution", "从首条消息到解决的平均时长"),
    "csat": ("score", "Average satisfaction rating (1–5)", "平均满意度评分（1–5）"),
    "qa_score": ("score", "Average quality-inspection score (0–100, overrides applied)", "平均质检得分（0–100，以复核分为准）"),
    "tickets_created": ("count", "Tickets created in the period (merged ones excluded)", "期间内新建的工单数（不含被合并的工单）"),
    "tickets_solved": ("count", "Tickets marked solved in the period", "期间内解决的工单数"),
    "tickets_breached": ("count", "Tickets whose first-response or resolution SLA was breached in the period", "期间内首次响应或解决时限超时的工单数"),
    "contacts_per_10k_orders": ("rate", "Conversations ÷ orders posted for the days that start in the period × 10,000 (万求率)", "会话数 ÷ 期间内各天上报的订单数 × 10000（万求率）"),
}  # fmt: skip

LIVE_DEFINITIONS: dict[str, tuple[str, str, str]] = {
    "waiting": ("count", "Conversations waiting in the queue now", "当前排队等待的会话数"),
    "longest_wait": ("seconds", "How long the longest-waiting conversation has waited", "等待最久的会话已等待的时长"),
    "service_level": ("ratio", "Of the conversations queued in the last 30 minutes whose outcome is known, the share answered within T seconds", "最近 30 分钟排队且已有结果的会话中，T 秒内被应答的比例"),
}  # fmt: skip
