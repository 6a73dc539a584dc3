"""kefu (客服): open-source intelligent customer-service platform."""

__version__ = "0.1.0"
