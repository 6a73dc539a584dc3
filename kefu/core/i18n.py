"""Bilingual message catalogue (zh-CN / en) and language negotiation."""

from __future__ import annotations

from typing import Literal

Lang = Literal["zh-CN", "en"]

MESSAGES: dict[str, tuple[str, str]] = {
    # code: (en, zh-CN)
    "validation_error": ("Invalid input: {detail}", "输入无效：{detail}"),
    "not_found": ("{entity} not found", "未找到{entity}"),
    "unauthorized": ("Authentication required", "需要登录认证"),
    "invalid_credentials": ("Wrong email or password", "邮箱或密码错误"),
    "invalid_token": ("The token is invalid or has expired", "令牌无效或已过期"),
    "forbidden": ("You do not have permission to do this", "您没有执行此操作的权限"),
    "rate_limited": (
        "Too many attempts, try again in {retry_after} s",
        "尝试过于频繁，请在 {retry_after} 秒后重试",
    ),
    "portal_streams_limit": (
        "This ticket is open in too many pages; close one and try again in {retry_after} s",
        "此工单已在过多页面中打开，请关闭其中一个，{retry_after} 秒后重试",
    ),
    "illegal_transition": (
        "A conversation in state '{current}' cannot be {action}",
        "状态为「{current}」的会话不能执行「{action}」",
    ),
    "conversation_closed": ("The conversation is closed", "会话已关闭"),
    "message_too_long": (
        "The message is longer than {limit} characters",
        "消息超过 {limit} 个字符",
    ),
    "message_empty": ("The message is empty", "消息内容为空"),
    "identity_invalid": ("The identity signature is invalid", "身份签名无效"),
    "widget_key_invalid": ("Unknown widget key", "无效的挂件密钥"),
    "origin_not_allowed": (
        "This site is not allowed to use the widget",
        "该网站不允许使用聊天挂件",
    ),
    "email_taken": ("This email is already in use", "该邮箱已被使用"),
    "file_too_large": ("The file is larger than {limit} bytes", "文件超过 {limit} 字节"),
    "file_type_not_allowed": (
        "Files of type '{ext}' are not allowed",
        "不允许上传「{ext}」类型的文件",
    ),
    "assignee_invalid": (
        "The assignee is not an active agent of this tenant",
        "指派对象不是本租户的有效客服",
    ),
    "payload_too_large": ("The request body is too large", "请求体过大"),
    "internal_error": ("Internal error", "服务器内部错误"),
    "not_ready": ("Dependency unavailable: {detail}", "依赖服务不可用：{detail}"),
    "import_format": (
        "Upload a .csv (UTF-8) or .xlsx file",
        "请上传 .csv（UTF-8 编码）或 .xlsx 文件",
    ),
    "import_invalid": (
        "The file has {count} problems; nothing was imported",
        "文件中有 {count} 处错误，未导入任何内容",
    ),
    "import_not_date": ("Not an ISO date (2026-11-11)", "不是 ISO 日期（如 2026-11-11）"),
    "import_too_long": ("Longer than {limit} characters", "超过 {limit} 个字符"),
    "import_no_question": ("No question in Chinese or English", "缺少中文或英文标准问题"),
    "import_no_answer": ("The question has no answer in this language", "该语言的问题缺少答案"),
    "import_not_bool": ("Use true or false", "请填写 true 或 false"),
    "import_bad_id": ("Not an id from an export", "不是导出文件中的 id"),
    "import_too_many_rows": ("More than {limit} rows", "超过 {limit} 行"),
    "import_missing_column": ("Missing column", "缺少该列"),
    "import_no_rows": ("The file has no rows", "文件中没有数据行"),
    "category_not_empty": (
        "The category still has FAQs or subcategories",
        "该分类下仍有问答或子分类",
    ),
    "conflict": ("This conflicts with existing data", "与已有数据冲突"),
    "bad_request": ("Bad request", "请求有误"),
    "method_not_allowed": ("Method not allowed", "不支持该请求方法"),
    "shortcut_taken": ("This shortcut is already used", "该快捷指令已被使用"),
    "csat_not_resolved": (
        "The conversation can be rated once it is resolved",
        "会话解决后才能评价",
    ),
    "csat_too_late": ("The rating window has closed", "评价已过期"),
    "csat_already_rated": ("This conversation was already rated", "该会话已评价过"),
    "csat_ticket_not_solved": (
        "The ticket can be rated once it is solved",
        "工单解决后才能评价",
    ),
    "csat_ticket_already_rated": ("This ticket was already rated", "该工单已评价过"),
    "outbound_blocked": (
        "The address {url} may not be called from kefu (private or invalid)",
        "不允许访问地址 {url}（内网或无效地址）",
    ),
    "flow_name_taken": ("A flow with this name exists", "已存在同名流程"),
    "weak_password": ("The password must have at least 8 characters", "密码至少需要 8 个字符"),
    "wrong_password": ("The current password is wrong", "当前密码错误"),
    "business_hours_invalid": (
        "Invalid business hours: {detail}",
        "营业时间设置无效：{detail}",
    ),
    "ticket_illegal_transition": (
        "A ticket in status '{current}' cannot move to '{target}'",
        "状态为「{current}」的工单不能变更为「{target}」",
    ),
    "ticket_closed": ("The ticket is closed", "工单已关闭"),
    "ticket_field_invalid": (
        "Custom field '{field}' is invalid ({reason})",
        "自定义字段「{field}」无效（{reason}）",
    ),
    "secrets_resealed": (
        "Resealed {resealed} stored credentials; {unreadable} open with no configured key",
        "已用新密钥重新加密 {resealed} 个凭据；{unreadable} 个无法用已配置的密钥打开",
    ),
    "secrets_unreadable": (
        "Some credentials open with no configured key: enter them again",
        "部分凭据无法用已配置的密钥打开：请重新填写",
    ),
    "ticket_field_required": (
        "Fill in '{field}' before solving the ticket",
        "解决工单前请填写「{field}」",
    ),
    "ticket_field_exists": ("A field with this key exists", "该字段标识已存在"),
    "ticket_team_invalid": ("The team is not a team of this tenant", "该团队不属于本租户"),
    "ticket_followup_invalid": (
        "A follow-up needs a time with a time zone and the ticket being solved",
        "回访需要带时区的时间，且工单须同时设为已解决",
    ),
    "ticket_merge_invalid": (
        "These tickets cannot be merged (closed, or the same ticket)",
        "这些工单无法合并（已关闭或为同一工单）",
    ),
    "mailbox_taken": ("This email address already has a mailbox", "该邮箱地址已被使用"),
    "wfm_not_enough_history": (
        "Not enough history to forecast: {days} days with contacts, at least {need} needed",
        "历史数据不足，无法预测：仅有 {days} 天有数据，至少需要 {need} 天",
    ),
    "wfm_no_open_days": (
        "None of the requested days is a day the centre was open in the history",
        "所选日期在历史数据中都不是营业日",
    ),
    "wfm_aht_unknown": (
        "The history has no handle times; give an average handle time (aht)",
        "历史数据中没有处理时长，请填写平均处理时长（aht）",
    ),
    "wfm_input_invalid": ("Invalid planning input: {detail}", "规划参数无效：{detail}"),
    "wfm_template_interval": (
        "Shift template '{name}' does not fit {minutes}-minute intervals",
        "班次模板「{name}」的时间不是 {minutes} 分钟时段的整数倍",
    ),
    "wfm_schedule_failed": (
        "No schedule was found within the time limit",
        "在时限内未能生成排班",
    ),
    "wfm_agent_invalid": (
        "Not active users of this tenant: {ids}",
        "以下用户不是本租户的有效用户：{ids}",
    ),
    "wfm_simulation_too_large": (
        "The simulation is too large (more than {limit} contacts in all runs)",
        "模拟规模过大（所有运行合计超过 {limit} 个会话）",
    ),
    "webhook_limit": (
        "A tenant may have at most {limit} webhooks",
        "每个租户最多可以有 {limit} 个 Webhook 回调",
    ),
    "webhook_event_pruned": (
        "The event is no longer in the event log (kept {days} days); it cannot be sent again",
        "该事件已不在事件日志中（保留 {days} 天），无法重新投递",
    ),
    "alert_threshold_invalid": (
        "A service-level threshold is a share between 0 and 1 (e.g. 0.8)",
        "服务水平阈值是 0 到 1 之间的比例（如 0.8）",
    ),
    "wfm_no_forecast": (
        "No stored forecast covers {day}; create one first",
        "没有覆盖 {day} 的预测，请先创建预测",
    ),
    "faq_similar_limit": (
        "An FAQ holds at most {limit} similar questions per language",
        "每个问答每种语言最多 {limit} 个相似问法",
    ),
}

ENTITIES: dict[str, tuple[str, str]] = {
    "alert_rule": ("Alert rule", "告警规则"),
    "webhook": ("Webhook", "Webhook 回调"),
    "webhook_delivery": ("Webhook delivery", "Webhook 投递记录"),
    "ticket": ("Ticket", "工单"),
    "ticket_field": ("Ticket field", "工单字段"),
    "sla_policy": ("SLA policy", "SLA 策略"),
    "ticket_view": ("Ticket view", "工单视图"),
    "followup": ("Follow-up", "回访任务"),
    "mailbox": ("Mailbox", "邮箱"),
    "conversation": ("Conversation", "会话"),
    "message": ("Message", "消息"),
    "contact": ("Contact", "客户"),
    "user": ("User", "用户"),
    "team": ("Team", "团队"),
    "inbox": ("Inbox", "渠道入口"),
    "api_key": ("API key", "API 密钥"),
    "attachment": ("Attachment", "附件"),
    "tenant": ("Tenant", "租户"),
    "resource": ("Resource", "资源"),
    "faq": ("FAQ", "问答"),
    "bot_turn": ("Unanswered question", "未解决问题"),
    "bot": ("Bot", "机器人"),
    "quick_reply": ("Quick reply", "快捷回复"),
    "csat": ("Rating", "满意度评价"),
    "flow": ("Task flow", "任务流程"),
    "qa_rule": ("Inspection rule", "质检规则"),
    "qa_result": ("Inspection result", "质检结果"),
    "category": ("Category", "分类"),
    "kb_version": ("Knowledge base version", "知识库版本"),
    "routing_rule": ("Routing rule", "路由规则"),
    "wfm_forecast": ("Forecast", "预测"),
    "wfm_event": ("Planning event", "规划事件"),
    "shift_template": ("Shift template", "班次模板"),
    "wfm_schedule": ("Schedule", "排班表"),
}


def negotiate(accept_language: str | None) -> Lang:
    """Pick zh-CN or en from an Accept-Language header (first supported wins)."""
    if not accept_language:
        return "en"
    for part in accept_language.split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("zh"):
            return "zh-CN"
        if tag.startswith("en"):
            return "en"
    return "en"


def translate(code: str, lang: Lang, params: dict[str, object] | None = None) -> str:
    en, zh = MESSAGES.get(code, MESSAGES["internal_error"])
    template = zh if lang == "zh-CN" else en
    values = dict(params or {})
    entity = values.get("entity")
    if isinstance(entity, str) and entity in ENTITIES:
        ent_en, ent_zh = ENTITIES[entity]
        values["entity"] = ent_zh if lang == "zh-CN" else ent_en
    try:
        return template.format(**values)
    except (KeyError, IndexError):
        return template
