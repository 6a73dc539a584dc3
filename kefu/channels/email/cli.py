"""`kefu email smtpd`: receive mail for the tenants' mailboxes over SMTP (self-hosting)."""

from __future__ import annotations

import asyncio
import signal

import typer

from kefu.core.settings import get_settings

app = typer.Typer(help="Email channel")


@app.command()
def smtpd(host: str = "127.0.0.1", port: int = 2525) -> None:
    """Accept mail for every active mailbox address; put a real MTA or a firewall in front."""
    from kefu.channels.email.smtpd import serve
    from kefu.core.context import Runtime

    async def main() -> None:
        rt = Runtime.create(get_settings())
        await rt.start()
        server = await serve(rt, host, port)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        typer.echo(f"SMTP endpoint on {host}:{port}")
        await stop.wait()
        server.close()
        await server.wait_closed()
        await rt.stop()

    asyncio.run(main())
