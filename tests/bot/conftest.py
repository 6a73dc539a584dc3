"""A small bilingual shop knowledge base, built once per test session (real models)."""

from __future__ import annotations

import pytest

from kefu.bot import EngineSettings, FaqDoc
from kefu.bot.engine import Engine, build_engine

SHOP_FAQS = (
    FaqDoc(
        "refund",
        "怎么申请退款",
        (
            "我想退款",
            "退款流程是什么",
            "钱什么时候退回来",
            "How do I get a refund?",
            "I want my money back",
            "refund process",
        ),
        {
            "zh": "在订单页点击“申请退款”，审核通过后 3–5 个工作日原路退回。",
            "en": "Open the order and tap Request refund.",
        },
    ),
    FaqDoc(
        "shipping_time",
        "多久能发货",
        (
            "什么时候发货",
            "下单后几天发货",
            "发货要多长时间",
            "When will my order ship?",
            "How long does shipping take?",
            "delivery time",
        ),
        {"zh": "现货订单 24 小时内发货。", "en": "In-stock orders ship within 24 hours."},
    ),
    FaqDoc(
        "invoice",
        "怎么开发票",
        (
            "可以开发票吗",
            "发票怎么申请",
            "我需要增值税发票",
            "Can I get an invoice?",
            "How do I request a VAT invoice?",
            "invoice for my order",
        ),
        {"zh": "在订单详情页申请电子发票。", "en": "Request an e-invoice from the order page."},
    ),
    FaqDoc(
        "password",
        "忘记密码怎么办",
        (
            "密码忘了",
            "怎么重置密码",
            "登录不了，密码不对",
            "I forgot my password",
            "How do I reset my password?",
            "can't log in, wrong password",
        ),
        {
            "zh": "在登录页点击“忘记密码”，按短信验证码重置。",
            "en": "Tap Forgot password on the login page.",
        },
    ),
    FaqDoc(
        "double11",
        "双11有什么优惠",
        (
            "双十一活动",
            "双11满减规则",
            "双11优惠券怎么领",
            "What are the Singles Day deals?",
            "11.11 discount",
            "Double 11 coupons",
        ),
        {"zh": "双11 全场满 300 减 50，优惠券在首页领取。", "en": "Spend 300, save 50 on 11.11."},
    ),
    FaqDoc(
        "repair",
        "坏了怎么保修",
        (
            "商品坏了可以修吗",
            "保修期多久",
            "售后维修怎么申请",
            "My device is broken, can you repair it?",
            "How long is the warranty?",
            "after-sales repair",
        ),
        {
            "zh": "一年内免费保修，在“售后服务”中提交维修申请。",
            "en": "One-year free warranty; file a repair request.",
        },
    ),
)


@pytest.fixture(scope="session")
def shop_engine() -> Engine:
    """The shop engine (the embedding model loads once for the whole session)."""
    engine = build_engine(
        SHOP_FAQS, EngineSettings(), negatives=("今天股市怎么样", "who won the football game")
    )
    engine.warm_up()
    return engine
