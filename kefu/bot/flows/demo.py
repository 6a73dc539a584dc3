"""The demo shop's two task flows: order status and parcel tracking, over the demo business API."""

from __future__ import annotations

from kefu.bot.flows.schemas import FlowIn

ORDER_SLOT = {
    "name": "order_no",
    "pattern": r"\d{10,20}",
    "prompt": {
        "zh": "请提供您的订单号（10–20 位数字）。",
        "en": "Please tell me your order number (10–20 digits).",
    },
    "invalid": {
        "zh": "这个订单号好像不对，订单号是 10–20 位数字，请再发一次。",
        "en": "That doesn't look like an order number (10–20 digits). Could you send it again?",
    },
}
ERROR = {
    "zh": "抱歉，查询系统暂时无法访问，已为您转接人工客服。",
    "en": "Sorry, the order system isn't responding right now. Let me connect you to an agent.",
}

ORDER_STATUS = FlowIn.model_validate(
    {
        "name": "order_status",
        "title": {"zh": "订单查询", "en": "Order status"},
        "triggers": [
            "订单状态",
            "查订单",
            "查一下订单",
            "我的订单",
            "订单到哪",
            "order status",
            "check my order",
            "where is my order",
        ],
        "slots": [ORDER_SLOT],
        "action": {
            "url": "{kefu_base_url}/demo-api/orders/{order_no}",
            "allow_private": True,
            "fields": {
                "status_zh": "status.zh",
                "status_en": "status.en",
                "eta": "eta",
                "tracking_no": "tracking_no",
            },
        },
        "response": {
            "zh": "订单 {order_no} 当前状态：{status_zh}，预计 {eta} 送达，快递单号 {tracking_no}。",
            "en": "Order {order_no} is {status_en}, expected on {eta} (tracking number {tracking_no}).",
        },
        "not_found": {
            "zh": "没有找到订单 {order_no}，请核对后再试。",
            "en": "I couldn't find order {order_no}. Please check the number.",
        },
        "error": ERROR,
    }
)

PARCEL_TRACKING = FlowIn.model_validate(
    {
        "name": "parcel_tracking",
        "title": {"zh": "物流跟踪", "en": "Parcel tracking"},
        "triggers": [
            "查快递",
            "物流查询",
            "快递单号",
            "查物流",
            "track parcel",
            "tracking number",
            "track my parcel",
        ],
        "slots": [
            {
                "name": "tracking_no",
                "pattern": r"(?i)SF\d{12}",
                "prompt": {
                    "zh": "请提供快递单号（SF 开头）。",
                    "en": "Please send the tracking number (starting with SF).",
                },
                "invalid": {
                    "zh": "快递单号是 SF 加 12 位数字，请再发一次。",
                    "en": "Tracking numbers are SF plus 12 digits. Please try again.",
                },
            }
        ],
        "action": {
            "url": "{kefu_base_url}/demo-api/parcels/{tracking_no}",
            "allow_private": True,
            "fields": {"where_zh": "location.zh", "where_en": "location.en"},
        },
        "response": {
            "zh": "快递 {tracking_no} 目前在：{where_zh}。",
            "en": "Parcel {tracking_no} is now at: {where_en}.",
        },
        "not_found": {
            "zh": "没有查到快递 {tracking_no}。",
            "en": "No parcel found for {tracking_no}.",
        },
        "error": ERROR,
    }
)

DEMO_FLOWS = [ORDER_STATUS, PARCEL_TRACKING]
